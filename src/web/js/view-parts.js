// Small DOM builders shared by the dashboard tabs and the report.
import { num } from './format.js';
import { t } from './i18n.js';

export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** A key-figure card; tone colours its top edge (good, bad, warn, accent); key names it (data-kpi). */
export function kpiCard(label, value, sub, tone, key) {
  const card = el('div', `kpi${tone ? ` kpi-${tone}` : ''}`);
  if (key) card.dataset.kpi = key;
  card.append(el('div', 'kpi-label', label), el('div', 'kpi-value', value));
  if (sub) card.append(el('div', 'kpi-sub', sub));
  return card;
}

/**
 * A table from column definitions {head, cell(row) → text | Node, className}; an empty body says so.
 */
export function table(columns, rows, emptyText) {
  const tableEl = el('table', 'data');
  const head = el('thead');
  const tr = el('tr');
  for (const c of columns) {
    // Headings keep the column's alignment, not its monospace.
    const th = el('th', c.className?.replace(/\bmono\b/, '').trim() || undefined, c.head);
    th.scope = 'col';
    tr.append(th);
  }
  head.append(tr);
  const body = el('tbody');
  for (const row of rows) {
    const r = el('tr');
    for (const c of columns) {
      const v = c.cell(row);
      const td = el('td', c.className);
      if (v instanceof Node) td.append(v);
      else td.textContent = v ?? '–';
      r.append(td);
    }
    body.append(r);
  }
  if (!rows.length) {
    const r = el('tr');
    const td = el('td', 'text muted', emptyText);
    td.colSpan = columns.length;
    r.append(td);
    body.append(r);
  }
  tableEl.append(head, body);
  return tableEl;
}

/** Index points as a signed difference, coloured by sign. */
export function compareLabel(delta, digits = 1) {
  if (delta === null || delta === undefined) return '–';
  const span = el('span', delta > 0 ? 'up' : delta < 0 ? 'down' : '', `${delta > 0 ? '+' : ''}${num(delta, digits)}`);
  return span;
}

/** A step of a flow as staff know it: its label, else what kind of step it is, in words; never its id. */
export function nodeName(labels, flowId, nodeId) {
  if (nodeId === null || nodeId === undefined) return '–';
  const flow = labels?.flows?.[flowId];
  const label = flow?.nodes?.[nodeId];
  if (label) return label;
  const type = flow?.types?.[nodeId];
  return t(type ? `nodeType.${type}` : 'nodeType.unknown');
}

/** A transfer target as people know it: a department's name, a queue's (a fallback out of a queue), or an extension. */
export function targetLabel(labels, flowId, target) {
  if (target === null || target === undefined) return '–';
  const flow = labels?.flows?.[flowId];
  const label = flow?.targets?.[target] ?? flow?.queues?.[target];
  if (label) return label;
  return /^\d+$/.test(target) ? t('live.party.extension', { ext: target }) : target;
}
