import { buildGraph, type FlowEdge } from '../lint/graph';
import { promptText } from '../prompt';
import type { Flow, FlowNode, Prompt } from '../schema';

/**
 * A Mermaid flowchart of a flow, so staff can see the menu they are changing: each node with its
 * type and the start of what it says, each edge with its keys or the reason a fallback is taken.
 * Built from the same key-press graph the linter uses, so the picture shows what the engine does
 * (including the operator key in every menu and where exhausted retries lead).
 */
export interface MermaidOptions {
  /** Language of the prompt excerpts; the flow's default language if absent. */
  language?: string;
  /** Characters of prompt text shown per node. */
  excerptLength?: number;
}

export function renderMermaid(flow: Flow, opts: MermaidOptions = {}): string {
  const language = opts.language ?? flow.languages.default;
  const excerptLength = opts.excerptLength ?? 60;
  const graph = buildGraph(flow);
  const ids = new Map([...graph.nodes.keys()].map((id, i) => [id, `n${i}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`]));
  const text = (p: Prompt | undefined) => (p === undefined ? '' : excerpt(promptText(flow, p, language).text, excerptLength));

  const lines = ['flowchart TD', `  start(("start")) --> ${ids.get(flow.start)}`];
  for (const [id, node] of Object.entries(flow.nodes)) {
    const [open, close] = SHAPES[node.type];
    lines.push(`  ${ids.get(id)}${open}"${escape(nodeLabel(flow, id, node, text))}"${close}`);
  }
  for (const e of mergeEdges(graph.edges)) {
    const arrow = e.kind === 'fallback' || e.kind === 'exhausted' ? '-.->' : '-->';
    const label = joinLabels(e.labels);
    lines.push(`  ${ids.get(e.from)} ${arrow}${label ? `|"${escape(label)}"|` : ''} ${ids.get(e.to)}`);
  }
  lines.push('  classDef operator fill:#e3f2e6,stroke:#2e7d32,stroke-width:2px');
  lines.push('  classDef human fill:#e8f0fe,stroke:#1a56c4');
  lines.push('  classDef ending fill:#f3f3f3,stroke:#777');
  const cls = (name: string, list: string[]) => list.length && lines.push(`  class ${list.map((id) => ids.get(id)).join(',')} ${name}`);
  cls('operator', [...graph.operatorNodes]);
  cls('human', [...graph.nodes.values()].filter((g) => !graph.operatorNodes.has(g.id) && g.ends.some((x) => x.kind === 'human')).map((g) => g.id));
  cls('ending', [...graph.nodes.values()].filter((g) => g.out.length === 0 && !g.ends.some((x) => x.kind === 'human')).map((g) => g.id));
  return lines.join('\n') + '\n';
}

const SHAPES: Record<FlowNode['type'], [string, string]> = {
  menu: ['{{', '}}'],
  language: ['{{', '}}'],
  directory: ['{{', '}}'],
  transfer: ['[[', ']]'],
  message: ['(', ')'],
  hangup: ['([', '])'],
  survey: ['([', '])'],
  hours: ['{', '}'],
  queue: ['[[', ']]'],
  backup: ['[[', ']]'],
  callback: ['[/', '/]'],
};

function nodeLabel(flow: Flow, id: string, node: FlowNode, text: (p: Prompt | undefined) => string): string {
  const head = `${node.type}: ${id}`;
  switch (node.type) {
    case 'menu':
    case 'language':
      return `${head}\n${text(node.prompt)}`;
    case 'directory': {
      const people = Object.keys(flow.directory).length;
      return `${head} (${node.digits} ${node.digits === 1 ? 'digit' : 'digits'}, ${people} ${people === 1 ? 'person' : 'people'})\n${text(node.prompt)}`;
    }
    case 'transfer': {
      const t = flow.targets[node.target];
      const who = t ? `${t.label} (${t.kind})` : node.target;
      return `${head}\n→ ${who}, ${node.timeoutSeconds} s${node.say ? `\n${text(node.say)}` : ''}`;
    }
    case 'backup':
      return `${head}\n→ the backup of the person sought, ${node.timeoutSeconds} s`;
    case 'queue': {
      const q = flow.queues[node.queue];
      const keys = Object.entries(node.keys).map(([k, to]) => `${k} → ${to}`).join(', ');
      return `${head}\n⏳ ${q?.label ?? node.queue}, at most ${node.maxWaitSeconds} s${keys ? `; leave: ${keys}` : ''}${node.say ? `\n${text(node.say)}` : ''}`;
    }
    case 'message':
      return `${head}\n${text(node.say)}`;
    case 'hangup':
      return node.say ? `${head}\n${text(node.say)}` : `${head}\n(silent)`;
    case 'survey':
      return `${head}\n${flow.survey.questions.join(', ')}`;
    case 'callback': {
      const p = flow.callback?.promise;
      const promise = !p ? 'no promise' : 'within' in p ? `within ${p.within.hours} working hours` : `by ${p.byNextWorkingDay} the next working day`;
      return `${head}\n☎ callback, ${promise}${node.say ? `\n${text(node.say)}` : ''}`;
    }
    case 'hours':
      return `${head}\n${Object.entries(node.open)
        .map(([days, hours]) => `${days} ${hours}`)
        .join('; ')}${node.holidays === 'sweden' ? '; closed on Swedish holidays' : ''}`;
  }
}

interface MergedEdge {
  from: string;
  to: string;
  kind: FlowEdge['kind'];
  labels: string[];
}

/** One arrow per pair of nodes and kind: "no-answer, busy, failed" rather than three arrows. */
function mergeEdges(edges: FlowEdge[]): MergedEdge[] {
  const merged = new Map<string, MergedEdge>();
  for (const e of edges) {
    const style = e.kind === 'fallback' || e.kind === 'exhausted' ? 'dotted' : 'solid';
    const key = `${e.from}|${e.to}|${style}`;
    // Moving on by itself needs no words; a callback made or a person without a backup does.
    const label = e.kind === 'next' && e.label === 'next' ? '' : e.kind === 'operator-key' ? `${e.label} (operator)` : e.label;
    const m = merged.get(key);
    if (!m) merged.set(key, { from: e.from, to: e.to, kind: e.kind, labels: label ? [label] : [] });
    else if (label && !m.labels.includes(label)) m.labels.push(label);
  }
  return [...merged.values()];
}

/** "4 digits + no-answer, 4 digits + busy" reads better as "4 digits + no-answer, busy". */
function joinLabels(labels: string[]): string {
  let prefix: string | null = null;
  return labels
    .map((l) => {
      const m = /^(\d+ digits \+ )(.*)$/.exec(l);
      if (!m) return l;
      if (prefix === m[1]) return m[2];
      prefix = m[1];
      return l;
    })
    .join(', ');
}

function excerpt(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= n ? flat : `${flat.slice(0, n - 1).trimEnd()}…`;
}

/** Mermaid reads quotes and angle brackets inside a quoted label as markup; its entity codes keep them text. */
function escape(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, '<br/>');
}
