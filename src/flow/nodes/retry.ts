import type { StepContext } from '../context';
import type { Route } from '../schema';

/**
 * Shared handling of a wrong key or silence at a node that collects digits: say why, ask again
 * while retries remain, then take the exhausted route (the operator where the flow has one).
 */
export function retryOrGiveUp(
  ctx: StepContext,
  opts: { maxRetries: number; onExhausted?: Route; explain: () => void; ask: (retry: number) => void },
): void {
  if (ctx.state.r < opts.maxRetries) {
    opts.explain();
    opts.ask(ctx.state.r + 1);
    return;
  }
  if (opts.onExhausted) return ctx.follow(opts.onExhausted);
  if (ctx.flow.operator) return ctx.goTo(ctx.flow.operator.node);
  ctx.sayBuiltIn('goodbye');
  ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
  ctx.hangup();
}

/** True when the flow's operator key applies at this node and was pressed. */
export function isOperatorKey(ctx: StepContext, digits: string, enabled = true): boolean {
  return !!ctx.flow.operator && enabled && digits === ctx.flow.operator.key;
}
