// ECharts options built from the API's JSON. Pure functions of the data and the language, so the
// dashboard and the printed report draw the same pictures.
import { t } from './i18n.js';
import { duration, esc, locale, num, oneLine, pct, unit, unitRange } from './format.js';

export const COLORS = {
  brand: '#25507d',
  accent: '#0f7c8c',
  good: '#2e7d4f',
  warn: '#c27a00',
  bad: '#b3261e',
  gray: '#9aa8b6',
  lightGray: '#cdd5de',
  purple: '#7a5ab8',
  ink: '#14212e',
  muted: '#566779',
};

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
/** Charts grow into place unless the user asked the system for less motion (as the CSS already honours). */
export const prefersMotion = () => !(typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches);

const base = (animation = prefersMotion()) => ({
  animation,
  textStyle: { fontFamily: FONT, color: COLORS.ink },
  grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
  tooltip: { confine: true, textStyle: { fontFamily: FONT } },
});

const noData = (option) => ({
  ...option,
  graphic: { type: 'text', left: 'center', top: 'middle', style: { text: t('chart.noData'), fill: COLORS.muted, fontSize: 14, fontFamily: FONT } },
});

/** Bemötande and enkelhet, ours against each national reference: the bars municipalities publish. */
export function indexVsNational(skr, { animation } = {}) {
  const questions = ['bemotande', 'enkelhet'];
  const refs = skr.references.slice(-2);
  const refColors = [COLORS.lightGray, COLORS.gray];
  const label = (digits) => ({ show: true, position: 'top', fontWeight: 600, formatter: (p) => (p.value === null ? '–' : num(p.value, digits)) });
  const series = [
    {
      name: t('chart.index.ours'),
      type: 'bar',
      barMaxWidth: 56,
      itemStyle: { color: COLORS.brand, borderRadius: [3, 3, 0, 0] },
      label: { ...label(1), color: COLORS.brand, fontSize: 14 },
      data: questions.map((q) => skr.overall[q].index),
    },
    ...refs.map((ref, i) => ({
      name: t('chart.index.national', { year: ref.year }),
      type: 'bar',
      barMaxWidth: 56,
      itemStyle: { color: refColors[i + (refs.length === 1 ? 1 : 0)], borderRadius: [3, 3, 0, 0] },
      label: { ...label(1), color: COLORS.muted },
      data: questions.map((q) => ref[q]),
    })),
  ];
  const option = {
    ...base(animation),
    legend: { top: 0, left: 0, icon: 'roundRect' },
    grid: { left: 8, right: 16, top: 44, bottom: 8, containLabel: true },
    tooltip: { ...base().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (v === null ? '–' : num(v, 1)) },
    xAxis: { type: 'category', data: questions.map((q) => t(`chart.index.${q}`)), axisLabel: { fontSize: 13, fontWeight: 600 } },
    yAxis: numberAxis({ min: 0, max: 100, interval: 20, splitLine: { lineStyle: { color: '#eef1f5' } } }),
    series,
  };
  return skr.overall.bemotande.answers + skr.overall.enkelhet.answers ? option : noData(option);
}

/** A display bin in the language's units: "0–15 s", "45 s–1 min", "1–1,5 min", "över 5 min". */
export const binLabel = (b) => {
  const inUnit = (ms) => (ms < 60_000 ? [ms / 1000, 'second'] : [ms / 60_000, 'minute']);
  const [from, fromUnit] = inUnit(b.fromMs);
  if (b.toMs === null) return oneLine(t('chart.bin.over', { time: unit(from, fromUnit) }));
  const [to, toUnit] = inUnit(b.toMs);
  // A bin ending at a whole minute is said in minutes ("45 s–1 min"), one unit where both ends share it.
  if (fromUnit === toUnit) return unitRange(from, to, toUnit);
  return `${unit(from, fromUnit)}–${unit(to, toUnit)}`;
};

/** Value axes and tooltips in the page's number format ("1 000"), not the chart library's. */
const numberAxis = (extra = {}) => ({ type: 'value', ...extra, axisLabel: { ...(extra.axisLabel ?? {}), formatter: (v) => num(v) } });
const valueFormatter = (v) => (v === null || v === undefined ? '–' : num(v));

/** How long callers waited for the operator: a histogram in bins people read at a glance. */
export function waitHistogram(data, { animation, compact = false } = {}) {
  const option = {
    ...base(animation),
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    tooltip: { ...base().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter },
    xAxis: { type: 'category', data: data.bins.map(binLabel), axisLabel: { interval: 0, fontSize: compact ? 10 : 11, rotate: compact ? 40 : 0 }, axisTick: { alignWithLabel: true } },
    yAxis: numberAxis({ name: t('chart.tto.calls'), nameTextStyle: { color: COLORS.muted, align: 'left' }, minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } } }),
    series: [
      {
        name: t('chart.tto.calls'),
        type: 'bar',
        barCategoryGap: '18%',
        itemStyle: { color: COLORS.accent, borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: 'top', color: COLORS.muted, formatter: (p) => (p.value ? num(p.value) : '') },
        data: data.bins.map((b) => b.count),
      },
    ],
  };
  return data.distribution.count ? option : noData(option);
}

/** "v. 10", or "v. 10 (del)" for a week the range holds only part of. */
export const weekLabel = (w) => oneLine(t(w.partial ? 'chart.trend.weekPartial' : 'chart.trend.week', { week: w.week }));

/** Calls per week as bars, with the indices and shares as lines on a 0–100 scale. */
export function weeklyTrend(data, { animation } = {}) {
  // A range that starts on a Sunday has a first "week" of one day and no calls: leave such edges out.
  let first = 0;
  let last = data.weeks.length;
  while (first < last && !data.weeks[first].calls) first++;
  while (last > first && !data.weeks[last - 1].calls) last--;
  const weeks = data.weeks.slice(first, last);
  const pctOf = (v) => (v === null ? null : Math.round(v * 1000) / 10);
  const line = (name, color, values, dashed = false) => ({
    name,
    type: 'line',
    yAxisIndex: 1,
    smooth: 0.2,
    connectNulls: true,
    symbolSize: 7,
    lineStyle: { width: 2.5, color, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color },
    data: values,
  });
  const option = {
    ...base(animation),
    legend: { top: 0, left: 0, icon: 'roundRect' },
    grid: { left: 8, right: 8, top: 62, bottom: 8, containLabel: true },
    tooltip: {
      ...base().tooltip,
      trigger: 'axis',
      formatter: (items) => {
        const w = weeks[items[0].dataIndex];
        const rows = items.map((i) => {
          const v = i.value === null || i.value === undefined ? '–' : i.seriesIndex === 0 ? num(i.value) : i.seriesIndex >= 3 ? pct(i.value / 100, 1) : num(i.value, 1);
          return `${i.marker} ${i.seriesName}: <b>${v}</b>`;
        });
        const part = w.partial ? `<br>${esc(t('chart.trend.partialHelp', { days: num(w.days) }))}` : '';
        return [`<b>${esc(weekLabel(w))}</b> (${w.year})${part}`, ...rows].join('<br>');
      },
    },
    xAxis: { type: 'category', data: weeks.map(weekLabel) },
    yAxis: [
      numberAxis({ name: t('chart.trend.calls'), nameTextStyle: { color: COLORS.muted, align: 'left' }, minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } } }),
      numberAxis({ name: `${t('chart.trend.index')} / %`, nameTextStyle: { color: COLORS.muted, align: 'right' }, min: 0, max: 100, splitLine: { show: false } }),
    ],
    series: [
      { name: t('chart.trend.calls'), type: 'bar', barMaxWidth: 36, itemStyle: { color: '#dbe3ec', borderRadius: [3, 3, 0, 0] }, data: weeks.map((w) => w.calls) },
      line(t('chart.trend.bemotande'), COLORS.brand, weeks.map((w) => w.bemotande.index)),
      line(t('chart.trend.enkelhet'), COLORS.accent, weeks.map((w) => w.enkelhet.index)),
      line(t('chart.trend.answered'), COLORS.good, weeks.map((w) => pctOf(w.answeredShare)), true),
      line(t('chart.trend.fallbackRate'), COLORS.warn, weeks.map((w) => pctOf(w.fallbackRate)), true),
    ],
  };
  return weeks.some((w) => w.calls) ? option : noData(option);
}

const FATE_COLORS = {
  answered_by_operator: COLORS.good,
  answered_by_person: '#4f9d6d',
  answered_by_department: '#74b58c',
  abandoned: COLORS.bad,
  ended_by_ivr: COLORS.gray,
};

/**
 * Fallbacks as a flow: who did not answer (and why) → the menu the caller was sent to → how the
 * call ended. Link tooltips carry the mean time lost.
 */
/** labelOf(row, nodeId) names a step as staff know it; the default shows node ids. */
export function fallbackSankey(rows, { labelOf = (_row, nodeId) => nodeId, animation } = {}) {
  const nodes = new Map();
  const links = new Map();
  const addNode = (name, title, color, depth) => {
    if (!nodes.has(name)) nodes.set(name, { name, title, depth, itemStyle: { color, borderColor: color } });
  };
  const addLink = (source, target, value, lostSum, lostCount) => {
    const key = `${source}>${target}`;
    const l = links.get(key) ?? { source, target, value: 0, lostSum: 0, lostCount: 0 };
    l.value += value;
    l.lostSum += lostSum;
    l.lostCount += lostCount;
    links.set(key, l);
  };
  for (const r of rows) {
    const src = `from:${r.nodeId}|${r.reason}`;
    const via = `via:${r.route ?? '?'}`;
    addNode(src, `${labelOf(r, r.nodeId)} · ${t(`reason.${r.reason}`)}`, COLORS.warn, 0);
    addNode(via, `→ ${r.route ? labelOf(r, r.route) : '?'}`, COLORS.brand, 1);
    addLink(src, via, r.occurrences, r.lostTotalMs ?? 0, r.lostMs.count);
    for (const [outcome, n] of Object.entries(r.outcomes)) {
      if (!n) continue;
      const end = `end:${outcome}`;
      addNode(end, t(`outcome.${outcome}`), FATE_COLORS[outcome] ?? COLORS.gray, 2);
      // Time lost is known per fallback row, not per outcome: each outcome gets its share of the row's total.
      addLink(via, end, n, r.occurrences ? ((r.lostTotalMs ?? 0) * n) / r.occurrences : 0, r.lostMs.mean === null ? 0 : n);
    }
  }
  const labelFor = new Map([...nodes.values()].map((n) => [n.name, n.title]));
  const option = {
    ...base(animation),
    tooltip: {
      ...base().tooltip,
      trigger: 'item',
      formatter: (p) => {
        if (p.dataType === 'edge') {
          const l = p.data;
          // The table's statistic: the time lost in all (its "time lost in all" column).
          const lost = l.lostCount ? `<br>${t('chart.sankey.lostTotal')}: <b>${duration(l.lostSum)}</b>` : '';
          return `${esc(labelFor.get(l.source))} → ${esc(labelFor.get(l.target))}<br><b>${num(l.value)}</b>${lost}`;
        }
        return `${esc(p.data.title)}: <b>${num(p.value)}</b>`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 170,
        top: 12,
        bottom: 12,
        nodeGap: 14,
        nodeWidth: 16,
        layoutIterations: 32,
        emphasis: { focus: 'adjacency' },
        label: { formatter: (p) => `${labelFor.get(p.name)}  ${num(p.value)}`, fontSize: 12, color: COLORS.ink },
        lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
        data: [...nodes.values()],
        links: [...links.values()],
      },
    ],
  };
  return rows.length ? option : noData(option);
}

/** A step as staff know it: the flow's label, else what kind of step it is, in words (never its id). */
export const stepName = (n) => n.label ?? (n.type ? t(`nodeType.${n.type}`) : t('nodeType.unknown'));

/** Per menu step: visits, wrong keys, no choice and hang-ups, busiest steps first. */
export function nodeBars(nodes, { animation, limit = 14 } = {}) {
  const rows = [...nodes].sort((a, b) => b.entries - a.entries).slice(0, limit).reverse();
  const bar = (name, color, values) => ({ name, type: 'bar', barMaxWidth: 14, itemStyle: { color, borderRadius: [0, 3, 3, 0] }, data: values });
  const option = {
    ...base(animation),
    legend: { top: 0, left: 0, icon: 'roundRect' },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    tooltip: { ...base().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter },
    xAxis: numberAxis({ minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } } }),
    yAxis: { type: 'category', data: rows.map(stepName), axisLabel: { fontSize: 12, width: 220, overflow: 'truncate' } },
    series: [
      bar(t('chart.nodes.entries'), COLORS.brand, rows.map((n) => n.entries)),
      bar(t('chart.nodes.invalid'), COLORS.warn, rows.map((n) => n.invalid.total)),
      bar(t('chart.nodes.timeouts'), COLORS.purple, rows.map((n) => n.timeouts)),
      bar(t('chart.nodes.hangups'), COLORS.bad, rows.map((n) => n.hangups)),
    ],
  };
  return rows.length ? option : noData(option);
}

/** Relative change per measure, version B against A: green where it got better, red where worse. */
const HEADLINE_METRICS = [
  'answered.share',
  'abandoned.total.share',
  'timeToOperatorMs.median',
  'timeToHumanMs.median',
  'keyPresses.mean',
  'fallback.rate',
  'fallback.lostMs.median',
  'bemotande.index',
  'enkelhet.index',
  'firstContactResolution.share',
];

export function compareChanges(view, { animation } = {}) {
  // The headline measures only: a tail measure on a handful of calls (−100 %) would dwarf the rest.
  const rows = HEADLINE_METRICS.map((m) => view.changes.find((c) => c.metric === m))
    .filter((c) => c && c.relative !== null && Number.isFinite(c.relative))
    .reverse();
  const option = {
    ...base(animation),
    grid: { left: 20, right: 56, top: 12, bottom: 8, containLabel: true },
    tooltip: {
      ...base().tooltip,
      trigger: 'item',
      formatter: (p) => {
        const c = rows[p.dataIndex];
        return `${esc(t(`metric.${c.metric}`))}<br>A: <b>${formatMetric(c.metric, c.a)}</b> → B: <b>${formatMetric(c.metric, c.b)}</b>`;
      },
    },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => `${v > 0 ? '+' : ''}${pct(v / 100)}` }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    yAxis: { type: 'category', data: rows.map((c) => t(`metric.${c.metric}`)), axisLabel: { fontSize: 12, fontFamily: FONT } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: rows.map((c) => ({
          value: Math.round(c.relative * 1000) / 10,
          itemStyle: { color: c.direction === 'improved' ? COLORS.good : c.direction === 'worsened' ? COLORS.bad : COLORS.gray, borderRadius: 3 },
        })),
        label: { show: true, position: 'right', formatter: (p) => `${p.value > 0 ? '+' : ''}${pct(p.value / 100, 1)}`, color: COLORS.muted },
      },
    ],
  };
  return rows.length ? option : noData(option);
}

/** A measure's value as people read it: times as durations, shares as percentages. */
export function formatMetric(metric, v) {
  if (v === null || v === undefined) return '–';
  if (/Ms\./.test(metric) || metric.endsWith('Ms')) return duration(v);
  if (/(share|rate)$/i.test(metric)) return pct(v, 1);
  if (/index$/.test(metric)) return num(v, 1);
  return num(v, 1);
}

/** A weekday 1 (Monday) … 7 as the language names it, short ("mån") or long ("måndag"). */
export function weekdayName(weekday, style = 'short') {
  // 5 January 2026 was a Monday.
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: style }).format(Date.UTC(2026, 0, 4 + weekday));
}

const hh = (h) => String(h).padStart(2, '0');

/**
 * A queue's callers by weekday and hour of joining (GET /api/metrics/queues/:queue/heatmap): each
 * cell says how many of those offered were answered within the target ("8/12"), and is coloured by
 * that share against the target, so where staffing falls short shows at a glance. Monday to
 * Friday always, the weekend when it had callers; the hours that had callers.
 */
export function queueHeatmapChart(heat, { animation } = {}) {
  const cells = heat.cells;
  const days = [1, 2, 3, 4, 5, ...[6, 7].filter((d) => cells.some((c) => c.weekday === d))];
  const from = cells.length ? Math.min(...cells.map((c) => c.hour)) : 8;
  const to = cells.length ? Math.max(...cells.map((c) => c.hour)) : 16;
  const hours = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const seconds = unit(heat.serviceLevel.seconds, 'second');
  const target = Math.round(heat.serviceLevel.target * 100);
  const near = Math.max(0, target - 15);
  const within = t('chart.heat.within', { seconds });
  const data = cells.map((c) => ({
    value: [hours.indexOf(c.hour), days.indexOf(c.weekday), c.serviceLevel === null ? null : Math.round(c.serviceLevel * 1000) / 10],
    cell: c,
    // The same cell as a row of the chart's table (chart-table.js).
    row: [weekdayName(c.weekday, 'long'), `${hh(c.hour)}–${hh(c.hour + 1)}`, num(c.offered), num(c.answered), num(c.answeredWithin), pct(c.serviceLevel)],
  }));
  const option = {
    ...base(animation),
    grid: { left: 8, right: 16, top: 8, bottom: 44, containLabel: true },
    tooltip: {
      ...base().tooltip,
      trigger: 'item',
      formatter: (p) => {
        const c = p.data.cell;
        return `${esc(weekdayName(c.weekday, 'long'))} ${hh(c.hour)}–${hh(c.hour + 1)}<br>${esc(t('chart.heat.offered'))}: <b>${num(c.offered)}</b><br>${esc(within)}: <b>${num(c.answeredWithin)}</b> (${pct(c.serviceLevel)})`;
      },
    },
    xAxis: { type: 'category', data: hours.map(hh), splitArea: { show: true }, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', data: days.map((d) => weekdayName(d)), inverse: true, splitArea: { show: true }, axisLabel: { fontSize: 12 } },
    visualMap: {
      type: 'piecewise',
      dimension: 2,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 14,
      itemHeight: 14,
      textStyle: { color: COLORS.ink, fontSize: 12 },
      pieces: [
        { gte: target, label: t('chart.heat.met', { target: pct(target / 100) }), color: '#9fd4b0' },
        { gte: near, lt: target, label: t('chart.heat.near', { from: num(near), to: pct(target / 100) }), color: '#f6d48a' },
        { lt: near, label: t('chart.heat.below', { share: pct(near / 100) }), color: '#f2a19a' },
      ],
    },
    series: [
      {
        name: within,
        type: 'heatmap',
        data,
        tableHead: [t('chart.heat.weekday'), t('chart.heat.hour'), t('chart.heat.offered'), t('chart.heat.answered'), within, t('chart.heat.share')],
        label: { show: true, color: COLORS.ink, fontSize: 11, formatter: (p) => `${num(p.data.cell.answeredWithin)}/${num(p.data.cell.offered)}` },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: COLORS.ink, borderWidth: 1 } },
      },
    ],
  };
  return cells.length ? option : noData(option);
}
