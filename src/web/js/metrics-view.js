// The metrics tab: key figures, the SKR comparison, waits, weekly trend, and fallbacks as a flow
// and as a table, for a chosen date range and flow.
import { api, download } from './api.js';
import { compareLabel, kpiCard, nodeName, table, targetLabel } from './view-parts.js';
import { fallbackSankey, indexVsNational, waitHistogram, weeklyTrend } from './charts.js';
import { draw } from './chart-host.js';
import { duration, num, pct } from './format.js';
import { t } from './i18n.js';
import { RangePicker, loadLabels } from './pickers.js';

/** Everything the tab shows, fetched together for one range and flow. */
export async function loadMetrics(query) {
  const [summary, skr, fallbacks, waits, trend, labels] = await Promise.all([
    api(`/metrics/summary?${query}`),
    api(`/metrics/skr?${query}`),
    api(`/metrics/fallbacks?by=route&${query}`),
    api(`/dashboard/wait-histogram?measure=timeToOperator&${query}`),
    api(`/dashboard/trend?${query}`),
    loadLabels(),
  ]);
  return { summary: summary.summary, skr: skr.skr, fallbacks: fallbacks.fallbacks, waits, trend, labels };
}

/** The key figures, as cards. */
export function keyFigures(d) {
  const s = d.summary;
  const ref = d.skr.reference;
  const vs = (idx) => (idx.vsReference === null ? '' : t('kpi.vsRef', { delta: `${idx.vsReference > 0 ? '+' : ''}${num(idx.vsReference, 1)}`, year: ref.year }));
  return [
    kpiCard(t('kpi.calls'), num(s.calls), ''),
    kpiCard(t('kpi.answered'), pct(s.answered.share), t('kpi.ofCalls', { n: num(s.calls) }), 'good'),
    kpiCard(t('kpi.tto'), duration(s.timeToOperatorMs.median), s.timeToOperatorMs.p90 === null ? '' : t('kpi.p90', { time: duration(s.timeToOperatorMs.p90) }), 'accent'),
    kpiCard(t('kpi.fallbackRate'), pct(s.fallback.rate), t('kpi.ofCalls', { n: num(s.calls) }), 'warn'),
    kpiCard(t('kpi.lost'), duration(s.fallback.lostMs.median), s.fallback.lostMs.p90 === null ? '' : t('kpi.p90', { time: duration(s.fallback.lostMs.p90) }), 'warn'),
    kpiCard(t('kpi.abandoned'), pct(s.abandoned.total.share), t('kpi.ofCalls', { n: num(s.calls) }), 'bad'),
    // Only for flows with opening hours: calls that found the switchboard closed are neither answered nor abandoned.
    ...(s.outsideHours?.count ? [kpiCard(t('kpi.outsideHours'), pct(s.outsideHours.share), t('kpi.ofCalls', { n: num(s.calls) }), 'accent')] : []),
    kpiCard(t('kpi.bemotande'), num(d.skr.overall.bemotande.index, 1), `${t('kpi.answers', { n: num(d.skr.overall.bemotande.answers) })} · ${vs(d.skr.overall.bemotande)}`),
    kpiCard(t('kpi.enkelhet'), num(d.skr.overall.enkelhet.index, 1), `${t('kpi.answers', { n: num(d.skr.overall.enkelhet.answers) })} · ${vs(d.skr.overall.enkelhet)}`),
  ];
}

/** The fallback table: one row per place, target, reason and route; compact for paper. */
export function fallbackTable(d, { compact = false } = {}) {
  const all = [
      { head: t('table.fallbacks.node'), cell: (r) => nodeName(d.labels, r.flowId, r.nodeId), className: 'text' },
      { head: t('table.fallbacks.target'), cell: (r) => targetLabel(d.labels, r.flowId, r.target), className: 'text' },
      { head: t('table.fallbacks.reason'), cell: (r) => t(`reason.${r.reason}`), className: 'text' },
      { head: t('table.fallbacks.route'), cell: (r) => nodeName(d.labels, r.flowId, r.route), className: 'text' },
      { head: t('table.fallbacks.count'), cell: (r) => num(r.occurrences) },
      { head: t('table.fallbacks.lostMedian'), cell: (r) => duration(r.lostMs.median) },
      { head: t('table.fallbacks.lostP90'), cell: (r) => duration(r.lostMs.p90), detail: true },
      { head: t('table.fallbacks.keys'), cell: (r) => num(r.lostKeys.median), detail: true },
      { head: t('table.fallbacks.abandoned'), cell: (r) => pct(r.abandoned.share) },
      { head: t('table.fallbacks.gap'), cell: (r) => compareLabel(r.indexGap.enkelhet) },
  ];
  return table(compact ? all.filter((c) => !c.detail) : all, d.fallbacks, t('table.fallbacks.none'));
}

export class MetricsView {
  constructor(root) {
    this.root = root;
    this.picker = new RangePicker(root.querySelector('#metrics-pickers'));
    this.data = null;
    this.seq = 0;
    this.ready = null;
  }

  async show() {
    this.ready ??= this.picker.init().then(() => {
      this.picker.onChange(() => this.load());
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
      const data = await loadMetrics(this.picker.value().query);
      if (seq !== this.seq) return;
      this.data = data;
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
    this.root.querySelector('#fallback-table').replaceWith(Object.assign(fallbackTable(d), { id: 'fallback-table' }));
  }

  relabel() {
    if (this.picker.flows) this.picker.fillFlows();
    this.render();
  }
}
