import { reachableFrom, type FlowGraph } from './graph';

/**
 * Facts several rules share, computed once per flow: which nodes a caller can get to at all, and
 * from which nodes the call can still end well (a person or the operator answers, or the caller is
 * told something before the IVR hangs up).
 */
export interface FlowAnalysis {
  graph: FlowGraph;
  file: string;
  reachable: Set<string>;
  /** Nodes from which a human or a spoken end can be reached. */
  endsWell: Set<string>;
}

export function analyse(graph: FlowGraph, file: string): FlowAnalysis {
  const reachable = reachableFrom(graph, [graph.flow.start]);
  const endsWell = new Set<string>();
  const stack: string[] = [];
  for (const g of graph.nodes.values()) {
    // A message speaks before it moves on: a silent hang-up after it still ends the call with words.
    const speaks = graph.flow.nodes[g.id]?.type === 'message';
    const good = g.ends.some((e) => e.kind !== 'silent') || g.out.some((e) => (e.say !== undefined || speaks) && isSilentEnd(graph, e.to));
    if (good) stack.push(g.id);
  }
  while (stack.length) {
    const id = stack.pop()!;
    if (endsWell.has(id)) continue;
    endsWell.add(id);
    for (const e of graph.nodes.get(id)!.in) if (!endsWell.has(e.from)) stack.push(e.from);
  }
  return { graph, file, reachable, endsWell };
}

/** A node that hangs up without a word. */
export function isSilentEnd(graph: FlowGraph, id: string): boolean {
  const g = graph.nodes.get(id);
  return !!g && g.out.length === 0 && g.ends.every((e) => e.kind === 'silent');
}

/** The nodes of the flow in file order, so findings come out in the order an admin reads the file. */
export function inFileOrder(graph: FlowGraph, ids: Iterable<string>): string[] {
  const order = new Map([...graph.nodes.keys()].map((id, i) => [id, i]));
  return [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
