// The menus tab, for telephony admins tuning the IVR: each step's traffic and trouble, a
// before/after comparison of flow versions, the flow as a picture, and (admins) reloading the files.
import { api, session } from './api.js';
import { compareChanges, formatMetric, nodeBars, stepName } from './charts.js';
import { draw } from './chart-host.js';
import { flowGraphMinSize, flowGraphOption, graphFromPicture } from './flow-graph.js';
import { duration, num, oneLine, pct } from './format.js';
import { t } from './i18n.js';
import { RangePicker, loadFlows } from './pickers.js';
import { el, table } from './view-parts.js';

function topExit(n) {
  const [key, count] = Object.entries(n.exits.byKey).sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!key) return '–';
  const share = n.entries ? count / n.entries : null;
  return `${key} (${pct(share)})`;
}

/** The label staff know the node by; the flow file's id only as a tooltip, for the admin who edits the file. */
function nodeName(n) {
  const cell = el('span', '', stepName(n));
  cell.title = t('table.nodes.idInFile', { id: n.nodeId });
  return cell;
}

export function nodeTable(nodes) {
  return table(
    [
      { head: t('table.nodes.node'), cell: nodeName, className: 'text' },
      { head: t('table.nodes.type'), cell: (n) => t(n.type ? `nodeType.${n.type}` : 'nodeType.unknown'), className: 'text' },
      { head: t('table.nodes.entries'), cell: (n) => num(n.entries) },
      { head: t('table.nodes.repeats'), cell: (n) => num(n.repeats) },
      { head: t('table.nodes.invalid'), cell: (n) => num(n.invalid.total) },
      { head: t('table.nodes.timeouts'), cell: (n) => num(n.timeouts) },
      { head: t('table.nodes.hangups'), cell: (n) => num(n.hangups) },
      { head: t('table.nodes.time'), cell: (n) => duration(n.timeInNodeMs.median) },
      { head: t('table.nodes.topExit'), cell: topExit },
      { head: t('table.nodes.answerRate'), cell: (n) => (n.transfers ? pct(n.transfers.attempted ? n.transfers.answered / n.transfers.attempted : null) : '–') },
    ],
    [...nodes].sort((a, b) => b.entries - a.entries),
    t('metrics.empty'),
  );
}

export function compareTable(view) {
  const sig = (c) => (c.significant === null ? '–' : c.significant ? t('compare.yes') : t('compare.no'));
  const change = (c) => {
    if (c.delta === null) return '–';
    const span = el('span', c.direction === 'improved' ? 'up' : c.direction === 'worsened' ? 'down' : '');
    const sign = c.delta > 0 ? '+' : c.delta < 0 ? '−' : '±';
    // A share changes by percentage points; other measures in their own unit.
    const size = /(share|rate)$/i.test(c.metric) ? oneLine(`${num(Math.abs(c.delta) * 100, 1)} ${t('unit.pp')}`) : formatMetric(c.metric, Math.abs(c.delta));
    const rel = c.relative === null || !Number.isFinite(c.relative) ? '' : ` (${c.relative > 0 ? '+' : ''}${pct(c.relative, 1)})`;
    span.textContent = `${sign}${size}${rel}`;
    return span;
  };
  return table(
    [
      { head: t('compare.metric'), cell: (c) => t(`metric.${c.metric}`), className: 'text' },
      { head: `A · ${view.a.label}`, cell: (c) => formatMetric(c.metric, c.a) },
      { head: `B · ${view.b.label}`, cell: (c) => formatMetric(c.metric, c.b) },
      { head: t('compare.change'), cell: change },
      { head: t('compare.significant'), cell: sig },
    ],
    view.changes,
    t('metrics.empty'),
  );
}

export class MenusView {
  constructor(root) {
    this.root = root;
    this.picker = new RangePicker(root.querySelector('#menus-pickers'), { allFlows: false, days: 90 });
    this.compareForm = root.querySelector('#compare-pickers');
    this.ready = null;
    this.seq = 0;
    this.data = null;
  }

  async show() {
    this.ready ??= this.picker.init().then(() => {
      this.picker.onChange(() => this.load());
      this.compareForm.addEventListener('change', () => this.loadCompare());
      this.root.querySelector('#reload-flows').addEventListener('click', () => this.reload());
    });
    await this.ready;
    if (!this.data) await this.load();
  }

  notice(id, text) {
    const n = this.root.querySelector(id);
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  flow() {
    return this.picker.flows.find((f) => f.id === this.picker.value().flow) ?? null;
  }

  async load() {
    const seq = ++this.seq;
    const { query } = this.picker.value();
    const flow = this.flow();
    if (!flow) return this.notice('#menus-notice', t('menus.flowRequired'));
    this.root.dataset.state = 'loading';
    // The statistics per step are the analysts'; an admin without that role sees the flow's picture.
    const statistics = session.has('analyst');
    try {
      const [nodes, picture] = await Promise.all([statistics ? api(`/metrics/nodes?${query}`) : { nodes: null }, this.picture(flow.id)]);
      if (seq !== this.seq) return;
      this.data = { nodes: nodes.nodes, picture };
      this.notice('#menus-notice', null);
      if (statistics) {
        this.fillVersions(flow);
        this.render();
        await this.loadCompare();
      } else this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      if (seq !== this.seq) return;
      this.root.dataset.state = 'error';
      this.notice('#menus-notice', t('metrics.unavailable', { message: err.message }));
    }
  }

  /** The flow in service as steps and arrows (null when it cannot be had: the card is then hidden). */
  async picture(flowId) {
    return api(`/dashboard/flow-graph?flow=${encodeURIComponent(flowId)}`).catch(() => null);
  }

  fillVersions(flow) {
    const versions = flow.versions ?? [flow.version];
    for (const [name, pick] of [['a', versions.length - 2], ['b', versions.length - 1]]) {
      const select = this.compareForm.elements[name];
      const keep = select.value;
      select.replaceChildren(...versions.map((v) => new Option(`${t('compare.version', { v })}${v === flow.version ? ` (${t('compare.current')})` : ''}`, v)));
      select.value = versions.includes(keep) ? keep : versions[Math.max(0, pick)];
    }
  }

  async loadCompare() {
    const flow = this.flow();
    const a = this.compareForm.elements.a.value;
    const b = this.compareForm.elements.b.value;
    const chart = this.root.querySelector('#chart-compare');
    if (!flow || !a || !b || a === b) {
      this.notice('#compare-notice', t('compare.needTwo'));
      chart.hidden = true;
      this.root.querySelector('#compare-table').replaceChildren();
      return;
    }
    const { query } = this.picker.value();
    const q = new URLSearchParams(query);
    q.set('flow', flow.id);
    q.set('a', a);
    q.set('b', b);
    try {
      const view = await api(`/metrics/compare?${q}`);
      this.compare = view;
      this.notice('#compare-notice', null);
      chart.hidden = false;
      draw(chart, compareChanges(view));
      this.root.querySelector('#compare-table').replaceWith(Object.assign(compareTable(view), { id: 'compare-table' }));
    } catch (err) {
      this.notice('#compare-notice', t('metrics.unavailable', { message: err.message }));
    }
  }

  render() {
    if (!this.data) return;
    if (this.data.nodes) {
      draw(this.root.querySelector('#chart-nodes'), nodeBars(this.data.nodes));
      this.root.querySelector('#node-table').replaceWith(Object.assign(nodeTable(this.data.nodes), { id: 'node-table' }));
    }
    const card = this.root.querySelector('#flow-card');
    card.hidden = !this.data.picture;
    if (this.data.picture) {
      const graph = graphFromPicture(this.data.picture);
      const box = this.root.querySelector('#chart-flow');
      const need = flowGraphMinSize(graph);
      // Never narrower than the picture needs: on a narrow screen its frame scrolls sideways instead.
      box.style.width = `${Math.max(box.parentElement.clientWidth, need.width)}px`;
      box.style.height = `${need.height}px`;
      draw(box, flowGraphOption(graph, { width: box.clientWidth, height: box.clientHeight }));
    }
  }

  async reload() {
    const out = this.root.querySelector('#reload-result');
    const button = this.root.querySelector('#reload-flows');
    button.disabled = true;
    try {
      const res = await api('/admin/flows/reload', { method: 'POST' });
      out.textContent = t('admin.reloaded', { flows: res.flows.map((f) => `${f.id}@${f.version} (${t(f.changed ? 'admin.changed' : 'admin.unchanged')})`).join(', ') });
      out.className = 'small';
      this.picker.flows = await loadFlows({ fresh: true });
      this.picker.fillFlows();
      await this.load();
    } catch (err) {
      out.textContent = t('admin.rejected', { message: err.message });
      out.className = 'small error';
    } finally {
      out.hidden = false;
      button.disabled = false;
    }
  }

  relabel() {
    if (this.picker.flows) this.picker.fillFlows();
    const flow = this.flow();
    if (flow && session.has('analyst')) this.fillVersions(flow);
    this.render();
    if (this.compare) {
      draw(this.root.querySelector('#chart-compare'), compareChanges(this.compare));
      this.root.querySelector('#compare-table').replaceWith(Object.assign(compareTable(this.compare), { id: 'compare-table' }));
    }
  }
}
