import { callbackDeadline, promiseSentence } from '../../reception/callback-promise';
import { numberSentence, parseKeyedNumber } from '../../reception/callback-number';
import { EngineFault, type StepContext } from '../context';
import { openingHoursOf, openingHoursFrom } from './hours';
import type { CallbackNode, Flow, TargetKind } from '../schema';
import { isOperatorKey, retryOrGiveUp } from './retry';
import type { OpeningHours } from '../opening-hours';

/** Digits a keyed number may have (0046 and 10 more), the # that ends it aside. */
const MAX_KEYED_DIGITS = 16;
const DAY_MS = 86_400_000;
const DEFAULT_HOURS = { open: { 'mon-fri': '08:00-16:00' }, holidays: 'sweden' as const, special: {} };

/** Phases of the node, kept in the state's `b`. */
const CONFIRM_OWN = 0;
const KEYING = 1;
const CONFIRM_KEYED = 2;

/** The working hours a flow's callback promise counts in (see schema.ts CallbackConfig). */
export function callbackHours(flow: Flow, fallbackZone: string): OpeningHours {
  const h = flow.callback?.hours;
  if (typeof h === 'string') {
    const node = flow.nodes[h];
    if (node?.type !== 'hours') throw new EngineFault(`callback.hours "${h}" is not an hours node`);
    return openingHoursOf(node);
  }
  return openingHoursFrom(h ?? DEFAULT_HOURS, h?.timeZone ?? fallbackZone);
}

/** Whom the caller sought last: a directory person (by extension) or a target of the flow. */
function sought(ctx: StepContext): { target: string | null; targetKind: TargetKind | null } {
  const s = ctx.state.p;
  if (!s) return { target: null, targetKind: null };
  if (ctx.flow.directory[s]) return { target: s, targetKind: 'person' };
  return { target: s, targetKind: ctx.flow.targets[s]?.kind ?? null };
}

function seal(ctx: StepContext, number: string): string {
  if (!ctx.inputs.sealNumber) throw new EngineFault('a callback needs CALLBACK_KEYS to keep the number');
  return ctx.inputs.sealNumber(number);
}

function askConfirm(ctx: StepContext, node: CallbackNode, phase: number, retry: number, z?: string): void {
  if (retry > 0 && phase === CONFIRM_OWN && ctx.inputs.callerNumber) ctx.sayText(numberSentence(ctx.inputs.callerNumber, ctx.language));
  ctx.sayBuiltIn(phase === CONFIRM_OWN ? 'callbackConfirm' : 'callbackConfirmKeyed');
  ctx.ask({ numDigits: 1, timeoutSeconds: node.timeoutSeconds, finishOnKey: '', patch: { r: retry, b: phase, ...(z ? { z } : {}) } });
}

function askNumber(ctx: StepContext, node: CallbackNode, retry: number): void {
  ctx.sayBuiltIn('callbackKeyNumber');
  ctx.ask({ numDigits: MAX_KEYED_DIGITS, timeoutSeconds: node.timeoutSeconds, finishOnKey: '#', patch: { r: retry, b: KEYING } });
}

/**
 * The request is made: recorded with the sealed number (which the ingestor moves to the callbacks
 * store; no event or journey keeps it), the promise said, then on to `next` or goodbye.
 */
function request(ctx: StepContext, node: CallbackNode, source: 'caller' | 'keyed', sealed: string): void {
  if (ctx.at === undefined) throw new EngineFault(`node "${ctx.state.n}" promises a callback, but the step has no time`);
  const zone = ctx.inputs.timeZone ?? 'Europe/Stockholm';
  const promise = ctx.flow.callback?.promise;
  const hours = callbackHours(ctx.flow, zone);
  const deadline = promise ? callbackDeadline(promise, hours, ctx.at) : null;
  const expireAfterMs = (ctx.flow.callback?.expireAfterDays ?? 5) * DAY_MS;
  ctx.record({
    type: 'callback.requested',
    nodeId: ctx.state.n,
    ...sought(ctx),
    source,
    deadline: deadline === null ? null : new Date(deadline).toISOString(),
    expires: new Date((deadline ?? ctx.at) + expireAfterMs).toISOString(),
    language: ctx.language,
    sealed,
  });
  ctx.sayText(promiseSentence(deadline, ctx.language, hours.timeZone, ctx.at));
  if (node.next) return ctx.goTo(node.next);
  ctx.sayBuiltIn('callbackGoodbye');
  ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
  ctx.hangup();
}

export const callback = {
  enter(ctx: StepContext, node: CallbackNode): void {
    if (node.say) ctx.say(node.say);
    const own = ctx.inputs.callerNumber ?? null;
    ctx.record({ type: 'callback.offered', nodeId: ctx.state.n, ownNumber: own !== null });
    if (own === null) return askNumber(ctx, node, 0);
    ctx.sayText(numberSentence(own, ctx.language));
    askConfirm(ctx, node, CONFIRM_OWN, 0);
  },

  input(ctx: StepContext, node: CallbackNode, digits: string): void {
    const phase = ctx.state.b ?? CONFIRM_OWN;
    if (phase !== KEYING && isOperatorKey(ctx, digits)) return ctx.goTo(ctx.flow.operator!.node);
    if (phase === CONFIRM_OWN && digits === '1') {
      const own = ctx.inputs.callerNumber;
      if (!own) return askNumber(ctx, node, 0);
      return request(ctx, node, 'caller', seal(ctx, own));
    }
    if (phase === CONFIRM_KEYED && digits === '1' && ctx.state.z) return request(ctx, node, 'keyed', ctx.state.z);
    if (phase !== KEYING && digits === '2') return askNumber(ctx, node, 0);
    if (phase === KEYING && digits !== '') {
      const number = parseKeyedNumber(digits);
      if (number) {
        ctx.sayText(numberSentence(number, ctx.language));
        return askConfirm(ctx, node, CONFIRM_KEYED, 0, seal(ctx, number));
      }
      // Never the keys themselves: they are (nearly) a phone number.
      ctx.record({ type: 'callback.invalid', nodeId: ctx.state.n });
    } else if (digits === '') ctx.record({ type: 'input.timeout', nodeId: ctx.state.n });
    else ctx.record({ type: 'input.invalid', nodeId: ctx.state.n, digits });
    const z = ctx.state.z;
    retryOrGiveUp(ctx, {
      maxRetries: node.maxRetries,
      onExhausted: node.onExhausted,
      explain: () => ctx.sayBuiltIn(phase === KEYING && digits !== '' ? 'callbackInvalidNumber' : digits === '' ? 'noInput' : 'invalid'),
      ask: (retry) => (phase === KEYING ? askNumber(ctx, node, retry) : askConfirm(ctx, node, phase, retry, z)),
    });
  },
};
