// One ECharts instance per element, resized with its box (a hidden tab has none until shown). Every
// chart drawn gets its data as a table beneath it (chart-table.js): its text alternative.
import { describeChart } from './chart-table.js';

const charts = new Map();
const observer = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => entries.forEach((e) => charts.get(e.target)?.resize())) : null;

/** Draws an option into an element, replacing what was there. */
export function draw(el, option, { renderer = 'canvas' } = {}) {
  let chart = charts.get(el);
  if (!chart) {
    // echarts.min.js is a classic deferred script that runs before the page's modules.
    chart = globalThis.echarts.init(el, null, { renderer });
    charts.set(el, chart);
    observer?.observe(el);
  }
  chart.setOption(option, { notMerge: true });
  describeChart(el, option);
  return chart;
}

export function clear(el) {
  charts.get(el)?.clear();
}

/** Lets go of an element's chart, for an element about to leave the page. */
export function dispose(el) {
  const chart = charts.get(el);
  if (!chart) return;
  observer?.unobserve(el);
  chart.dispose();
  charts.delete(el);
}
