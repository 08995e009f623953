import type { FallbackReason } from '../../journey/events';
import { routeNext, routeSay, type Flow, type FlowNode, type NodeType, type Prompt, type Route, type TargetKind } from '../schema';

/**
 * The key-press graph of a flow: every way the engine can move a caller from one node to another,
 * with the key presses it costs. Built from the same rules the engine applies (src/flow/nodes), so
 * the linter, the replay and the rendering all reason about the flow the caller actually meets.
 */
export type EdgeKind =
  /** a menu route or a language option */
  | 'key'
  /** the flow's operator key, valid in every menu with operatorKey: true and in person search */
  | 'operator-key'
  /** a message moving on by itself */
  | 'next'
  /** a language menu left without a choice keeps the language and moves on */
  | 'timeout'
  /** a dial nobody answered (transfer, or the person an extension rang) */
  | 'fallback'
  /** a menu or person search whose retries ran out */
  | 'exhausted'
  /** an opening-hours check moving on by itself: to `next` when open, along `closed` when not */
  | 'hours';

export interface FlowEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Key presses the caller makes on this edge (an extension counts each digit). */
  keys: number;
  /** What takes it, for people: "1", "0", "4 digits + no-answer", "retries used up". */
  label: string;
  /**
   * Edges of one node with the same choice are one decision of the caller; which of them then
   * happens (busy or no answer) is not the caller's to decide.
   */
  choice: string;
  /** Where the flow file defines this edge. */
  path: string;
  reason?: FallbackReason;
  /** The language a language option switches to. */
  language?: string;
  /** A sentence the route says on the way. */
  say?: Prompt;
  /** Only taken by a caller who keeps failing or staying silent; nobody plans a path through it. */
  waiting: boolean;
}

/** How a call can end at a node without moving on. */
export type NodeEnd =
  | { kind: 'human'; targetKind: TargetKind; target: string }
  /** the caller is told something, then the IVR hangs up (or asks the survey) */
  | { kind: 'message' }
  /** the IVR hangs up without a word */
  | { kind: 'silent' };

export interface GraphNode {
  id: string;
  type: NodeType;
  node: FlowNode;
  ends: NodeEnd[];
  out: FlowEdge[];
  in: FlowEdge[];
}

export interface FlowGraph {
  flow: Flow;
  nodes: Map<string, GraphNode>;
  edges: FlowEdge[];
  /** Nodes that put the caller through to the operator (operator.node, transfers to an operator target, queues). */
  operatorNodes: Set<string>;
}

export const FALLBACK_REASONS: readonly FallbackReason[] = ['no-answer', 'busy', 'failed'];

/** The route the engine follows for each reason a dial was not answered (see nodes/dial.ts). */
export function fallbackRoutes(node: { onNoAnswer: Route; onBusy?: Route; onFailed?: Route }, at: string): { reason: FallbackReason; route: Route; path: string }[] {
  return [
    { reason: 'no-answer', route: node.onNoAnswer, path: `${at}.onNoAnswer` },
    { reason: 'busy', route: node.onBusy ?? node.onNoAnswer, path: node.onBusy ? `${at}.onBusy` : `${at}.onNoAnswer` },
    { reason: 'failed', route: node.onFailed ?? node.onNoAnswer, path: node.onFailed ? `${at}.onFailed` : `${at}.onNoAnswer` },
  ];
}

export function buildGraph(flow: Flow): FlowGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: FlowEdge[] = [];
  for (const [id, node] of Object.entries(flow.nodes)) nodes.set(id, { id, type: node.type, node, ends: [], out: [], in: [] });

  const add = (e: Omit<FlowEdge, 'waiting'> & { waiting?: boolean }) => {
    const edge: FlowEdge = { ...e, waiting: e.waiting ?? false };
    // The loader has checked every reference; an unknown id here would be a loader bug, so it is skipped rather than thrown.
    if (!nodes.has(edge.to)) return;
    edges.push(edge);
    nodes.get(edge.from)!.out.push(edge);
    nodes.get(edge.to)!.in.push(edge);
  };
  const route = (from: string, r: Route, e: Pick<FlowEdge, 'kind' | 'keys' | 'label' | 'choice' | 'path' | 'reason' | 'waiting'>) =>
    add({ from, to: routeNext(r), ...e, ...(routeSay(r) ? { say: routeSay(r) } : {}) });

  /** Retries used up: the node's onExhausted, else the operator, else a goodbye and hang-up (nodes/retry.ts). */
  const exhausted = (id: string, onExhausted: Route | undefined) => {
    const at = `nodes.${id}`;
    if (onExhausted) route(id, onExhausted, { kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: `${at}.onExhausted`, waiting: true });
    else if (flow.operator) add({ from: id, to: flow.operator.node, kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: 'operator.node', waiting: true });
    else nodes.get(id)!.ends.push({ kind: 'message' });
  };
  const dialFallbacks = (id: string, node: { onNoAnswer: Route; onBusy?: Route; onFailed?: Route; onNotice?: Route }, keys: number, choice: string, labelPrefix: string) => {
    for (const f of fallbackRoutes(node, `nodes.${id}`)) {
      route(id, f.route, { kind: 'fallback', keys, label: `${labelPrefix}${f.reason}`, choice, path: f.path, reason: f.reason, waiting: false });
    }
    // An absence notice sends the caller along onNotice (else onNoAnswer, an edge already) before any ring.
    if (node.onNotice) route(id, node.onNotice, { kind: 'fallback', keys, label: `${labelPrefix}notice`, choice, path: `nodes.${id}.onNotice`, reason: 'notice', waiting: false });
  };

  for (const [id, node] of Object.entries(flow.nodes)) {
    const at = `nodes.${id}`;
    const g = nodes.get(id)!;
    switch (node.type) {
      case 'message':
        if (node.next) add({ from: id, to: node.next, kind: 'next', keys: 0, label: 'next', choice: 'next', path: `${at}.next` });
        else g.ends.push({ kind: 'message' });
        break;
      case 'hangup':
        g.ends.push({ kind: node.say ? 'message' : 'silent' });
        break;
      case 'survey':
        g.ends.push({ kind: 'message' });
        break;
      case 'callback': {
        if (node.next) add({ from: id, to: node.next, kind: 'next', keys: 2, label: 'callback requested', choice: 'next', path: `${at}.next` });
        else g.ends.push({ kind: 'message' });
        // The operator key works while the caller is asked to confirm (nodes/callback.ts).
        const op = flow.operator;
        if (op && op.key !== '1' && op.key !== '2') add({ from: id, to: op.node, kind: 'operator-key', keys: 1, label: op.key, choice: op.key, path: 'operator.key' });
        exhausted(id, node.onExhausted);
        break;
      }
      case 'hours':
        add({ from: id, to: node.next, kind: 'hours', keys: 0, label: 'open', choice: 'open', path: `${at}.next` });
        route(id, node.closed, { kind: 'hours', keys: 0, label: 'closed', choice: 'closed', path: `${at}.closed`, waiting: false });
        break;
      case 'menu': {
        for (const [digit, to] of Object.entries(node.routes)) {
          add({ from: id, to, kind: 'key', keys: 1, label: digit, choice: digit, path: `${at}.routes.${digit}` });
        }
        const op = flow.operator;
        if (op && node.operatorKey && node.routes[op.key] === undefined) {
          add({ from: id, to: op.node, kind: 'operator-key', keys: 1, label: op.key, choice: op.key, path: 'operator.key' });
        }
        exhausted(id, node.onExhausted);
        break;
      }
      case 'language':
        for (const [digit, language] of Object.entries(node.options)) {
          add({ from: id, to: node.next, kind: 'key', keys: 1, label: `${digit} (${language})`, choice: digit, path: `${at}.options.${digit}`, language });
        }
        add({ from: id, to: node.next, kind: 'timeout', keys: 0, label: 'no choice', choice: 'timeout', path: `${at}.next` });
        break;
      case 'backup': {
        // Whom it rings depends on the person sought; that it can be a person or a group is all the graph knows.
        g.ends.push({ kind: 'human', targetKind: 'person', target: '' });
        dialFallbacks(id, node, 0, 'dial', '');
        if (node.noBackup) route(id, node.noBackup, { kind: 'next', keys: 0, label: 'no backup', choice: 'no-backup', path: `${at}.noBackup`, waiting: false });
        else if (flow.operator) add({ from: id, to: flow.operator.node, kind: 'next', keys: 0, label: 'no backup', choice: 'no-backup', path: 'operator.node' });
        break;
      }
      case 'transfer': {
        const target = flow.targets[node.target];
        if (target) g.ends.push({ kind: 'human', targetKind: target.kind, target: node.target });
        dialFallbacks(id, node, 0, 'dial', '');
        break;
      }
      case 'queue': {
        g.ends.push({ kind: 'human', targetKind: 'operator', target: node.queue });
        for (const [digit, to] of Object.entries(node.keys)) {
          add({ from: id, to, kind: 'key', keys: 1, label: `${digit} (in queue)`, choice: digit, path: `${at}.keys.${digit}` });
        }
        route(id, node.onMaxWait, { kind: 'fallback', keys: 0, label: 'max-wait', choice: 'queue', path: `${at}.onMaxWait`, reason: 'max-wait', waiting: false });
        route(id, node.onFull, { kind: 'fallback', keys: 0, label: 'queue-full', choice: 'queue', path: `${at}.onFull`, reason: 'queue-full', waiting: false });
        break;
      }
      case 'directory': {
        const op = flow.operator;
        if (op && !flow.directory[op.key]) {
          add({ from: id, to: op.node, kind: 'operator-key', keys: 1, label: op.key, choice: op.key, path: 'operator.key' });
        }
        if (Object.keys(flow.directory).length) {
          g.ends.push({ kind: 'human', targetKind: 'person', target: '' });
          dialFallbacks(id, node, node.digits, 'extension', `${node.digits} digits + `);
        }
        exhausted(id, node.onExhausted);
        break;
      }
    }
  }

  const operatorNodes = new Set<string>();
  if (flow.operator) operatorNodes.add(flow.operator.node);
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type === 'transfer' && flow.targets[node.target]?.kind === 'operator') operatorNodes.add(id);
    if (node.type === 'queue') operatorNodes.add(id);
  }
  return { flow, nodes, edges, operatorNodes };
}

/** Nodes reachable from `from` (itself included) along the edges `use` allows. */
export function reachableFrom(graph: FlowGraph, from: Iterable<string>, use: (e: FlowEdge) => boolean = () => true): Set<string> {
  const seen = new Set<string>();
  const stack = [...from].filter((id) => graph.nodes.has(id));
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.nodes.get(id)!.out) if (use(e) && !seen.has(e.to)) stack.push(e.to);
  }
  return seen;
}

/** True for nodes where the call stops moving through the flow by itself (a hang-up, a message end, the survey). */
export function isTerminal(g: GraphNode): boolean {
  return g.out.length === 0;
}

/** Nodes that put the caller to a human and wait on them: a transfer's ring, a backup's, a queue's wait. */
export function isDialling(g: GraphNode): boolean {
  return g.type === 'transfer' || g.type === 'queue' || g.type === 'backup';
}

/** Nodes where the caller decides where to go (or is carried on without a dial). Dialling nodes leave it to whoever answers. */
export function isChoiceNode(g: GraphNode): boolean {
  return !isTerminal(g) && !isDialling(g);
}
