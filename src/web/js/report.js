// The printable monthly report for the municipal board: the dashboard's key figures and charts for
// one calendar month, against the month before, drawn as SVG so they print sharp.
import { api, loadSession, session } from './api.js';
import { toSignIn } from './signin-redirect.js';
import { fallbackSankey, formatMetric, indexVsNational, queueHeatmapChart, waitHistogram, weeklyTrend } from './charts.js';
import { dispose, draw } from './chart-host.js';
import { date, localMidnightIso, monthName, num, oneLine, todayIso } from './format.js';
import { applyI18n, bindLangButtons, onLangChange, t } from './i18n.js';
import { fallbackTable, keyFigures } from './metrics-view.js';
import { loadFlows, loadLabels } from './pickers.js';
import { el, nodeName, table } from './view-parts.js';
import { heatmapFigure, heatmapHelp, loadQueues, queueTable } from './queue-stats.js';

const $ = (sel) => document.querySelector(sel);
const form = $('#report-pickers');
const SVG = { renderer: 'svg' };
let data = null;
let seq = 0;

/** The figures a board asks for, which way is better, and where each sits in the summary. */
const FIGURES = [
  { metric: 'calls', label: 'kpi.calls', value: (s) => s.calls, better: null, format: (v) => num(v) },
  { metric: 'answered.share', better: 'higher', value: (s) => s.answered.share },
  { metric: 'abandoned.total.share', better: 'lower', value: (s) => s.abandoned.total.share },
  { metric: 'noHelp.calls.share', better: 'lower', value: (s) => s.noHelp?.calls.share ?? null },
  { metric: 'timeToOperatorMs.median', better: 'lower', value: (s) => s.timeToOperatorMs.median },
  { metric: 'timeToHumanMs.median', better: 'lower', value: (s) => s.timeToHumanMs.median },
  { metric: 'fallback.rate', better: 'lower', value: (s) => s.fallback.rate },
  { metric: 'fallback.lostMs.median', better: 'lower', value: (s) => s.fallback.lostMs.median },
  { metric: 'bemotande.index', better: 'higher', value: (s) => s.bemotande.index },
  { metric: 'enkelhet.index', better: 'higher', value: (s) => s.enkelhet.index },
  { metric: 'firstContactResolution.share', better: 'higher', value: (s) => s.firstContactResolution.share },
  { metric: 'survey.responseRate', better: 'higher', value: (s) => s.survey.responseRate },
];

function monthRange(month) {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: localMidnightIso(`${month}-01`, session.timeZone), to: localMidnightIso(`${next}-01`, session.timeZone) };
}

/** The month in words, marked when it is not over yet: "mars 2026 (pågår, till och med 2 mars 2026)". */
function monthTitle(month) {
  const name = monthName(...month.split('-').map(Number));
  const now = session.serverNow();
  return Date.parse(monthRange(month).to) > now ? t('report.partialMonth', { month: name, date: date(now) }) : name;
}

function previousMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function query(month, flow) {
  const q = new URLSearchParams(monthRange(month));
  if (flow) q.set('flow', flow);
  return q.toString();
}

function figuresTable(now, before) {
  const change = (f) => {
    const a = f.value(before);
    const b = f.value(now);
    if (a === null || b === null) return '–';
    const delta = b - a;
    const span = el('span', f.better === null || delta === 0 ? '' : (delta > 0) === (f.better === 'higher') ? 'up' : 'down');
    const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
    const size = /(share|rate)$/i.test(f.metric) ? oneLine(`${num(Math.abs(delta) * 100, 1)} ${t('unit.pp')}`) : f.format ? f.format(Math.abs(delta)) : formatMetric(f.metric, Math.abs(delta));
    span.textContent = `${sign}${size}`;
    return span;
  };
  const fmt = (f, s) => (f.format ? f.format(f.value(s)) : formatMetric(f.metric, f.value(s)));
  return table(
    [
      { head: t('compare.metric'), cell: (f) => t(f.label ?? `metric.${f.metric}`), className: 'text' },
      { head: monthTitle(form.elements.month.value), cell: (f) => fmt(f, now) },
      { head: monthTitle(previousMonth(form.elements.month.value)), cell: (f) => fmt(f, before) },
      { head: t('report.change'), cell: change },
    ],
    FIGURES,
    '',
  );
}

async function load() {
  const mySeq = ++seq;
  const month = form.elements.month.value;
  const flow = form.elements.flow.value;
  const url = new URL(location.href);
  url.searchParams.set('month', month);
  if (flow) url.searchParams.set('flow', flow);
  else url.searchParams.delete('flow');
  history.replaceState(null, '', url);
  $('#report').dataset.state = 'loading';
  try {
    const q = query(month, flow);
    const [summary, previous, skr, fallbacks, waits, trend, labels, queues, previousQueues] = await Promise.all([
      api(`/metrics/summary?${q}`),
      api(`/metrics/summary?${query(previousMonth(month), flow)}`),
      api(`/metrics/skr?${q}`),
      api(`/metrics/fallbacks?by=route&${q}`),
      api(`/dashboard/wait-histogram?measure=timeToOperator&${q}`),
      api(`/dashboard/trend?${q}`),
      loadLabels(),
      loadQueues(q),
      api(`/metrics/queues?${query(previousMonth(month), flow)}`),
    ]);
    if (mySeq !== seq) return;
    data = { summary: summary.summary, previous: previous.summary, skr: skr.skr, fallbacks: fallbacks.fallbacks, noHelp: fallbacks.noHelp, waits, trend, labels, queues, previousQueues: previousQueues.queues };
    render();
    $('#report').dataset.state = 'ready';
  } catch (err) {
    if (mySeq !== seq) return;
    $('#report').dataset.state = 'error';
    notice(t('metrics.unavailable', { message: err.message }));
  }
}

function notice(text) {
  $('#report-notice').textContent = text ?? '';
  $('#report-notice').hidden = !text;
}

function render() {
  if (!data) return;
  const month = form.elements.month.value;
  const flowSelect = form.elements.flow;
  $('#report-flow').textContent = flowSelect.selectedOptions[0]?.textContent ?? '';
  $('#report-month').textContent = monthTitle(month);
  document.title = `${t('report.title')} – ${$('#report-month').textContent}`;
  notice(data.summary.calls === 0 ? t('metrics.empty') : data.skr.overall.bemotande.answers < data.skr.minAnswers ? t('metrics.tooFew', { n: data.skr.minAnswers }) : null);
  const onPaper = ['calls', 'answered', 'tto', 'noHelp', 'bemotande', 'enkelhet'];
  $('#report-kpis').replaceChildren(...keyFigures(data).filter((card) => onPaper.includes(card.dataset.kpi)).sort((a, b) => onPaper.indexOf(a.dataset.kpi) - onPaper.indexOf(b.dataset.kpi)));
  $('#report-figures').replaceWith(Object.assign(figuresTable(data.summary, data.previous), { id: 'report-figures', className: 'data report-table' }));
  draw($('#r-chart-index'), indexVsNational(data.skr, { animation: false }), SVG);
  draw($('#r-chart-tto'), waitHistogram(data.waits, { animation: false, compact: true }), SVG);
  draw($('#r-chart-trend'), weeklyTrend(data.trend, { animation: false }), SVG);
  draw($('#r-chart-sankey'), fallbackSankey(data.fallbacks, { animation: false, labelOf: (r, nodeId) => nodeName(data.labels, r.flowId, nodeId) }), SVG);
  const top = { ...data, fallbacks: data.fallbacks.slice(0, 10) };
  $('#r-fallback-table').replaceWith(Object.assign(fallbackTable(top, { compact: true }), { id: 'r-fallback-table', className: 'data report-table' }));
  renderQueues();
  $('#report-generated').textContent = t('report.generated', { date: date(session.serverNow()) });
}

/** Each queue of the month: its figures beside the month before's, and its heatmap. */
function renderQueues() {
  const month = form.elements.month.value;
  const list = $('#report-queue-list');
  for (const chart of list.querySelectorAll('.report-chart')) dispose(chart);
  const queues = data.queues.queues;
  $('#report-queues').hidden = !queues.length;
  list.replaceChildren(
    ...queues.map((f) => {
      const part = el('div', 'report-queue');
      part.dataset.queue = f.queue;
      const before = data.previousQueues.find((p) => p.queue === f.queue) ?? null;
      const figures = Object.assign(
        queueTable([
          { head: monthTitle(month), figures: f },
          { head: monthTitle(previousMonth(month)), figures: before },
        ]),
        { className: 'data report-table queue-table' },
      );
      const heat = data.queues.heatmaps.get(f.queue);
      const { figure, chart } = heatmapFigure(f.label, { className: 'report-chart report-chart-heat', figureClass: 'report-heat', heading: 'h3' });
      figure.querySelector('figcaption p').textContent = heat ? heatmapHelp(heat) : '';
      part.append(el('h3', 'table-title', f.label), figures, figure);
      return Object.assign(part, { heat, chart });
    }),
  );
  for (const part of list.children) if (part.heat) draw(part.chart, queueHeatmapChart(part.heat, { animation: false }), SVG);
}

function showSignedIn(signedIn) {
  for (const e of document.querySelectorAll('[data-when="signed-in"]')) e.hidden = !signedIn;
}

async function enter() {
  showSignedIn(true);
  const params = new URLSearchParams(location.search);
  const flows = await loadFlows();
  const options = flows.length > 1 ? [new Option(t('pick.allFlows'), '')] : [];
  form.elements.flow.replaceChildren(...options, ...flows.map((f) => new Option(f.name ?? f.id, f.id)));
  const wanted = params.get('flow');
  form.elements.flow.value = wanted && flows.some((f) => f.id === wanted) ? wanted : (flows.find((f) => f.default)?.id ?? flows[0]?.id ?? '');
  const month = params.get('month');
  form.elements.month.value = /^\d{4}-\d{2}$/.test(month ?? '') ? month : previousMonth(todayIso(session.serverNow()).slice(0, 7));
  form.addEventListener('change', load);
  await load();
}

/** The report opens with the dashboard's session cookie; without one (or with a password to change) it goes to sign-in and back. */
async function boot() {
  applyI18n();
  bindLangButtons();
  onLangChange(() => render());
  $('#print').addEventListener('click', () => window.print());
  session.onSignOut(() => toSignIn({ expired: true }));
  if (!(await loadSession()) || session.mustChangePassword) return toSignIn();
  if (!session.has('analyst')) {
    $('#report-access').hidden = false;
    return;
  }
  await enter();
}

boot();
