import { handleQueueKey, handleQueueResult, handleQueueWait } from '../../../flow/engine';
import type { Step } from '../../../flow/actions';
import { TERMINAL_CALL_STATUSES, QueueKeyParams, QueueResultParams, QueueWaitParams } from '../params';
import type { LeaveMemory } from '../../../queue/leave-memory';
import type { WaitEstimator } from '../../../queue/wait-estimate';
import { route, type RouteContext, type WebhookRoute } from './route';

/** The IVR's own `<Leave/>` is remembered for Enqueue's action, which cannot say why the caller left. */
function rememberLeave(leaves: LeaveMemory, callSid: string, step: Step): void {
  for (const e of step.events) {
    if (e.type !== 'queue.leaving') continue;
    leaves.remember(callSid, e.reason === 'key' ? { reason: 'key', digits: e.digits ?? '' } : { reason: 'max-wait' });
  }
}

/**
 * A wait document that failed keeps the caller where they are: in the queue, where an operator can
 * still take them (a Dial to the operator is not allowed in a wait document). Asked for again after.
 */
const keepWaiting = (): Step => ({ actions: [{ kind: 'hold', say: [], music: null, seconds: 10, keys: null }], events: [] });

/** A caller in a queue: what they hear while waiting (waitUrl), a key they press, how they leave (action). */
export function queueRoutes(ctx: RouteContext, deps: { leaves: LeaveMemory; waits: WaitEstimator }): [string, WebhookRoute][] {
  return [
    [
      '/queue-wait',
      route(QueueWaitParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const node = flow.nodes[state.n];
        const expectedWaitSec = node?.type === 'queue' ? deps.waits.expectedWaitSec(node.queue, p.QueuePosition) : null;
        const step = handleQueueWait(flow, state, p.CallSid, { position: p.QueuePosition, size: p.CurrentQueueSize, waitSec: p.QueueTime, expectedWaitSec }, now, ctx.inputsAt(now, p.From));
        rememberLeave(deps.leaves, p.CallSid, step);
        return { step, callSid: p.CallSid, stepNo: state.k };
      }, keepWaiting),
    ],
    [
      '/queue-key',
      route(QueueKeyParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const step = handleQueueKey(flow, state, p.CallSid, (p.Digits ?? '').replace(/[wW]/g, ''), now, ctx.inputsAt(now, p.From));
        rememberLeave(deps.leaves, p.CallSid, step);
        return { step, callSid: p.CallSid, stepNo: state.k };
      }, keepWaiting),
    ],
    [
      '/queue-result',
      route(QueueResultParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const exit = {
          result: p.QueueResult,
          waitSec: p.QueueTime,
          callerHungUp: p.CallStatus !== undefined && TERMINAL_CALL_STATUSES.has(p.CallStatus),
          leftBy: p.QueueResult === 'leave' ? deps.leaves.recall(p.CallSid) : null,
        };
        return { step: handleQueueResult(flow, state, p.CallSid, exit, now, ctx.inputsAt(now, p.From)), callSid: p.CallSid, stepNo: state.k };
      }),
    ],
  ];
}
