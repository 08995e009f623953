import type { FallbackReason } from '../../journey/events';
import { isChoiceNode, isTerminal, reachableFrom, type FlowEdge, type FlowGraph } from './graph';

/**
 * Fewest key presses from each node to the operator, along the keys a caller presses and the
 * messages that move on by themselves. Waiting is not a way there: neither letting a menu's
 * retries run out nor hoping a department does not answer is a path anyone plans. When waits are
 * included (to tell "only by waiting" from "not at all"), the caller still picks the cheapest
 * choice, but which fallback a dial ends in is not theirs to pick, so the worst of them counts.
 */
export interface OperatorStep {
  from: string;
  label: string;
  to: string;
}

export interface FallbackReach {
  node: string;
  reasons: FallbackReason[];
  route: string;
  /** Key presses from the fallback to the operator; null when the route ends the call or never gets there. */
  keys: number | null;
  steps: OperatorStep[];
  /** The route ends the call (a message, a hang-up) instead of leading anywhere. */
  endsCall: boolean;
}

export interface OperatorReach {
  operatorNodes: string[];
  /** Per node reachable from start where the caller chooses (and per operator node): fewest key presses to the operator, null if no keys get there. */
  byNode: Record<string, number | null>;
  /** The largest of byNode over the nodes where a caller can be, and where it occurs. */
  max: { keys: number; from: string[]; steps: OperatorStep[] } | null;
  afterFallbacks: FallbackReach[];
}

export function keysToOperator(graph: FlowGraph, opts: { includeWaiting: boolean }): Map<string, number> {
  const use = usable(opts.includeWaiting);
  const d = new Map<string, number>();
  for (const id of graph.nodes.keys()) d.set(id, graph.operatorNodes.has(id) ? 0 : Infinity);
  // Values only fall, and they are whole numbers, so this reaches the fixed point; for graphs of a few dozen nodes that is instant.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, g] of graph.nodes) {
      if (graph.operatorNodes.has(id)) continue;
      const v = nodeValue(g.out.filter(use), d);
      if (v < d.get(id)!) {
        d.set(id, v);
        changed = true;
      }
    }
  }
  return d;
}

/** min over the caller's choices of (max over what may then happen). */
function nodeValue(out: FlowEdge[], d: Map<string, number>): number {
  let best = Infinity;
  for (const group of groupByChoice(out).values()) best = Math.min(best, groupValue(group, d));
  return best;
}

const usable = (includeWaiting: boolean) => (e: FlowEdge) => includeWaiting || (!e.waiting && e.kind !== 'fallback');

const groupValue = (group: FlowEdge[], d: Map<string, number>) => Math.max(...group.map((e) => e.keys + d.get(e.to)!));

function groupByChoice(out: FlowEdge[]): Map<string, FlowEdge[]> {
  const groups = new Map<string, FlowEdge[]>();
  for (const e of out) {
    const g = groups.get(e.choice);
    if (g) g.push(e);
    else groups.set(e.choice, [e]);
  }
  return groups;
}

/** The keys behind a node's value: its best choice, and the worst outcome of that choice. */
export function operatorSteps(graph: FlowGraph, from: string, d: Map<string, number>, includeWaiting = false): OperatorStep[] {
  const steps: OperatorStep[] = [];
  let at = from;
  for (let guard = 0; guard <= graph.nodes.size && !graph.operatorNodes.has(at) && Number.isFinite(d.get(at)); guard++) {
    const out = graph.nodes.get(at)!.out.filter(usable(includeWaiting));
    // Among equally cheap choices, show the one a caller would take: the operator key, then a way without a dial that must go unanswered.
    const best = [...groupByChoice(out).values()]
      .filter((group) => groupValue(group, d) === d.get(at))
      .sort((x, y) => preference(x) - preference(y))[0];
    if (!best) break;
    const chosen = best.reduce((w, e) => (e.keys + d.get(e.to)! > w.keys + d.get(w.to)! ? e : w));
    steps.push({ from: at, label: chosen.label, to: chosen.to });
    at = chosen.to;
  }
  return steps;
}

const preference = (group: FlowEdge[]) => (group.some((e) => e.kind === 'operator-key') ? 0 : group.some((e) => e.kind === 'fallback') ? 2 : 1);

export function operatorReach(graph: FlowGraph): OperatorReach {
  const d = keysToOperator(graph, { includeWaiting: false });
  const reachable = reachableFrom(graph, [graph.flow.start]);
  const byNode: Record<string, number | null> = {};
  for (const id of graph.nodes.keys()) {
    if (!reachable.has(id) || !(isChoiceNode(graph.nodes.get(id)!) || graph.operatorNodes.has(id))) continue;
    const v = d.get(id)!;
    byNode[id] = Number.isFinite(v) ? v : null;
  }

  let max: OperatorReach['max'] = null;
  for (const id of Object.keys(byNode)) {
    const g = graph.nodes.get(id)!;
    const v = d.get(id)!;
    if (!isChoiceNode(g) || !Number.isFinite(v)) continue;
    if (!max || v > max.keys) max = { keys: v, from: [id], steps: operatorSteps(graph, id, d) };
    else if (v === max.keys) max.from.push(id);
  }

  const merged = new Map<string, FallbackReach>();
  for (const e of graph.edges) {
    if (e.kind !== 'fallback' || !reachable.has(e.from) || !e.reason) continue;
    const key = `${e.from}->${e.to}`;
    const existing = merged.get(key);
    if (existing) {
      existing.reasons.push(e.reason);
      continue;
    }
    const v = d.get(e.to)!;
    merged.set(key, {
      node: e.from,
      reasons: [e.reason],
      route: e.to,
      keys: Number.isFinite(v) ? v : null,
      steps: Number.isFinite(v) ? operatorSteps(graph, e.to, d) : [],
      endsCall: isTerminal(graph.nodes.get(e.to)!),
    });
  }
  return { operatorNodes: [...graph.operatorNodes].sort(), byNode, max, afterFallbacks: [...merged.values()] };
}

/** "main: 5 → person: 4 digits + no-answer → person_unavailable: 0 → operator" */
export const keyPresses = (n: number): string => `${n} key ${n === 1 ? 'press' : 'presses'}`;

export function describeSteps(from: string, steps: OperatorStep[]): string {
  if (!steps.length) return from;
  return steps.map((s) => `${s.from}: ${s.label}`).join(' → ') + ` → ${steps[steps.length - 1].to}`;
}
