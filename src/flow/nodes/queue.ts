import type { QueueResult } from '../../journey/events';
import type { Say } from '../actions';
import { EngineFault, type StepContext } from '../context';
import { sayBuiltIn } from '../prompt';
import type { Flow, QueueConfig, QueueNode } from '../schema';
import { afterConversation } from './survey';

/** What Twilio tells a wait document: the caller's place and time so far. */
export interface QueueWait {
  position: number;
  size: number;
  waitSec: number;
  /**
   * Seconds the caller can still expect to wait, from the queue's recent answers (the adapter
   * knows them); null when there is too little to go on, and then no estimate is spoken.
   */
  expectedWaitSec: number | null;
}

/** How the caller left the queue, as Enqueue's action reports it. */
export interface QueueExit {
  result: QueueResult;
  waitSec: number;
  /** The caller's own leg had ended when Twilio reported it. */
  callerHungUp: boolean;
  /**
   * Why the IVR took the caller out (`<Leave/>`), as the instance that did it remembers; null when
   * this instance does not know (another instance answered the key, or a restart came between).
   */
  leftBy: { reason: 'key'; digits: string } | { reason: 'max-wait' } | null;
}

export function queueConfig(flow: Flow, node: QueueNode): QueueConfig {
  const q = flow.queues[node.queue];
  if (!q) throw new EngineFault(`unknown queue "${node.queue}"`);
  return q;
}

/** Twilio's name of a queue: its own `name`, else its key in `queues`. */
export function twilioQueueName(flow: Flow, key: string): string {
  return flow.queues[key]?.name ?? key;
}

function fill(say: Say, values: Record<string, number>): Say {
  return { ...say, text: say.text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k])) };
}

/** "Du är nummer 3 i kön. Beräknad väntetid är ungefär två minuter." in the caller's language. */
export function announcement(flow: Flow, language: string, wait: QueueWait): Say[] {
  const place = wait.position <= 1 ? sayBuiltIn(flow, 'queueFirst', language) : fill(sayBuiltIn(flow, 'queuePosition', language), { position: wait.position });
  if (wait.expectedWaitSec === null) return [place];
  // Whole minutes, rounded: a caller hears "about two minutes", never "one hundred and ten seconds".
  const minutes = Math.round(wait.expectedWaitSec / 60);
  const estimate =
    minutes < 1
      ? sayBuiltIn(flow, 'queueWaitUnderMinute', language)
      : minutes === 1
        ? sayBuiltIn(flow, 'queueWaitOneMinute', language)
        : fill(sayBuiltIn(flow, 'queueWaitMinutes', language), { minutes });
  return [place, estimate];
}

/** The step that enqueued identifies the stay, as a dial's step identifies its attempt; the stay's state carries it in `t`. */
const stayId = (ctx: StepContext): string => ctx.state.t ?? String(ctx.state.k - 1);

function leaveFor(ctx: StepContext, node: QueueNode, reason: 'key' | 'max-wait', digits?: string): void {
  ctx.record({ type: 'queue.leaving', nodeId: ctx.state.n, queueId: stayId(ctx), queue: node.queue, reason, ...(digits !== undefined ? { digits } : {}) });
  ctx.emit({ kind: 'leave' });
}

function fallback(ctx: StepContext, node: QueueNode, reason: 'queue-full' | 'max-wait' | 'failed'): void {
  const route = reason === 'max-wait' ? node.onMaxWait : node.onFull;
  ctx.record({
    type: 'fallback.taken',
    nodeId: ctx.state.n,
    transferId: stayId(ctx),
    target: node.queue,
    targetKind: 'operator',
    reason,
    route: typeof route === 'string' ? route : route.next,
  });
  ctx.follow(route);
}

function askForKey(ctx: StepContext, node: QueueNode): void {
  ctx.ask({ prompt: node.keysPrompt, numDigits: 1, timeoutSeconds: 6, finishOnKey: '', patch: { n: ctx.state.n, t: stayId(ctx) } });
}

export const queue = {
  enter(ctx: StepContext, node: QueueNode): void {
    queueConfig(ctx.flow, node);
    if (node.say) ctx.say(node.say);
    ctx.record({ type: 'queue.joined', nodeId: ctx.state.n, queueId: String(ctx.state.k), queue: node.queue, ...(node.category ? { category: node.category } : {}) });
    // The wait document, the keys and the leaving share one state: the stay's.
    const next = ctx.continuation('queue-result', { n: ctx.state.n, t: String(ctx.state.k) });
    ctx.emit({ kind: 'enqueue', queue: twilioQueueName(ctx.flow, node.queue), wait: { handler: 'queue-wait', state: next.state }, next });
  },

  /** One announcement and the music or silence after it; past the longest wait, out of the queue. */
  wait(ctx: StepContext, node: QueueNode, wait: QueueWait): void {
    ctx.record({ type: 'queue.position', queueId: stayId(ctx), queue: node.queue, position: wait.position, size: wait.size, waitSec: wait.waitSec });
    if (wait.waitSec >= node.maxWaitSeconds) return leaveFor(ctx, node, 'max-wait');
    const say = announcement(ctx.flow, ctx.language, wait);
    const hasKeys = Object.keys(node.keys).length > 0;
    if (hasKeys && node.keysPrompt) ctx.say(node.keysPrompt);
    // The announcement said after the wait would outlast the longest wait is cut to what remains.
    const seconds = Math.max(1, Math.min(node.announceEverySeconds, node.maxWaitSeconds - wait.waitSec));
    ctx.emit({
      kind: 'hold',
      say: [...say, ...ctx.takeSays()],
      music: node.holdMusic ?? null,
      seconds,
      keys: hasKeys ? { handler: 'queue-key', state: ctx.state } : null,
    });
  },

  /** A key pressed while waiting: a key the node offers takes the caller out; any other is ignored. */
  key(ctx: StepContext, node: QueueNode, digits: string): void {
    if (node.keys[digits] !== undefined) return leaveFor(ctx, node, 'key', digits);
    ctx.record(digits === '' ? { type: 'input.timeout', nodeId: ctx.state.n } : { type: 'input.invalid', nodeId: ctx.state.n, digits });
    ctx.sayBuiltIn('invalid');
    ctx.emit({ kind: 'redirect', next: { handler: 'queue-wait', state: ctx.state } });
  },

  left(ctx: StepContext, node: QueueNode, exit: QueueExit): void {
    ctx.record({
      type: 'queue.left',
      nodeId: ctx.state.n,
      queueId: stayId(ctx),
      queue: node.queue,
      result: exit.result,
      waitSec: exit.waitSec,
      callerHungUp: exit.callerHungUp,
    });
    if (exit.callerHungUp) return;
    switch (exit.result) {
      case 'bridged':
      case 'bridging-in-process':
        return afterConversation(ctx);
      case 'queue-full':
        return fallback(ctx, node, 'queue-full');
      case 'error':
      case 'system-error':
        return fallback(ctx, node, 'failed');
      case 'hangup':
      case 'redirected':
        // Gone, or moved by the REST API to TwiML that is not ours to decide.
        return;
      case 'leave':
        return afterLeave(ctx, node, exit);
    }
  },

  /** The key asked once more after a leave this instance could not explain. */
  input(ctx: StepContext, node: QueueNode, digits: string): void {
    const to = node.keys[digits];
    if (to === undefined) return fallback(ctx, node, 'max-wait');
    ctx.record({ type: 'input.digits', nodeId: ctx.state.n, digits, purpose: 'menu' });
    ctx.goTo(to);
  },
};

function afterLeave(ctx: StepContext, node: QueueNode, exit: QueueExit): void {
  const keys = Object.entries(node.keys);
  const by = exit.leftBy ?? guessLeave(node, exit, keys);
  if (by?.reason === 'max-wait') return fallback(ctx, node, 'max-wait');
  if (by?.reason === 'key' && node.keys[by.digits] !== undefined) {
    ctx.record({ type: 'input.digits', nodeId: ctx.state.n, digits: by.digits, purpose: 'menu' });
    return ctx.goTo(node.keys[by.digits]);
  }
  askForKey(ctx, node);
}

/**
 * Without the instance's memory: a wait at the limit was the limit, and a node with one key had
 * that key pressed. With several keys the caller is asked which once more rather than guessed for.
 */
function guessLeave(node: QueueNode, exit: QueueExit, keys: [string, string][]): QueueExit['leftBy'] {
  if (exit.waitSec >= node.maxWaitSeconds) return { reason: 'max-wait' };
  if (keys.length === 1) return { reason: 'key', digits: keys[0][0] };
  return null;
}
