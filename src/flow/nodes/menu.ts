import type { StepContext } from '../context';
import type { MenuNode } from '../schema';
import { isOperatorKey, retryOrGiveUp } from './retry';

function ask(ctx: StepContext, node: MenuNode, retry: number): void {
  ctx.ask({ prompt: node.prompt, numDigits: 1, timeoutSeconds: node.timeoutSeconds, finishOnKey: '', patch: { r: retry } });
}

export const menu = {
  enter(ctx: StepContext, node: MenuNode): void {
    ask(ctx, node, 0);
  },

  input(ctx: StepContext, node: MenuNode, digits: string): void {
    const nodeId = ctx.state.n;
    const to = node.routes[digits] ?? (isOperatorKey(ctx, digits, node.operatorKey) ? ctx.flow.operator!.node : undefined);
    if (to !== undefined) {
      ctx.record({ type: 'input.digits', nodeId, digits, purpose: 'menu' });
      return ctx.goTo(to);
    }
    ctx.record(digits === '' ? { type: 'input.timeout', nodeId } : { type: 'input.invalid', nodeId, digits });
    retryOrGiveUp(ctx, {
      maxRetries: node.maxRetries,
      onExhausted: node.onExhausted,
      explain: () => {
        if (digits === '') node.noInputPrompt ? ctx.say(node.noInputPrompt) : ctx.sayBuiltIn('noInput');
        else node.invalidPrompt ? ctx.say(node.invalidPrompt) : ctx.sayBuiltIn('invalid');
      },
      ask: (retry) => ask(ctx, node, retry),
    });
  },
};
