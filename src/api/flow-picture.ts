import type { FallbackReason } from '../journey/events';
import { buildGraph, type EdgeKind } from '../flow/lint/graph';
import { nodeLabel } from '../flow/node-label';
import { promptText } from '../flow/prompt';
import type { Flow, NodeType, Prompt, TargetKind } from '../flow/schema';

/**
 * The flow as data for the dashboard's picture: each step with its label and the start of what it
 * says, each arrow with what takes it (a key, a fallback's reason, retries used up) as codes the page
 * puts into words in its own language. Unlike the Mermaid text (for flow authors: node ids and the
 * file's schema words), nothing here is meant to be shown as it is but the flow's own labels and words.
 */
export interface PictureNode {
  id: string;
  type: NodeType;
  /** The flow file's label, else derived from the node (see flow/node-label.ts); null when there is none. */
  label: string | null;
  /** The start of what the step says, in the flow's default language. */
  text: string | null;
  /** What a transfer rings, and for how long. */
  ring: { targetLabel: string | null; targetKind: TargetKind | null; seconds: number } | null;
  /** The queue a queue step puts the caller in, and the longest it keeps them. */
  wait?: { queueLabel: string | null; seconds: number } | null;
  /** operator: reaches the operator; human: reaches a person or department; ending: the call ends here. */
  role: 'operator' | 'human' | 'ending' | null;
}

/** One way along an arrow: what the page words ("1", "Ingen svarade", "för många försök"). */
export interface PicturePart {
  kind: EdgeKind;
  /** The key pressed (key, operator-key); for a person search's fallback, the digits of an extension. */
  key?: string;
  digits?: number;
  reason?: FallbackReason;
  language?: string;
  /** hours: "open" or "closed". */
  hours?: 'open' | 'closed';
}

export interface PictureEdge {
  from: string;
  to: string;
  /** A fallback or retries used up: the ways nobody plans. */
  dotted: boolean;
  parts: PicturePart[];
}

export interface FlowPicture {
  flowId: string;
  version: string;
  start: string;
  nodes: PictureNode[];
  edges: PictureEdge[];
}

const EXCERPT = 60;

function excerpt(flow: Flow, p: Prompt | undefined): string | null {
  if (p === undefined) return null;
  const flat = promptText(flow, p, flow.languages.default).text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT ? flat : `${flat.slice(0, EXCERPT - 1).trimEnd()}…`;
}

function spoken(flow: Flow, id: string): string | null {
  const node = flow.nodes[id];
  switch (node.type) {
    case 'menu':
    case 'language':
    case 'directory':
      return excerpt(flow, node.prompt);
    case 'message':
    case 'hangup':
    case 'transfer':
    case 'queue':
      return excerpt(flow, node.say);
    default:
      return null;
  }
}

export function flowPicture(flow: Flow): FlowPicture {
  const graph = buildGraph(flow);
  const nodes: PictureNode[] = [...graph.nodes.values()].map((g) => {
    const node = g.node;
    const target = node.type === 'transfer' ? flow.targets[node.target] : undefined;
    const human = g.ends.some((e) => e.kind === 'human');
    return {
      id: g.id,
      type: g.type,
      label: nodeLabel(flow, g.id),
      text: spoken(flow, g.id),
      ring: node.type === 'transfer' ? { targetLabel: target?.label ?? null, targetKind: target?.kind ?? null, seconds: node.timeoutSeconds } : null,
      wait: node.type === 'queue' ? { queueLabel: flow.queues[node.queue]?.label ?? null, seconds: node.maxWaitSeconds } : null,
      role: graph.operatorNodes.has(g.id) ? 'operator' : human ? 'human' : g.out.length === 0 ? 'ending' : null,
    };
  });
  const edges = new Map<string, PictureEdge>();
  for (const e of graph.edges) {
    const dotted = e.kind === 'fallback' || e.kind === 'exhausted';
    const key = `${e.from}|${e.to}|${dotted}`;
    const edge = edges.get(key) ?? { from: e.from, to: e.to, dotted, parts: [] };
    edges.set(key, edge);
    if (e.kind === 'next') continue;
    const part: PicturePart = { kind: e.kind };
    if (e.kind === 'key' || e.kind === 'operator-key') part.key = e.choice;
    if (e.language) part.language = e.language;
    if (e.reason) part.reason = e.reason;
    if (e.kind === 'fallback' && e.choice === 'extension') part.digits = e.keys;
    if (e.kind === 'hours') part.hours = e.choice === 'closed' ? 'closed' : 'open';
    if (!edge.parts.some((p) => JSON.stringify(p) === JSON.stringify(part))) edge.parts.push(part);
  }
  return { flowId: flow.id, version: flow.version, start: flow.start, nodes, edges: [...edges.values()] };
}
