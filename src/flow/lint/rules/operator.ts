import type { LintResult } from '../result';
import { inFileOrder, type FlowAnalysis } from '../analysis';
import { isChoiceNode } from '../graph';
import { describeSteps, keyPresses, keysToOperator, operatorSteps } from '../operator-reach';

/**
 * The operator must be reachable by keys from every place a caller can be, and, where the admin
 * sets a budget, within that many key presses. Places already reported as dead ends or loops are
 * left out: the operator is the least of their problems.
 */
export function operatorRules(a: FlowAnalysis, opts: { maxOperatorKeys?: number }): LintResult[] {
  const { graph } = a;
  if (!graph.operatorNodes.size) {
    return [{
      severity: 'warning',
      code: 'no-operator',
      file: a.file,
      path: 'operator',
      message: 'the flow has no operator (no operator.node and no transfer to a target of kind operator): a caller who is lost cannot reach a person',
    }];
  }
  const results: LintResult[] = [];
  const byKeys = keysToOperator(graph, { includeWaiting: false });
  const byWaiting = keysToOperator(graph, { includeWaiting: true });
  for (const id of inFileOrder(graph, a.reachable)) {
    const g = graph.nodes.get(id)!;
    if (!isChoiceNode(g) || graph.operatorNodes.has(id) || !a.endsWell.has(id)) continue;
    const keys = byKeys.get(id)!;
    if (!Number.isFinite(keys)) {
      const waiting = Number.isFinite(byWaiting.get(id)!);
      results.push({
        severity: waiting ? 'warning' : 'error',
        code: waiting ? 'operator-only-by-waiting' : 'operator-unreachable',
        file: a.file,
        path: `nodes.${id}`,
        message: waiting
          ? `from "${id}" no key leads to the operator, only waiting for retries to run out or a transfer to go unanswered (${describeSteps(id, operatorSteps(graph, id, byWaiting, true))})`
          : `the operator cannot be reached from "${id}"`,
      });
      continue;
    }
    if (opts.maxOperatorKeys !== undefined && keys > opts.maxOperatorKeys) {
      results.push({
        severity: 'error',
        code: 'operator-budget',
        file: a.file,
        path: `nodes.${id}`,
        message: `reaching the operator from "${id}" takes ${keyPresses(keys)} (${describeSteps(id, operatorSteps(graph, id, byKeys))}), more than the budget of ${opts.maxOperatorKeys}`,
      });
    }
  }
  return results;
}
