import type { Step } from './actions';
import { EngineFault, StepContext, type StepInputs } from './context';
import { backup } from './nodes/backup';
import { callback } from './nodes/callback';
import { directory } from './nodes/directory';
import type { DialResult } from './nodes/dial';
import { language } from './nodes/language';
import { menu } from './nodes/menu';
import { hours } from './nodes/hours';
import { hangup, message } from './nodes/message';
import { surveyComment, surveyInput, surveyNode, type SpokenComment } from './nodes/survey';
import { queue, type QueueExit, type QueueWait } from './nodes/queue';
import { transfer } from './nodes/transfer';
import { sayBuiltIn } from './prompt';
import type { Flow, FlowNode } from './schema';
import type { CallState } from './state';

export type { DialResult } from './nodes/dial';
export type { SpokenComment } from './nodes/survey';
export type { QueueExit, QueueWait } from './nodes/queue';
export { EngineFault } from './context';
export type { PersonNotice, StepInputs } from './context';

/**
 * The IVR engine: (flow, where the call is, what the caller did) → what to say and do next, and
 * what to record. Pure: no clock, no I/O; the same input gives the same step.
 */
function enterNode(ctx: StepContext, _id: string, node: FlowNode): void {
  switch (node.type) {
    case 'message':
      return message.enter(ctx, node);
    case 'menu':
      return menu.enter(ctx, node);
    case 'language':
      return language.enter(ctx, node);
    case 'transfer':
      return transfer.enter(ctx, node);
    case 'directory':
      return directory.enter(ctx, node);
    case 'survey':
      return surveyNode.enter(ctx);
    case 'hangup':
      return hangup.enter(ctx, node);
    case 'hours':
      return hours.enter(ctx, node);
    case 'queue':
      return queue.enter(ctx, node);
    case 'backup':
      return backup.enter(ctx, node);
    case 'callback':
      return callback.enter(ctx, node);
  }
}

function context(flow: Flow, state: CallState, callSid: string, at: number | undefined, inputs: StepInputs | undefined): StepContext {
  if (state.f !== flow.id || state.v !== flow.version) {
    throw new EngineFault(`state is for ${state.f}@${state.v}, flow is ${flow.id}@${flow.version}`);
  }
  return new StepContext(flow, state, callSid, enterNode, at, inputs);
}

export interface NewCall {
  callSid: string;
  /** pseudonym of the caller's number, never the number itself */
  caller: string | null;
  to: string;
}

/**
 * `at` here and in the handlers below, when the step happens (epoch ms), is an input like the
 * caller's keys: an opening-hours node decides by it, and a flow without one never reads it.
 */
export function startCall(flow: Flow, call: NewCall, at?: number, inputs?: StepInputs): Step {
  const state: CallState = { f: flow.id, v: flow.version, n: flow.start, l: flow.languages.default, r: 0, k: 0 };
  const ctx = new StepContext(flow, state, call.callSid, enterNode, at, inputs);
  ctx.record({ type: 'call.started', flowId: flow.id, flowVersion: flow.version, caller: call.caller, to: call.to, language: state.l });
  ctx.goTo(flow.start);
  return ctx.finish();
}

/** Keys from a Gather ('' when the caller pressed nothing). */
export function handleInput(flow: Flow, state: CallState, callSid: string, digits: string, at?: number, inputs?: StepInputs): Step {
  const ctx = context(flow, state, callSid, at, inputs);
  if (state.q !== undefined || state.c !== undefined) {
    surveyInput(ctx, digits);
    return ctx.finish();
  }
  const node = ctx.node(state.n);
  switch (node.type) {
    case 'menu':
      menu.input(ctx, node, digits);
      break;
    case 'language':
      language.input(ctx, node, digits);
      break;
    case 'directory':
      directory.input(ctx, node, digits);
      break;
    case 'queue':
      queue.input(ctx, node, digits);
      break;
    case 'callback':
      callback.input(ctx, node, digits);
      break;
    default:
      throw new EngineFault(`node "${state.n}" (${node.type}) takes no key input`);
  }
  return ctx.finish();
}

/** The words of the comment the survey listened for (a speech Gather). */
export function handleComment(flow: Flow, state: CallState, callSid: string, spoken: SpokenComment, at?: number): Step {
  const ctx = context(flow, state, callSid, at, undefined);
  surveyComment(ctx, spoken);
  return ctx.finish();
}

export function handleDialResult(flow: Flow, state: CallState, callSid: string, result: DialResult, at?: number, inputs?: StepInputs): Step {
  const ctx = context(flow, state, callSid, at, inputs);
  const node = ctx.node(state.n);
  if (node.type === 'transfer') transfer.dialResult(ctx, node, result);
  else if (node.type === 'directory') directory.dialResult(ctx, node, result);
  else if (node.type === 'backup') backup.dialResult(ctx, node, result);
  else throw new EngineFault(`node "${state.n}" (${node.type}) does not dial`);
  return ctx.finish();
}

function queueNode(ctx: StepContext): Extract<ReturnType<StepContext['node']>, { type: 'queue' }> {
  const node = ctx.node(ctx.state.n);
  if (node.type !== 'queue') throw new EngineFault(`node "${ctx.state.n}" (${node.type}) is not a queue`);
  return node;
}

/** Twilio asks what a caller in the queue hears next (Enqueue's waitUrl). */
export function handleQueueWait(flow: Flow, state: CallState, callSid: string, wait: QueueWait, at?: number, inputs?: StepInputs): Step {
  const ctx = context(flow, state, callSid, at, inputs);
  queue.wait(ctx, queueNode(ctx), wait);
  return ctx.finish();
}

/** A key pressed while waiting in the queue. */
export function handleQueueKey(flow: Flow, state: CallState, callSid: string, digits: string, at?: number, inputs?: StepInputs): Step {
  const ctx = context(flow, state, callSid, at, inputs);
  queue.key(ctx, queueNode(ctx), digits);
  return ctx.finish();
}

/** The caller left the queue (Enqueue's action): answered, hung up, refused, or taken out by the IVR. */
export function handleQueueResult(flow: Flow, state: CallState, callSid: string, exit: QueueExit, at?: number, inputs?: StepInputs): Step {
  const ctx = context(flow, state, callSid, at, inputs);
  queue.left(ctx, queueNode(ctx), exit);
  return ctx.finish();
}

export interface LegProgress {
  legSid: string;
  status: string;
  sequence: number;
}

/** Progress of the dialled leg. Nothing is rendered: Twilio ignores the answer to a status callback. */
export function handleLegProgress(flow: Flow, state: CallState, progress: LegProgress): Step {
  const transferId = String(state.k);
  const events: Step['events'] = [{ type: 'leg.progress', transferId, ...progress }];
  if (progress.status === 'in-progress' || progress.status === 'answered') {
    const node = flow.nodes[state.n];
    const target = state.t ?? '';
    // A directory rings people; a backup node a colleague (an extension) or a group (a target).
    const kind = node?.type === 'directory' || (node?.type === 'backup' && flow.directory[target]) ? 'person' : flow.targets[target]?.kind ?? 'department';
    events.push({ type: 'human.answered', transferId, nodeId: state.n, target, targetKind: kind });
  }
  return { actions: [], events };
}

/**
 * When anything fails behind a webhook, the caller is put through to the operator, or, where the
 * flow has none, told so and the call ends; never Twilio's "application error".
 */
export function safeFallback(flow: Flow | null, language: string | null, reason: string, nodeId: string | null = null): Step {
  const sayError = flow
    ? sayBuiltIn(flow, 'technicalError', language ?? flow.languages.default)
    : { kind: 'say' as const, text: 'Ett tekniskt fel uppstod.', language: 'sv-SE', voice: 'Polly.Astrid' };
  const operator = flow && Object.values(flow.targets).find((t) => t.kind === 'operator');
  const events: Step['events'] = [{ type: 'engine.error', nodeId, message: reason.slice(0, 500) }];
  if (!operator) return { actions: [sayError, { kind: 'hangup' }], events };
  return { actions: [sayError, { kind: 'dial', number: operator.number, timeoutSeconds: 60, hangupOnStar: false }], events };
}
