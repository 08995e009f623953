import type { LintResult } from '../result';
import type { FlowAnalysis } from '../analysis';

/**
 * Callbacks: a callback node offered with no promise (callers hear only "as soon as we can", and the
 * inbox can never call a request overdue), and a promise written for callbacks no caller can reach.
 * A callback node nobody reaches is the structure rules' unreachable-node.
 */
export function callbackRules(a: FlowAnalysis): LintResult[] {
  const flow = a.graph.flow;
  const offered = Object.entries(flow.nodes).filter(([id, n]) => n.type === 'callback' && a.reachable.has(id));
  const out: LintResult[] = [];
  for (const [id] of offered) {
    if (flow.callback?.promise) continue;
    out.push({
      severity: 'warning',
      code: 'callback-without-promise',
      file: a.file,
      path: `nodes.${id}`,
      message: `callback node "${id}" is offered but the flow gives no promise (callback.promise): callers hear "as soon as we can" and no request is ever overdue`,
    });
  }
  if (flow.callback && !offered.length) {
    out.push({
      severity: 'warning',
      code: 'callback-never-offered',
      file: a.file,
      path: 'callback',
      message: 'callback promises a callback, but no caller reaches a callback node',
    });
  }
  return out;
}
