import { EngineFault, type StepContext } from '../context';
import type { TransferNode } from '../schema';
import { dial, dialFinished, noticeInsteadOfRing, type DialResult, type DialTarget } from './dial';

function targetOf(ctx: StepContext, node: TransferNode): DialTarget {
  const t = ctx.flow.targets[node.target];
  if (!t) throw new EngineFault(`unknown target "${node.target}"`);
  return { id: node.target, kind: t.kind, number: t.number, category: node.category ?? t.category };
}

export const transfer = {
  enter(ctx: StepContext, node: TransferNode): void {
    const target = targetOf(ctx, node);
    // A person put through by a transfer node has a notice as a directory person does; a department or the operator has none.
    if (target.kind === 'person' && noticeInsteadOfRing(ctx, target, ctx.flow.targets[node.target].label, node)) return;
    if (node.say) ctx.say(node.say);
    dial(ctx, target, node.timeoutSeconds);
  },

  dialResult(ctx: StepContext, node: TransferNode, result: DialResult): void {
    dialFinished(ctx, targetOf(ctx, node), node, result);
  },
};
