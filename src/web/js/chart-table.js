// Every chart's text alternative: its data as a table, built from the chart's own option so the two
// cannot disagree. Bars and lines give one row per category and one column per series; a flow
// (Sankey) or graph gives one row per arrow, a heatmap one per cell. The table sits in a closed
// <details> under the chart.
import { num } from './format.js';
import { t } from './i18n.js';
import { el } from './view-parts.js';

const list = (x) => (Array.isArray(x) ? x : x ? [x] : []);
const valueOf = (d) => (d !== null && typeof d === 'object' && 'value' in d ? d.value : d);
const cellText = (v) => (v === null || v === undefined || v === '' ? '–' : typeof v === 'number' ? num(v, Number.isInteger(v) ? 0 : 1) : String(v));

/** {head: [..], rows: [[..]]} for a chart option, or null when it has nothing to tabulate. */
export function optionTable(option) {
  const series = list(option.series);
  if (!series.length) return null;
  const first = series[0];
  // A heatmap: one row per cell, as the option's own rows say it (weekday, hour, the cell's figures).
  if (first.type === 'heatmap' && first.tableHead) return { head: first.tableHead, rows: list(first.data).map((d) => d.row), textColumns: 2 };
  if (first.type === 'sankey' || first.type === 'graph') {
    const titles = new Map(list(first.data).map((n) => [n.name, n.title ?? String(n.label?.formatter ?? n.name).replace(/\{\w\||\}/g, '').split('\n')[0]]));
    const rows = list(first.links).map((l) => [titles.get(l.source) ?? l.source, titles.get(l.target) ?? l.target, first.type === 'sankey' ? cellText(l.value) : (l.label?.formatter ?? '') || '–']);
    return { head: [t('chart.table.from'), t('chart.table.to'), first.type === 'sankey' ? t('chart.table.count') : t('chart.table.how')], rows };
  }
  // Bars and lines: the category axis is x, or y for horizontal bars.
  const category = [...list(option.xAxis), ...list(option.yAxis)].find((a) => a.type === 'category');
  if (!category) return null;
  const cats = list(category.data);
  const rows = cats.map((c, i) => [String(valueOf(c)), ...series.map((s) => cellText(valueOf(list(s.data)[i])))]);
  return { head: [category.name ?? '', ...series.map((s) => s.name ?? '')], rows };
}

/** The table under a chart element, made or replaced; the chart itself is then an image named by its heading. */
export function describeChart(chartEl, option) {
  const data = optionTable(option);
  let details = chartEl.nextElementSibling?.classList.contains('chart-data') ? chartEl.nextElementSibling : null;
  if (!details) {
    details = el('details', 'chart-data');
    chartEl.after(details);
  }
  const heading = chartEl.closest('figure')?.querySelector('figcaption h2, figcaption h3')?.textContent ?? chartEl.closest('.card')?.querySelector('h2')?.textContent ?? '';
  chartEl.setAttribute('role', 'img');
  chartEl.setAttribute('aria-label', heading ? t('chart.table.imgLabel', { title: heading }) : t('chart.table.summary'));
  const summary = el('summary', '', t('chart.table.summary'));
  if (!data) {
    details.replaceChildren(summary, el('p', 'muted small', t('chart.noData')));
    return details;
  }
  const table = el('table', 'data chart-table');
  const caption = el('caption', 'visually-hidden', heading);
  const thead = el('thead');
  const hr = el('tr');
  data.head.forEach((h, i) => {
    const th = el('th', i < (data.textColumns ?? 1) ? 'text' : '', h || (i === 0 ? t('chart.table.category') : ''));
    th.scope = 'col';
    hr.append(th);
  });
  thead.append(hr);
  const tbody = el('tbody');
  for (const row of data.rows) {
    const tr = el('tr');
    row.forEach((v, i) => {
      const cell = el(i === 0 ? 'th' : 'td', i < (data.textColumns ?? 1) || data.head.length === 3 ? 'text' : '', v);
      if (i === 0) cell.scope = 'row';
      tr.append(cell);
    });
    tbody.append(tr);
  }
  if (!data.rows.length) {
    const tr = el('tr');
    const td = el('td', 'text muted', t('chart.noData'));
    td.colSpan = data.head.length;
    tr.append(td);
    tbody.append(tr);
  }
  table.append(caption, thead, tbody);
  // A table wider or taller than its box scrolls: the box takes focus, so the keyboard can scroll it.
  const wrap = el('div', 'table-wrap');
  wrap.tabIndex = 0;
  wrap.append(table);
  details.replaceChildren(summary, wrap);
  return details;
}
