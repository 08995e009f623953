// The queues under Statistik and in the monthly report: the contact-centre figures of each queue
// (GET /api/metrics/queues) as a table, and its hour × weekday heatmap of callers offered against
// answered within the target (GET /api/metrics/queues/:queue/heatmap).
import { api } from './api.js';
import { queueHeatmapChart } from './charts.js';
import { dispose, draw } from './chart-host.js';
import { duration, num, pct, unit } from './format.js';
import { t } from './i18n.js';
import { el } from './view-parts.js';
import { serviceLevelText } from './queue-board.js';

/** The queues' figures and each queue's heatmap, for one range (and flow). */
export async function loadQueues(query) {
  const { queues } = await api(`/metrics/queues?${query}`);
  const heatmaps = await Promise.all(queues.map((q) => api(`/metrics/queues/${encodeURIComponent(q.queue)}/heatmap?${query}`)));
  return { queues, heatmaps: new Map(heatmaps.map((h) => [h.queue, h])) };
}

const secs = (s) => (s === null || s === undefined ? '–' : duration(s * 1000));
const ofOffered = (n, f) => (f.offered ? `${num(n)} (${pct(n / f.offered)})` : num(n));

/** The figures, one row each, in the order a contact centre reads them. */
const ROWS = [
  { key: 'offered', cell: (f) => num(f.offered) },
  { key: 'answered', cell: (f) => ofOffered(f.answered, f) },
  // Abandons apart from the short ones: those are wrong numbers and second thoughts more than lost callers.
  { key: 'abandoned', cell: (f) => ofOffered(f.abandoned - f.shortAbandoned, f) },
  { key: 'shortAbandoned', cell: (f) => t('queue.fig.shortCell', { n: num(f.shortAbandoned), seconds: unit(f.shortAbandonSeconds ?? 5, 'second') }) },
  { key: 'leftByKey', cell: (f) => num(f.leftByKey) },
  { key: 'maxWait', cell: (f) => num(f.maxWait) },
  { key: 'full', cell: (f) => num(f.full) },
  {
    key: 'serviceLevel',
    cell: (f) => {
      const sl = f.serviceLevel;
      return el('span', sl.met === null ? '' : sl.met ? 'up' : 'down', serviceLevelText(sl.share, sl.seconds, sl.target));
    },
  },
  { key: 'speedOfAnswer', cell: (f) => secs(f.speedOfAnswerSec.mean) },
  { key: 'waitP90', cell: (f) => secs(f.waitSec.p90) },
  { key: 'longest', cell: (f) => secs(f.waitSec.longest) },
  { key: 'abandonWait', cell: (f) => secs(f.abandonWaitSec.mean) },
];

/**
 * The figures as a table: a row per figure, a column per { head, figures } (each queue on the
 * dashboard; this month and the one before in the report). A column without figures shows dashes.
 */
export function queueTable(columns) {
  const table = el('table', 'data queue-table');
  const thead = el('thead');
  const hr = el('tr');
  const corner = el('th', 'text', t('queue.fig.measure'));
  corner.scope = 'col';
  hr.append(corner);
  for (const c of columns) {
    const th = el('th', '', c.head);
    th.scope = 'col';
    hr.append(th);
  }
  thead.append(hr);
  const tbody = el('tbody');
  for (const row of ROWS) {
    const tr = el('tr');
    tr.dataset.row = row.key;
    const th = el('th', 'text', t(`queue.fig.${row.key}`));
    th.scope = 'row';
    tr.append(th);
    for (const c of columns) {
      const td = el('td');
      const v = c.figures ? row.cell(c.figures) : '–';
      td.append(v);
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  return table;
}

/** A heatmap's figure: its heading names the queue; the chart gets its table beneath when drawn. */
export function heatmapFigure(label, { className = 'chart chart-heat', figureClass = 'card chart-card wide queue-heat', heading = 'h2' } = {}) {
  const figure = el('figure', figureClass);
  const caption = el('figcaption');
  caption.append(el(heading, 'heat-title', t('chart.heat.title', { label })), el('p', 'muted small', ''));
  const chart = el('div', className);
  figure.append(caption, chart);
  return { figure, chart };
}

/** The heatmap's help text: what a cell says, against which target. */
export const heatmapHelp = (heat) => t('chart.heat.help', { seconds: unit(heat.serviceLevel.seconds, 'second'), target: pct(heat.serviceLevel.target) });

/**
 * The queue section of the Statistik tab: hidden without queues in the range; otherwise the
 * figures table and one heatmap per queue. Chart elements are kept per queue across renders.
 */
export class QueueSection {
  constructor(root) {
    this.root = root;
    this.figures = new Map();
  }

  render(data, { animation } = {}) {
    const queues = data?.queues ?? [];
    this.root.hidden = !queues.length;
    for (const [queue, f] of this.figures) {
      if (queues.some((q) => q.queue === queue)) continue;
      dispose(f.chart);
      f.figure.remove();
      this.figures.delete(queue);
    }
    if (!queues.length) return;
    const card = this.root.querySelector('.queue-figures') ?? this.root.appendChild(this.figuresCard());
    card.querySelector('h2').textContent = t('queue.fig.title');
    card.querySelector('p').textContent = t('queue.fig.help');
    const wrap = card.querySelector('.table-wrap');
    wrap.replaceChildren(Object.assign(queueTable(queues.map((q) => ({ head: q.label, figures: q }))), { id: 'queue-table' }));
    for (const q of queues) {
      let f = this.figures.get(q.queue);
      if (!f) {
        f = heatmapFigure(q.label);
        f.figure.dataset.queue = q.queue;
        this.figures.set(q.queue, f);
      }
      // In the order of the table's columns, after it.
      this.root.append(f.figure);
      const heat = data.heatmaps.get(q.queue);
      f.figure.querySelector('.heat-title').textContent = t('chart.heat.title', { label: q.label });
      f.figure.querySelector('figcaption p').textContent = heat ? heatmapHelp(heat) : '';
      if (heat) draw(f.chart, queueHeatmapChart(heat, { animation }));
    }
  }

  figuresCard() {
    const card = el('div', 'card queue-figures');
    const wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    card.append(el('h2'), el('p', 'muted small'), wrap);
    return card;
  }
}
