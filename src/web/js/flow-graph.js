// The flow as a picture: reads the Mermaid text GET /api/flows/:id/mermaid gives and draws it with
// ECharts' graph series in columns from the start, so no Mermaid library has to be shipped.
import { COLORS, prefersMotion } from './charts.js';
import { esc, locale, unit } from './format.js';
import { t } from './i18n.js';

const NODE = /^\s+(\w+)(\{\{|\[\[|\(\[|\(\(|\(|\[)"(.*)"(\}\}|\]\]|\]\)|\)\)|\)|\])\s*$/;
// An edge; the first one also declares the start circle: start(("start")) --> n0_welcome.
const EDGE = /^\s+(\w+)(?:\(\("[^"]*"\)\))?\s+(-->|-\.->)(?:\|"(.*)"\|)?\s+(\w+)\s*$/;
const CLASS = /^\s+class\s+([\w,]+)\s+(\w+)\s*$/;

/** Text for a rich label: short, and without the characters rich text reads as markup. */
const clip = (s, n) => {
  const flat = s.replace(/[{}|]/g, '');
  return flat.length <= n ? flat : `${flat.slice(0, n - 1)}…`;
};

const unescape = (s) => s.replace(/#quot;/g, '"').replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/<br\/>/g, '\n');

/** The nodes, edges and classes of a Mermaid flowchart as callpath writes it. */
export function parseMermaid(text) {
  const nodes = new Map();
  const edges = [];
  for (const line of text.split('\n')) {
    let m;
    if ((m = EDGE.exec(line))) {
      edges.push({ from: m[1], to: m[4], dotted: m[2] === '-.->', label: m[3] ? unescape(m[3]) : '' });
      for (const id of [m[1], m[4]]) if (!nodes.has(id)) nodes.set(id, { id, label: id === 'start' ? 'start' : id, shape: '(', cls: null });
    } else if ((m = NODE.exec(line))) {
      nodes.set(m[1], { id: m[1], label: unescape(m[3]), shape: m[2], cls: nodes.get(m[1])?.cls ?? null });
    } else if ((m = CLASS.exec(line))) {
      for (const id of m[1].split(',')) {
        const n = nodes.get(id) ?? { id, label: id, shape: '[', cls: null };
        n.cls = m[2];
        nodes.set(id, n);
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** A language as the page's language names it: "engelska" / "English". */
function languageName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code.split('-')[0]) ?? code;
  } catch {
    return code;
  }
}

/** What takes an arrow, in words: "1", "0 (växeln)", "Ingen svarade, Upptaget", "för många försök". */
function partWords(p) {
  switch (p.kind) {
    case 'key':
      return p.language ? `${p.key} (${languageName(p.language)})` : p.key;
    case 'operator-key':
      return t('flow.edge.operatorKey', { key: p.key });
    case 'fallback':
      return t(`reason.${p.reason}`);
    case 'exhausted':
      return t('flow.edge.exhausted');
    case 'timeout':
      return t('flow.edge.timeout');
    case 'hours':
      return t(`flow.edge.${p.hours}`);
    default:
      return '';
  }
}

function edgeWords(parts) {
  const words = parts.map(partWords).filter(Boolean);
  const text = [...new Set(words)].join(', ');
  // A person search's fallback: the extension rang and nobody answered.
  return parts.some((p) => p.digits) ? t('flow.edge.extension', { what: text }) : text;
}

/**
 * The graph to draw from GET /api/dashboard/flow-graph, in the page's language: each step by its
 * label (else its kind, in words) with the start of what it says beneath; never a node id.
 */
export function graphFromPicture(picture) {
  const name = (id) => `n:${id}`;
  const nodes = [{ id: 'start', label: 'start', shape: '(', cls: null }];
  for (const n of picture.nodes) {
    const title = n.label ?? t(`nodeType.${n.type}`);
    const sub = n.ring
      ? t('flow.node.ring', { target: n.ring.targetLabel ?? t('nodeType.transfer'), time: unit(n.ring.seconds, 'second') })
      : n.wait
        ? t('flow.node.queue', { queue: n.wait.queueLabel ?? t('nodeType.queue'), time: unit(n.wait.seconds, 'second') })
        : (n.text ?? '');
    nodes.push({ id: name(n.id), label: sub ? `${title}\n${sub}` : title, title, shape: '[', cls: n.role });
  }
  const edges = [{ from: 'start', to: name(picture.start), dotted: false, label: '' }];
  for (const e of picture.edges) edges.push({ from: name(e.from), to: name(e.to), dotted: e.dotted, label: edgeWords(e.parts) });
  return { nodes, edges };
}

/**
 * Columns by the longest path from the start, over the edges that do not lead back (a "back to
 * the main menu" choice), so a node sits right of everything that leads to it; rows ordered by
 * where their parents sit, which keeps arrows short. What the start cannot reach goes last.
 */
function layout(graph) {
  const out = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) out.get(e.from)?.push(e);
  const state = new Map();
  const back = new Set();
  const visit = (id) => {
    state.set(id, 'open');
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') back.add(e);
      else if (!s) visit(e.to);
    }
    state.set(id, 'done');
  };
  visit('start');
  const parents = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) if (!back.has(e) && state.has(e.from)) parents.get(e.to)?.push(e.from);
  const column = new Map();
  const columnOf = (id) => {
    if (column.has(id)) return column.get(id);
    column.set(id, 0);
    const c = Math.max(0, ...parents.get(id).map((p) => columnOf(p) + 1));
    column.set(id, c);
    return c;
  };
  for (const n of graph.nodes) if (state.has(n.id)) columnOf(n.id);
  const last = Math.max(0, ...column.values()) + 1;
  for (const n of graph.nodes) if (!column.has(n.id)) column.set(n.id, last);

  const row = new Map();
  const columns = [...new Set(column.values())].sort((a, b) => a - b);
  for (const c of columns) {
    const members = graph.nodes.filter((n) => column.get(n.id) === c);
    const weight = (n) => {
      const ps = parents.get(n.id).filter((p) => row.has(p));
      return ps.length ? ps.reduce((s, p) => s + row.get(p), 0) / ps.length : Infinity;
    };
    members
      .map((n, i) => ({ n, w: weight(n), i }))
      .sort((a, b) => a.w - b.w || a.i - b.i)
      .forEach(({ n }, i) => row.set(n.id, i - (members.length - 1) / 2));
  }
  return { column, row, back };
}

const STYLE = {
  operator: { fill: '#e3f2e6', border: COLORS.good },
  human: { fill: '#e8f0fe', border: COLORS.brand },
  ending: { fill: '#f3f3f3', border: COLORS.gray },
};

/** Columns and the most rows in one, to size the chart before drawing. */
export function flowGraphSize(graph) {
  const { column, row } = layout(graph);
  return { columns: Math.max(...column.values()) + 1, rows: Math.max(...[...row.values()].map((r) => Math.abs(r) * 2 + 1)) };
}

const PAD_X = 110;
const PAD_Y = 40;
/** Centre to centre: a box is 196 px wide, and an arrow's key needs room between two boxes. */
const MIN_COLUMN_GAP = 250;
const ROW_GAP = 78;

/**
 * The size the picture needs to be legible: wide enough that no two boxes or labels meet (a phone
 * scrolls it sideways rather than squeezing it), tall enough for the fullest column.
 */
export function flowGraphMinSize(graph) {
  const { columns, rows } = flowGraphSize(graph);
  return { width: (columns - 1) * MIN_COLUMN_GAP + 2 * PAD_X, height: Math.max(320, rows * ROW_GAP + 80) };
}

/**
 * The option for a chart of `width` × `height` pixels. The graph view stretches the layout to fill
 * the chart (and the boxes with it), so the layout is made in the chart's own pixels.
 */
export function flowGraphOption(graph, { width, height, animation = prefersMotion() }) {
  const { column, row, back } = layout(graph);
  const { columns, rows } = flowGraphSize(graph);
  const colW = (width - 2 * PAD_X) / Math.max(1, columns - 1);
  const rowH = (height - 2 * PAD_Y) / Math.max(1, rows - 1);
  const data = graph.nodes.map((n) => {
    const style = STYLE[n.cls] ?? { fill: '#ffffff', border: '#7d8fa3' };
    const [title, ...rest] = n.label.split('\n');
    const isStart = n.id === 'start';
    return {
      name: n.id,
      x: column.get(n.id) * colW,
      y: (row.get(n.id) + (rows - 1) / 2) * rowH,
      symbol: isStart ? 'circle' : 'roundRect',
      symbolSize: isStart ? 22 : [196, 50],
      itemStyle: { color: style.fill, borderColor: style.border, borderWidth: n.cls ? 2 : 1.2 },
      label: {
        show: true,
        formatter: isStart ? '' : `{t|${clip(title, 30)}}\n{s|${clip(rest[0] ?? '', 36)}}`,
        rich: { t: { fontWeight: 650, fontSize: 11.5, color: COLORS.ink, lineHeight: 16 }, s: { fontSize: 10, color: COLORS.muted, lineHeight: 14 } },
      },
      tooltip: { formatter: esc(n.label).replace(/\n/g, '<br>') },
    };
  });
  const titleOf = new Map(graph.nodes.map((n) => [n.id, n.title ?? n.label.split('\n')[0]]));
  const links = graph.edges.map((e) => {
    const backwards = back.has(e) || column.get(e.to) <= column.get(e.from);
    return {
      source: e.from,
      target: e.to,
      // Keys on the arrows; the longer fallback reasons are in the tooltip (dashed says "fallback").
      label: { show: !!e.label && e.label.length <= 14, formatter: e.label, fontSize: 10.5, fontWeight: 600, color: COLORS.ink, backgroundColor: 'rgba(255,255,255,0.92)', padding: [1, 3], borderRadius: 3 },
      lineStyle: { type: e.dotted ? 'dashed' : 'solid', color: e.dotted ? COLORS.warn : '#8796a8', width: e.dotted ? 1.6 : 1.2, curveness: backwards ? 0.3 : 0.08 },
      tooltip: { formatter: `${esc(titleOf.get(e.from) ?? '')} → ${esc(titleOf.get(e.to) ?? '')}${e.label ? `<br>${esc(e.label)}` : ''}` },
    };
  });
  return {
    animation,
    tooltip: { confine: true },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: false,
        // Room for half a box on every side: the layout places box centres.
        left: PAD_X,
        right: PAD_X,
        top: PAD_Y,
        bottom: PAD_Y,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        data,
        links,
      },
    ],
  };
}
