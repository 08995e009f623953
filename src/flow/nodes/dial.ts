import type { DialStatus, FallbackReason } from '../../journey/events';
import type { StepContext } from '../context';
import type { Route, TargetKind } from '../schema';
import { afterConversation } from './survey';

export interface DialTarget {
  /** target id in flow.targets, or the extension for a directory person */
  id: string;
  kind: TargetKind;
  number: string;
  category?: string;
}

export interface DialResult {
  status: DialStatus;
  /** The caller's own leg had ended when Twilio reported the dial result. */
  callerHungUp: boolean;
  durationSec: number;
}

export interface FallbackRoutes {
  onNoAnswer: Route;
  onBusy?: Route;
  onFailed?: Route;
}

/** Rings a human. The step counter of this webhook identifies the attempt across later callbacks. */
export function dial(ctx: StepContext, target: DialTarget, timeoutSeconds: number): void {
  const transferId = String(ctx.state.k);
  ctx.record({
    type: 'transfer.attempted',
    nodeId: ctx.state.n,
    transferId,
    target: target.id,
    targetKind: target.kind,
    ...(target.category ? { category: target.category } : {}),
  });
  const next = ctx.continuation('dial', { n: ctx.state.n, t: target.id, s: target.id });
  ctx.emit({
    kind: 'dial',
    number: target.number,
    timeoutSeconds,
    hangupOnStar: true,
    next,
    progress: { ...next.state, k: ctx.state.k },
  });
}

/** What follows a dial: the survey after a conversation, or the fallback route when nobody answered. */
export function dialFinished(ctx: StepContext, target: DialTarget, routes: FallbackRoutes, result: DialResult): void {
  const nodeId = ctx.state.n;
  const transferId = String(ctx.state.k - 1);
  ctx.record({
    type: 'transfer.result',
    nodeId,
    transferId,
    target: target.id,
    targetKind: target.kind,
    status: result.status,
    durationSec: result.durationSec,
    callerHungUp: result.callerHungUp,
  });
  if (result.callerHungUp || result.status === 'canceled') return;
  if (result.status === 'completed' || result.status === 'answered') return afterConversation(ctx);
  const reason: FallbackReason = result.status;
  const route = (reason === 'busy' && routes.onBusy) || (reason === 'failed' && routes.onFailed) || routes.onNoAnswer;
  ctx.record({
    type: 'fallback.taken',
    nodeId,
    transferId,
    target: target.id,
    targetKind: target.kind,
    reason,
    route: typeof route === 'string' ? route : route.next,
  });
  ctx.follow(route);
}

/**
 * Before any ring: when the person has an absence notice, the caller hears it ("Anna Lind är på möte
 * till klockan 14.") and goes at once where the flow sends a caller nobody answered (onNoAnswer, with
 * its own words), recorded as a fallback for the reason `notice`. Nothing rings, so no transfer is
 * attempted; the step's counter names the fallback as it would have named the attempt. Returns
 * whether it did so.
 */
export function noticeInsteadOfRing(ctx: StepContext, target: DialTarget, name: string, routes: FallbackRoutes): boolean {
  const notice = ctx.inputs.noticeOf?.(target.number);
  if (!notice) return false;
  const nodeId = ctx.state.n;
  const route = routes.onNoAnswer;
  ctx.record({ type: 'notice.met', nodeId, target: target.id, targetKind: target.kind, reason: notice.reason, until: notice.until });
  ctx.sayText(notice.sentence(name, ctx.language));
  // Whom the caller sought, for a callback the no-answer route may offer.
  ctx.state = { ...ctx.state, s: target.id };
  ctx.record({
    type: 'fallback.taken',
    nodeId,
    transferId: String(ctx.state.k),
    target: target.id,
    targetKind: target.kind,
    reason: 'notice',
    route: typeof route === 'string' ? route : route.next,
  });
  ctx.follow(route);
  return true;
}
