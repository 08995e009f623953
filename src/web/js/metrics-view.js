// The metrics tab: key figures, the SKR comparison, waits, weekly trend, fallbacks as a flow and
// as a table, and the queues' figures and heatmaps, for a chosen date range and flow.
import { api, download } from './api.js';
import { compareLabel, el, kpiCard, nodeName, table, targetLabel } from './view-parts.js';
import { fallbackSankey, indexVsNational, waitHistogram, weeklyTrend } from './charts.js';
import { draw } from './chart-host.js';
import { duration, num, pct } from './format.js';
import { t } from './i18n.js';
import { RangePicker, loadLabels } from './pickers.js';
import { CallDrill } from './call-drill.js';
import { QueueSection, loadQueues } from './queue-stats.js';

/** Everything the tab shows, fetched together for one range and flow. */
export async function loadMetrics(query) {
  const [summary, skr, fallbacks, waits, trend, labels, queues] = await Promise.all([
    api(`/metrics/summary?${query}`),
    api(`/metrics/skr?${query}`),
    api(`/metrics/fallbacks?by=route&${query}`),
    api(`/dashboard/wait-histogram?measure=timeToOperator&${query}`),
    api(`/dashboard/trend?${query}`),
    loadLabels(),
    loadQueues(query),
  ]);
  return { summary: summary.summary, skr: skr.skr, fallbacks: fallbacks.fallbacks, noHelp: fallbacks.noHelp, waits, trend, labels, queues };
}

/** The key figures, as cards. */
export function keyFigures(d) {
  const s = d.summary;
  const ref = d.skr.reference;
  const vs = (idx) => (idx.vsReference === null ? '' : t('kpi.vsRef', { delta: `${idx.vsReference > 0 ? '+' : ''}${num(idx.vsReference, 1)}`, year: ref.year }));
  const noHelp = s.noHelp;
  return [
    kpiCard(t('kpi.calls'), num(s.calls), '', undefined, 'calls'),
    kpiCard(t('kpi.answered'), pct(s.answered.share), t('kpi.ofCalls', { n: num(s.calls) }), 'good', 'answered'),
    kpiCard(t('kpi.tto'), duration(s.timeToOperatorMs.median), s.timeToOperatorMs.p90 === null ? '' : t('kpi.p90', { time: duration(s.timeToOperatorMs.p90) }), 'accent', 'tto'),
    kpiCard(t('kpi.fallbackRate'), pct(s.fallback.rate), t('kpi.ofCalls', { n: num(s.calls) }), 'warn', 'fallbackRate'),
    kpiCard(t('kpi.lost'), duration(s.fallback.lostMs.median), s.fallback.lostMs.p90 === null ? '' : t('kpi.p90', { time: duration(s.fallback.lostMs.p90) }), 'warn', 'lost'),
    // Everyone who reached no human, however the call ended: the caller hung up, or the system said goodbye.
    ...(noHelp ? [kpiCard(t('kpi.noHelp'), pct(noHelp.calls.share), t('kpi.noHelpSub', { n: num(noHelp.calls.count), time: duration(noHelp.spentTotalMs) }), 'bad', 'noHelp')] : []),
    kpiCard(t('kpi.abandoned'), pct(s.abandoned.total.share), t('kpi.ofCalls', { n: num(s.calls) }), 'bad', 'abandoned'),
    // Only for flows with opening hours: calls that found the switchboard closed are neither answered nor abandoned.
    ...(s.outsideHours?.count ? [kpiCard(t('kpi.outsideHours'), pct(s.outsideHours.share), t('kpi.ofCalls', { n: num(s.calls) }), 'accent', 'outsideHours')] : []),
    kpiCard(t('kpi.bemotande'), num(d.skr.overall.bemotande.index, 1), `${t('kpi.answers', { n: num(d.skr.overall.bemotande.answers) })} · ${vs(d.skr.overall.bemotande)}`, undefined, 'bemotande'),
    kpiCard(t('kpi.enkelhet'), num(d.skr.overall.enkelhet.index, 1), `${t('kpi.answers', { n: num(d.skr.overall.enkelhet.answers) })} · ${vs(d.skr.overall.enkelhet)}`, undefined, 'enkelhet'),
  ];
}

/** How the calls nobody helped ended, in words: "2 fick ett meddelande och samtalet avslutades, 1 lade på i menyn". */
function noHelpWays(noHelp) {
  return Object.entries(noHelp.byOutcome)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, n]) => `${num(n)} ${t(`noHelp.way.${outcome}`) === `noHelp.way.${outcome}` ? t('noHelp.way.other') : t(`noHelp.way.${outcome}`)}`)
    .join(', ');
}

/** A count that opens the calls behind it, when the page can show them (not on paper). */
function countCell(n, calls, figure, title, onFigure) {
  if (!onFigure || !n) return num(n);
  const b = el('button', 'link', num(n));
  b.type = 'button';
  b.dataset.figure = figure;
  // The count is of fallbacks; the list is of calls (one call can take the same fallback twice).
  b.setAttribute('aria-label', `${title}: ${t('calls.figureCount', { n: num(calls) })}`);
  b.addEventListener('click', () => onFigure(figure, title));
  return b;
}

/** The "fick ingen hjälp" row: the calls that ended without a human, in the fallback table's columns. */
function noHelpRow(noHelp, columns, onFigure) {
  const tr = el('tr', 'no-help');
  tr.dataset.row = 'noHelp';
  const hungUp = Object.entries(noHelp.byOutcome).reduce((n, [o, c]) => n + (o.startsWith('abandoned') ? c : 0), 0);
  const cells = {
    node: t('table.fallbacks.noHelp'),
    count: countCell(noHelp.calls.count, noHelp.calls.count, 'noHelp', t('table.fallbacks.noHelp'), onFigure),
    lostTotal: duration(noHelp.spentTotalMs),
    lostMedian: duration(noHelp.spentMs.median),
    lostP90: duration(noHelp.spentMs.p90),
    abandoned: pct(noHelp.calls.count ? hungUp / noHelp.calls.count : null),
  };
  const th = el('th', 'text', cells.node);
  th.scope = 'row';
  tr.append(th);
  // Whom they sought, why and where they went: one cell saying how these calls ended instead.
  const how = el('td', 'text wrap', noHelp.calls.count ? t('table.fallbacks.noHelpHow', { ways: noHelpWays(noHelp), ring: duration(noHelp.ringTotalMs) }) : t('table.fallbacks.noHelpNone'));
  how.colSpan = 3;
  tr.append(how);
  for (const c of columns.slice(4)) {
    const td = el('td', c.className);
    td.append(cells[c.key] ?? '–');
    tr.append(td);
  }
  return tr;
}

/**
 * The fallback table: first the calls nobody helped ("fick ingen hjälp"), then one row per place,
 * target, reason and route, the most time lost first (the API's order); compact for paper.
 */
export function fallbackTable(d, { compact = false, onFigure = null } = {}) {
  const rowTitle = (r) => `${nodeName(d.labels, r.flowId, r.nodeId)} · ${targetLabel(d.labels, r.flowId, r.target)} · ${t(`reason.${r.reason}`)} → ${nodeName(d.labels, r.flowId, r.route)}`;
  const all = [
      { key: 'node', head: t('table.fallbacks.node'), cell: (r) => nodeName(d.labels, r.flowId, r.nodeId), className: 'text' },
      { key: 'target', head: t('table.fallbacks.target'), cell: (r) => targetLabel(d.labels, r.flowId, r.target), className: 'text' },
      { key: 'reason', head: t('table.fallbacks.reason'), cell: (r) => t(`reason.${r.reason}`), className: 'text' },
      { key: 'route', head: t('table.fallbacks.route'), cell: (r) => nodeName(d.labels, r.flowId, r.route), className: 'text' },
      { key: 'count', head: t('table.fallbacks.count'), cell: (r) => countCell(r.occurrences, r.calls, `fallback:${r.nodeId}|${r.target}|${r.reason}|${r.route}`, rowTitle(r), r.route === null ? null : onFigure) },
      { key: 'lostTotal', head: t('table.fallbacks.lostTotal'), cell: (r) => duration(r.lostTotalMs) },
      { key: 'lostMedian', head: t('table.fallbacks.lostMedian'), cell: (r) => duration(r.lostMs.median) },
      { key: 'lostP90', head: t('table.fallbacks.lostP90'), cell: (r) => duration(r.lostMs.p90), detail: true },
      { key: 'keys', head: t('table.fallbacks.keys'), cell: (r) => num(r.lostKeys.median), detail: true },
      { key: 'abandoned', head: t('table.fallbacks.abandoned'), cell: (r) => pct(r.abandoned.share) },
      { key: 'gap', head: t('table.fallbacks.gap'), cell: (r) => compareLabel(r.indexGap.enkelhet) },
  ];
  const columns = compact ? all.filter((c) => !c.detail) : all;
  const out = table(columns, d.fallbacks, t('table.fallbacks.none'));
  if (d.noHelp) out.tBodies[0].prepend(noHelpRow(d.noHelp, columns, onFigure));
  return out;
}

/**
 * The absence notices' figures (GET /api/metrics/notices): calls that met a notice, the rings they
 * spared, the time saved, and the survey of those calls beside that of calls that rang out unanswered.
 */
export function renderNoticeStats(section, v) {
  section.hidden = !v;
  if (!v) return;
  section.querySelector('#notice-kpis').replaceChildren(
    kpiCard(t('noticeStats.calls'), num(v.calls), '', 'accent', 'noticeCalls'),
    kpiCard(t('noticeStats.rings'), num(v.ringsAvoided), '', 'good', 'ringsAvoided'),
    kpiCard(t('noticeStats.saved'), v.savedMs ? duration(v.savedMs) : '–', v.ringsAvoided ? t('noticeStats.savedSub', { n: num(v.ringsAvoided) }) : '', 'good', 'timeSaved'),
  );
  const idx = (s, q) => (s[q].index === null ? '–' : `${num(s[q].index, 1)} (${t('kpi.answers', { n: num(s[q].answers) })})`);
  const rows = [
    { label: t('noticeStats.calls.row'), met: num(v.survey.metNotice.calls), rang: num(v.survey.rangOut.calls) },
    { label: t('kpi.bemotande'), met: idx(v.survey.metNotice, 'bemotande'), rang: idx(v.survey.rangOut, 'bemotande') },
    { label: t('kpi.enkelhet'), met: idx(v.survey.metNotice, 'enkelhet'), rang: idx(v.survey.rangOut, 'enkelhet') },
  ];
  const out = table(
    [
      { head: t('noticeStats.survey'), cell: (r) => r.label, className: 'text' },
      { head: t('noticeStats.metNotice'), cell: (r) => r.met },
      { head: t('noticeStats.rangOut'), cell: (r) => r.rang },
    ],
    rows,
    '',
  );
  out.id = 'notice-survey';
  section.querySelector('#notice-survey').replaceWith(out);
}

/**
 * The callbacks' figures (GET /api/metrics/callbacks): requests, the share done within the promise,
 * the time to callback (median, 90th percentile), calls per request and the expired. No numbers, no names.
 */
export function renderCallbackStats(section, v) {
  section.hidden = !v;
  if (!v) return;
  const promised = v.shareDoneWithinPromise === null ? 0 : Math.round(v.doneWithinPromise / v.shareDoneWithinPromise);
  section.querySelector('#callback-kpis').replaceChildren(
    kpiCard(t('callbackStats.requests'), num(v.requests), t('callbackStats.requestsSub', { open: num(v.open), overdue: num(v.overdue) }), 'accent', 'callbackRequests'),
    kpiCard(t('callbackStats.withinPromise'), pct(v.shareDoneWithinPromise), promised ? t('callbackStats.withinPromiseSub', { n: num(v.doneWithinPromise), of: num(promised) }) : '', 'good', 'callbackWithinPromise'),
    kpiCard(t('callbackStats.time'), duration(v.timeToCallback.medianMs), v.timeToCallback.p90Ms === null ? '' : t('callbackStats.timeSub', { time: duration(v.timeToCallback.p90Ms) }), 'accent', 'callbackTime'),
    kpiCard(t('callbackStats.tries'), num(v.triesPerRequest, 1), '', undefined, 'callbackTries'),
    kpiCard(t('callbackStats.expired'), num(v.expired), t('callbackStats.expiredSub'), 'bad', 'callbackExpired'),
  );
}

/** An SKR index with its difference from the national figure, "78,4 (−6,5)", or a dash with too few answers to show. */
function indexWithNational(ix) {
  if (ix.index === null) return '–';
  const diff = ix.vsReference === null ? '' : ` (${ix.vsReference > 0 ? '+' : ix.vsReference < 0 ? '−' : '±'}${num(Math.abs(ix.vsReference), 1)})`;
  return `${num(ix.index, 1)}${diff}`;
}

/** The index per case category, as SKR reports it, and the share who got an answer beside KKiK's national figure. */
function renderSkrCategories(section, skr) {
  const { reference, kkik, overall } = skr;
  section.querySelector('#skr-categories-help').textContent = t('skrCategories.help', {
    year: reference.year,
    bemotande: num(reference.bemotande, 1),
    enkelhet: num(reference.enkelhet, 1),
    kkikYear: kkik.year,
    kkik: pct(kkik.directAnswerShare),
  });
  const answered = (row) => (row.gotAnswer.share === null ? '–' : `${pct(row.gotAnswer.share)} (${t('skrCategories.of', { n: num(row.gotAnswer.answers) })})`);
  const rows = [...skr.byCategory, { ...overall, key: '*', label: t('skrCategories.all') }];
  const out = table(
    [
      { head: t('skrCategories.category'), cell: (r) => (r.key === null ? t('skrCategories.none') : r.label), className: 'text' },
      { head: t('skrCategories.calls'), cell: (r) => num(r.calls) },
      { head: t('skrCategories.bemotande'), cell: (r) => indexWithNational(r.bemotande) },
      { head: t('skrCategories.enkelhet'), cell: (r) => indexWithNational(r.enkelhet) },
      { head: t('skrCategories.gotAnswer'), cell: answered },
    ],
    rows,
    t('metrics.empty'),
  );
  out.id = 'skr-category-table';
  section.querySelector('#skr-category-table').replaceWith(out);
}

/** Per person or department sought: calls, those whose caller had sought it within 7 days before, and the survey's "got an answer". */
function renderRepeatStats(section, v, labels) {
  section.hidden = !v || !v.rows.length;
  if (section.hidden) return;
  const share = (s) => (s.share === null ? '–' : `${num(s.count)} (${pct(s.share)})`);
  const answered = (a) => (a.share === null ? '–' : `${pct(a.share)} (${t('skrCategories.of', { n: num(a.answers) })})`);
  // The figures are across flows: a department's name comes from the flow that has it; a person is
  // named by extension, as everywhere in the statistics (they measure the switchboard, not staff).
  const flowOf = (r) => Object.entries(labels?.flows ?? {}).find(([, f]) => f.targets?.[r.target])?.[0];
  const rows = [...v.rows, { target: null, all: true, calls: v.calls, repeats: v.repeats, answered: v.answered }];
  const out = table(
    [
      { head: t('repeatStats.sought'), cell: (r) => (r.all ? t('skrCategories.all') : targetLabel(labels, flowOf(r), r.target)), className: 'text' },
      { head: t('repeatStats.calls'), cell: (r) => num(r.calls) },
      { head: t('repeatStats.repeats'), cell: (r) => share(r.repeats) },
      { head: t('skrCategories.gotAnswer'), cell: (r) => answered(r.answered) },
    ],
    rows,
    '',
  );
  out.id = 'repeat-table';
  section.querySelector('#repeat-table').replaceWith(out);
}

export class MetricsView {
  constructor(root) {
    this.root = root;
    this.picker = new RangePicker(root.querySelector('#metrics-pickers'));
    this.data = null;
    this.seq = 0;
    this.ready = null;
    this.drill = CallDrill.shared();
    this.queueSection = new QueueSection(root.querySelector('#queue-stats'));
  }

  async show() {
    this.ready ??= this.picker.init().then(() => {
      this.picker.onChange(() => this.load());
      this.root.querySelector('#call-search').addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.drill.find(ev.target.elements.sid.value);
      });
      this.root.querySelector('#csv-button').addEventListener('click', () => {
        const { query, from, to } = this.picker.value();
        download(`/calls.csv?${query}`, `callpath-calls-${from}-${to}.csv`).catch((err) => this.notice(t('metrics.unavailable', { message: err.message })));
      });
    });
    await this.ready;
    if (!this.data) await this.load();
  }

  notice(text) {
    const n = this.root.querySelector('#metrics-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  async load() {
    const seq = ++this.seq;
    this.root.dataset.state = 'loading';
    this.notice(t('metrics.loading'));
    try {
      const query = this.picker.value().query;
      // The notices' figures beside the rest; a service without them leaves their panel out.
      const [data, notices, callbacks, repeats] = await Promise.all([
        loadMetrics(query),
        api(`/metrics/notices?${query}`).then((r) => r.notices, () => null),
        api(`/metrics/callbacks?${query}`).then((r) => r.callbacks, () => null),
        api(`/metrics/repeat-callers?${query}`).then((r) => r.repeatCallers, () => null),
      ]);
      if (seq !== this.seq) return;
      this.data = data;
      this.notices = notices;
      this.callbacks = callbacks;
      this.repeats = repeats;
      this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      if (seq !== this.seq) return;
      this.root.dataset.state = 'error';
      this.notice(t('metrics.unavailable', { message: err.message }));
    }
  }

  render() {
    const d = this.data;
    if (!d) return;
    const min = d.skr.minAnswers;
    const few = d.skr.overall.bemotande.answers < min;
    this.notice(d.summary.calls === 0 ? t('metrics.empty') : few ? t('metrics.tooFew', { n: min }) : null);
    this.root.querySelector('#metrics-kpis').replaceChildren(...keyFigures(d));
    draw(this.root.querySelector('#chart-index'), indexVsNational(d.skr));
    draw(this.root.querySelector('#chart-tto'), waitHistogram(d.waits));
    draw(this.root.querySelector('#chart-trend'), weeklyTrend(d.trend));
    draw(this.root.querySelector('#chart-sankey'), fallbackSankey(d.fallbacks, { labelOf: (r, nodeId) => nodeName(d.labels, r.flowId, nodeId) }));
    const onFigure = (figure, title) => this.drill.showList({ title, figure, query: this.picker.value().query });
    this.root.querySelector('#fallback-table').replaceWith(Object.assign(fallbackTable(d, { onFigure }), { id: 'fallback-table' }));
    renderSkrCategories(this.root.querySelector('#skr-categories'), d.skr);
    this.queueSection.render(d.queues);
    renderNoticeStats(this.root.querySelector('#notice-stats'), this.notices);
    renderCallbackStats(this.root.querySelector('#callback-stats'), this.callbacks);
    renderRepeatStats(this.root.querySelector('#repeat-stats'), this.repeats, d.labels);
  }

  relabel() {
    if (this.picker.flows) this.picker.fillFlows();
    this.render();
  }
}
