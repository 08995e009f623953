import type { CallEvent, CallEventData } from '../src/journey/events';
import { DEFAULT_RULES, applyEvents, dayIn, emptyLiveState, expire, type LiveChange, type LiveRules, type LiveState } from '../src/live/live-state';

/**
 * The live view's cost per webhook with a busy screen: a state of CALLS calls (half in progress, half
 * ended and lingering), then BATCHES webhook-sized event batches applied as LiveHub.ingest does
 * (fold the events, then expire by the clock). The simulated clock moves 1 ms per webhook and calls
 * end and start at a rate that keeps the screen the same size. Prints figures only.
 *
 *   npm run build && node dist/bench/live-state-bench.js [calls] [batches]
 */

const CALLS = Number(process.argv[2] ?? 5_000);
const BATCHES = Number(process.argv[3] ?? 100_000);
const rules: LiveRules = { ...DEFAULT_RULES, dayOf: dayIn('Europe/Stockholm'), labelOf: () => 'Växeln' };
const T0 = Date.parse('2026-03-02T09:00:00Z');
const ACTIVE = Math.ceil(CALLS / 2);
/** Webhooks between two call ends, so that ended calls (lingering endedLingerMs, at 1 ms a webhook) stay half the screen. */
const END_EVERY = Math.max(1, Math.round(rules.endedLingerMs / (CALLS - ACTIVE)));

let nextSid = 0;
const sidOf = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
/** Each call's next IVR step, so every batch has ids of its own (a duplicate would be skipped cheaply). */
const steps = new Map<string, number>();

function hook(callSid: string, at: number, ...data: CallEventData[]): CallEvent[] {
  const step = (steps.get(callSid) ?? 0) + 1;
  steps.set(callSid, step);
  return data.map((d, seq) => ({ ...d, id: `${callSid}:${step}:${seq}:${d.type}`, callSid, at, step, seq }) as CallEvent);
}

const startHook = (sid: string, at: number) =>
  hook(
    sid,
    at,
    { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: 'k1:x', to: '+46101300000', language: 'sv-SE' },
    { type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
  );
const endHook = (sid: string, at: number) => hook(sid, at, { type: 'call.ended', status: 'completed', durationSec: 60 });

/** What an ordinary webhook of a call in progress carries, in turn: a key press, a transfer, its ringing, a fallback (busier than life: every fourth). */
function middleHook(sid: string, at: number, k: number): CallEvent[] {
  const t = String(k);
  switch (k % 4) {
    case 0:
      return hook(sid, at, { type: 'input.digits', nodeId: 'main', digits: '0', purpose: 'menu' }, { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' });
    case 1:
      return hook(sid, at, { type: 'transfer.attempted', nodeId: 'operator', transferId: t, target: 'operator', targetKind: 'operator' });
    case 2:
      return hook(sid, at, { type: 'leg.progress', transferId: String(k - 1), legSid: 'CAleg', status: 'ringing', sequence: 1 });
    default:
      return hook(
        sid,
        at,
        { type: 'transfer.result', nodeId: 'operator', transferId: String(k - 2), target: 'operator', targetKind: 'operator', status: 'no-answer', durationSec: 0, callerHungUp: false },
        { type: 'fallback.taken', nodeId: 'operator', transferId: String(k - 2), target: 'operator', targetKind: 'operator', reason: 'no-answer', route: 'main' },
        { type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
      );
  }
}

/** Folds one batch as the hub does; returns how many changes it would broadcast. */
function ingest(s: { state: LiveState }, events: CallEvent[], now: number): number {
  const changes: LiveChange[] = applyEvents(s.state, events, rules).concat(expire(s.state, now, rules));
  return changes.length;
}

function main(): void {
  const s = { state: emptyLiveState(rules.dayOf(T0)) };
  // Ended calls spread over the last linger period, so they leave the screen steadily during the run.
  const ended = CALLS - ACTIVE;
  for (let i = 0; i < ended; i++) {
    const sid = sidOf(nextSid++);
    const endAt = T0 - rules.endedLingerMs + Math.round(((i + 1) * rules.endedLingerMs) / (ended + 1));
    ingest(s, startHook(sid, endAt - 60_000), T0);
    ingest(s, endHook(sid, endAt), T0);
  }
  const active: string[] = [];
  for (let i = 0; i < ACTIVE; i++) {
    const sid = sidOf(nextSid++);
    active.push(sid);
    ingest(s, startHook(sid, T0 - 30_000), T0);
  }

  // Built ahead, so the timing is the live state's alone.
  const batches: CallEvent[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    const at = T0 + b;
    const slot = b % ACTIVE;
    if (b % END_EVERY === 0) {
      batches.push(endHook(active[slot], at));
      active[slot] = sidOf(nextSid++);
      batches.push(startHook(active[slot], at));
    } else batches.push(middleHook(active[slot], at, steps.get(active[slot]) ?? 0));
  }

  const sizeBefore = s.state.calls.size;
  let sent = 0;
  const t = process.hrtime.bigint();
  for (const batch of batches) sent += ingest(s, batch, batch[0].at);
  const ns = Number(process.hrtime.bigint() - t);
  const events = batches.reduce((n, x) => n + x.length, 0);
  console.log(`live state: ${sizeBefore} calls on screen at the start, ${s.state.calls.size} at the end`);
  console.log(`${batches.length} webhooks (${events} events, ${sent} changes): ${(ns / 1000 / batches.length).toFixed(2)} µs per webhook, ${(ns / 1000 / events).toFixed(2)} µs per event`);
}

main();
