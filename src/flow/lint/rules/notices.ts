import type { LintResult } from '../result';
import { inFileOrder, type FlowAnalysis } from '../analysis';

/**
 * A person with an absence notice is not rung: the caller hears the notice and goes along the
 * node's onNoAnswer route at once. Where that route only hangs up, a caller told "Anna Lind är på
 * möte till klockan 14." is then cut off with nothing offered: no operator, no other extension.
 */
export function noticeRules(a: FlowAnalysis): LintResult[] {
  const { graph } = a;
  const flow = graph.flow;
  const results: LintResult[] = [];
  for (const id of inFileOrder(graph, a.reachable)) {
    const node = graph.nodes.get(id)!.node;
    const seeksPeople = node.type === 'directory' || (node.type === 'transfer' && flow.targets[node.target]?.kind === 'person');
    if (!seeksPeople) continue;
    const onNotice = node.onNotice ?? node.onNoAnswer;
    const next = typeof onNotice === 'string' ? onNotice : onNotice.next;
    if (flow.nodes[next]?.type !== 'hangup') continue;
    results.push({
      severity: 'warning',
      code: 'notice-hangs-up',
      file: a.file,
      path: `nodes.${id}.${node.onNotice ? 'onNotice' : 'onNoAnswer'}`,
      message: `a caller who meets an absence notice at "${id}" is sent to "${next}", which hangs up: offer the operator or another extension after the notice`,
    });
  }
  return results;
}
