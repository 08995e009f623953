import type { LintResult } from '../result';
import { inFileOrder, isSilentEnd, type FlowAnalysis } from '../analysis';
import type { FlowGraph } from '../graph';

/** Nodes no caller can get to: usually a route someone forgot to add, or a node left behind. */
export function unreachableNodes(a: FlowAnalysis): LintResult[] {
  const start = a.graph.flow.start;
  return inFileOrder(a.graph, [...a.graph.nodes.keys()].filter((id) => !a.reachable.has(id))).map((id) => ({
    severity: 'warning',
    code: 'unreachable-node',
    file: a.file,
    path: `nodes.${id}`,
    message: `node "${id}" cannot be reached from start "${start}"`,
  }));
}

/**
 * Groups of nodes that only lead to each other, with no end and no way out: a caller who gets in
 * is passed round for ever (messages) or until they hang up (menus with no exit).
 */
export function loopsWithoutExit(a: FlowAnalysis): { results: LintResult[]; trapped: Set<string> } {
  const results: LintResult[] = [];
  const trapped = new Set<string>();
  for (const scc of stronglyConnected(a.graph, a.reachable)) {
    const members = new Set(scc);
    const nodes = scc.map((id) => a.graph.nodes.get(id)!);
    const isCycle = scc.length > 1 || nodes[0].out.some((e) => e.to === scc[0]);
    if (!isCycle) continue;
    const exits = nodes.some((g) => g.ends.length > 0 || g.out.some((e) => !members.has(e.to)));
    if (exits) continue;
    const ordered = inFileOrder(a.graph, scc);
    ordered.forEach((id) => trapped.add(id));
    const what = ordered.length === 1 ? `node "${ordered[0]}" leads only back to itself` : `nodes ${ordered.map((id) => `"${id}"`).join(', ')} lead only to each other`;
    results.push({
      severity: 'error',
      code: 'loop-without-exit',
      file: a.file,
      path: `nodes.${ordered[0]}`,
      message: `loop without exit: ${what}; a caller there never reaches a person, the operator or an end of the call`,
    });
  }
  return { results, trapped };
}

/**
 * Places where a caller is stuck or cut off: a node from which no person, operator or spoken end
 * can be reached, and a key that hangs up on the caller without a word.
 */
export function deadEnds(a: FlowAnalysis, trapped: Set<string>): LintResult[] {
  const results: LintResult[] = [];
  for (const id of inFileOrder(a.graph, a.reachable)) {
    const g = a.graph.nodes.get(id)!;
    if (g.out.length === 0 || trapped.has(id) || a.endsWell.has(id)) continue;
    results.push({
      severity: 'error',
      code: 'dead-end',
      file: a.file,
      path: `nodes.${id}`,
      message: `dead end: from "${id}" no person, operator or message can be reached`,
    });
  }
  for (const e of a.graph.edges) {
    if (!a.reachable.has(e.from) || e.say !== undefined || !isSilentEnd(a.graph, e.to)) continue;
    if (e.kind !== 'key' && e.kind !== 'operator-key' && e.kind !== 'timeout') continue;
    const how = e.kind === 'timeout' ? 'saying nothing' : `key ${e.label}`;
    results.push({
      severity: 'error',
      code: 'dead-end',
      file: a.file,
      path: e.path,
      message: `dead end: ${how} at "${e.from}" leads to "${e.to}", which hangs up without a word`,
    });
  }
  return results;
}

/** Tarjan's algorithm, iterative so a long chain of nodes cannot overflow the stack. */
export function stronglyConnected(graph: FlowGraph, within: Set<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of within) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = graph.nodes.get(frame.id)!.out.filter((e) => within.has(e.to));
      if (frame.next < edges.length) {
        const to = edges[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const scc: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          scc.push(id);
        } while (id !== frame.id);
        out.push(scc);
      }
    }
  }
  return out;
}
