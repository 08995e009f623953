import type { LintResult } from '../result';
import { isSilentEnd, type FlowAnalysis } from '../analysis';
import { isDialling, type FlowEdge } from '../graph';

/**
 * Every fallback (a dial nobody answered, retries used up) must lead the caller to a human or at
 * least tell them something; and a transfer that nobody answers must not lead, without any choice
 * of the caller's, back to itself: out of office hours that call would ring round for ever.
 */
export function fallbackRules(a: FlowAnalysis): LintResult[] {
  const results: LintResult[] = [];
  const { graph } = a;
  // Busy and failed fall back on onNoAnswer when they have no route of their own: one finding per route in the file.
  const byPath = new Map<string, FlowEdge[]>();
  for (const e of graph.edges) {
    if ((e.kind !== 'fallback' && e.kind !== 'exhausted') || !a.reachable.has(e.from)) continue;
    const key = `${e.path}|${e.from}`;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  for (const edges of byPath.values()) {
    const e = edges[0];
    const reasons = edges.map((x) => x.reason).filter(Boolean).join('/');
    const at = e.kind === 'exhausted' ? `when the retries run out at "${e.from}"` : `after ${reasons} at "${e.from}"`;
    const toldSomething = e.say !== undefined && isSilentEnd(graph, e.to);
    if (!a.endsWell.has(e.to) && !toldSomething) {
      results.push({
        severity: 'error',
        code: 'fallback-dead-end',
        file: a.file,
        path: e.path,
        message: `${at} the caller is sent to "${e.to}", which leads to no person, operator or message`,
      });
    }
    if (e.kind === 'fallback' && isDialling(graph.nodes.get(e.from)!)) {
      const cycle = unsteeredCycle(a, e);
      if (cycle) {
        results.push({
          severity: 'error',
          code: 'fallback-loop',
          file: a.file,
          path: e.path,
          message: `${at} the caller is put through again without a choice (${cycle.join(' → ')}): while nobody answers, the call goes round for ever`,
        });
      }
    }
  }
  return results;
}

/** A way from the fallback's route back to its transfer along edges the caller cannot steer: messages and opening-hours checks moving on, and the same fallback again. */
function unsteeredCycle(a: FlowAnalysis, start: FlowEdge): string[] | null {
  const { graph } = a;
  if (start.to === start.from) return [start.from, start.from];
  const parent = new Map<string, string | null>([[start.to, null]]);
  const queue = [start.to];
  while (queue.length) {
    const id = queue.shift()!;
    const g = graph.nodes.get(id)!;
    const forced = g.out.filter((e) => e.kind === 'next' || e.kind === 'hours' || (e.kind === 'fallback' && isDialling(g) && e.reason === start.reason));
    for (const e of forced) {
      if (e.to === start.from) {
        const path: string[] = [];
        for (let at: string | null = id; at !== null; at = parent.get(at)!) path.unshift(at);
        return [start.from, ...path, start.from];
      }
      if (parent.has(e.to)) continue;
      parent.set(e.to, id);
      queue.push(e.to);
    }
  }
  return null;
}
