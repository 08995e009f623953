import type { StepContext } from '../context';
import type { HangupNode, MessageNode } from '../schema';

export const message = {
  enter(ctx: StepContext, node: MessageNode): void {
    ctx.say(node.say);
    if (node.next) return ctx.goTo(node.next);
    ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
    ctx.hangup();
  },
};

export const hangup = {
  enter(ctx: StepContext, node: HangupNode): void {
    if (node.say) ctx.say(node.say);
    ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
    ctx.hangup();
  },
};
