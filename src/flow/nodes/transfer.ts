import { EngineFault, type StepContext } from '../context';
import type { TransferNode } from '../schema';
import { dial, dialFinished, type DialResult, type DialTarget } from './dial';

function targetOf(ctx: StepContext, node: TransferNode): DialTarget {
  const t = ctx.flow.targets[node.target];
  if (!t) throw new EngineFault(`unknown target "${node.target}"`);
  return { id: node.target, kind: t.kind, number: t.number, category: node.category ?? t.category };
}

export const transfer = {
  enter(ctx: StepContext, node: TransferNode): void {
    if (node.say) ctx.say(node.say);
    dial(ctx, targetOf(ctx, node), node.timeoutSeconds);
  },

  dialResult(ctx: StepContext, node: TransferNode, result: DialResult): void {
    dialFinished(ctx, targetOf(ctx, node), node, result);
  },
};
