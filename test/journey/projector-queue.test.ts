import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';

/** A stay in a queue in the journey: one answer time whatever order the callbacks arrive in. */
const SID = 'CA0000000000000000000000000000000q';
const T0 = Date.parse('2026-03-02T08:00:00Z');
let seq = 0;
const ev = (sec: number, step: number, data: CallEventData): CallEvent => ({ ...data, id: `e${++seq}`, callSid: SID, at: T0 + sec * 1000, step, seq }) as CallEvent;

const base = (): CallEvent[] => [
  ev(0, 0, { type: 'call.started', flowId: 'f', flowVersion: 'v1', caller: 'k1:c', to: '+46101300000', language: 'sv-SE' }),
  ev(0, 0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }),
  ev(6, 1, { type: 'node.entered', nodeId: 'operator', nodeType: 'queue' }),
  ev(6, 1, { type: 'queue.joined', nodeId: 'operator', queueId: '1', queue: 'vaxeln' }),
  ev(8, 2, { type: 'queue.position', queueId: '1', queue: 'vaxeln', position: 3, size: 3, waitSec: 0 }),
  ev(38, 2, { type: 'queue.position', queueId: '1', queue: 'vaxeln', position: 2, size: 4, waitSec: 30 }),
];
const bridge = (sec: number) => ev(sec, 999_999, { type: 'queue.answered', queue: 'vaxeln', operator: 'lena', waitSec: sec - 8, agentCallSid: 'CAagent' });
const left = (sec: number, result: 'bridged' | 'hangup', waitSec: number) =>
  ev(sec, 2, { type: 'queue.left', nodeId: 'operator', queueId: '1', queue: 'vaxeln', result, waitSec, callerHungUp: result === 'hangup' });
const ended = (sec: number) => ev(sec, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: sec });

describe('journey projector: queue stays', () => {
  test('the bridge is the answer; the stay shows its wait, its operator and the caller’s last place', () => {
    const j = projectJourney(SID, [...base(), bridge(70), left(190, 'bridged', 62), ended(200)]);
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.humanAnsweredAt).toBe(new Date(T0 + 70_000).toISOString());
    expect(j.timeToHumanMs).toBe(70_000);
    expect(j.timeToOperatorMs).toBe(70_000);
    expect(j.transfers).toEqual([
      expect.objectContaining({
        transferId: '1',
        nodeId: 'operator',
        target: 'vaxeln',
        targetKind: 'operator',
        result: 'completed',
        ringMs: 64_000,
        talkSec: 120,
        queue: { queue: 'vaxeln', result: 'bridged', waitSec: 62, operator: 'lena', leftBy: null, lastPosition: 2 },
      }),
    ]);
    // The menu step ends when the queue begins; the queue's step when the operator answers.
    expect(j.steps.map((s) => s.ms)).toEqual([6_000, 64_000]);
  });

  test('a bridged action before the bridge request gives the same single answer time as the other order', () => {
    const inOrder = projectJourney(SID, [...base(), bridge(70), left(190, 'bridged', 62), ended(200)]);
    const events = [...base(), left(190, 'bridged', 62), ended(200), bridge(70)];
    const reversed = projectJourney(SID, events.reverse());
    expect(reversed.humanAnsweredAt).toBe(inOrder.humanAnsweredAt);
    expect(reversed.transfers).toEqual(inOrder.transfers);
  });

  test('without the bridge request, the answer is the stay’s start plus the wait Twilio reported', () => {
    const j = projectJourney(SID, [...base(), left(190, 'bridged', 62), ended(200)]);
    expect(j.humanAnsweredAt).toBe(new Date(T0 + 6_000 + 62_000).toISOString());
    expect(j.transfers[0].queue!.operator).toBeNull();
  });

  test('the same bridge twice counts once', () => {
    const once = projectJourney(SID, [...base(), bridge(70), left(190, 'bridged', 62), ended(200)]);
    const twice = projectJourney(SID, [...base(), bridge(70), bridge(70), left(190, 'bridged', 62), ended(200)]);
    expect(twice.transfers).toEqual(once.transfers);
    expect(twice.timeToHumanMs).toBe(once.timeToHumanMs);
  });

  test('a hang-up in the queue is an abandoned call, its wait part of the time lost after the fallback that led there', () => {
    const fallbackFirst: CallEvent[] = [
      ev(0, 0, { type: 'call.started', flowId: 'f', flowVersion: 'v1', caller: 'k1:c', to: '+46101300000', language: 'sv-SE' }),
      ev(0, 0, { type: 'node.entered', nodeId: 'person', nodeType: 'directory' }),
      ev(5, 1, { type: 'transfer.attempted', nodeId: 'person', transferId: '0', target: '4711', targetKind: 'person' }),
      ev(25, 2, { type: 'transfer.result', nodeId: 'person', transferId: '0', target: '4711', targetKind: 'person', status: 'no-answer', durationSec: 0, callerHungUp: false }),
      ev(25, 2, { type: 'fallback.taken', nodeId: 'person', transferId: '0', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'operator' }),
      ev(25, 2, { type: 'node.entered', nodeId: 'operator', nodeType: 'queue' }),
      ev(25, 2, { type: 'queue.joined', nodeId: 'operator', queueId: '2', queue: 'vaxeln' }),
      ev(145, 3, { type: 'queue.left', nodeId: 'operator', queueId: '2', queue: 'vaxeln', result: 'hangup', waitSec: 118, callerHungUp: true }),
      ended(145),
    ];
    const j = projectJourney(SID, fallbackFirst);
    expect(j.outcome).toBe('abandoned_in_queue');
    expect(j.humanAnsweredAt).toBeNull();
    expect(j.transfers[1]).toMatchObject({ result: 'canceled', ringMs: 120_000, queue: { result: 'hangup', waitSec: 118 } });
    // Lost: the 20 s the person's phone rang, then the 120 s in the queue until the caller hung up.
    expect(j.fallbacks).toEqual([expect.objectContaining({ reason: 'no-answer', outcome: 'abandoned', ringMs: 20_000, lostMs: 140_000 })]);
  });

  test('a fallback before the queue counts the ring and the wait until the operator answered as time lost', () => {
    const events: CallEvent[] = [
      ev(0, 0, { type: 'call.started', flowId: 'f', flowVersion: 'v1', caller: 'k1:c', to: '+46101300000', language: 'sv-SE' }),
      ev(5, 1, { type: 'transfer.attempted', nodeId: 'person', transferId: '0', target: '4711', targetKind: 'person' }),
      ev(25, 2, { type: 'fallback.taken', nodeId: 'person', transferId: '0', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'operator' }),
      ev(25, 2, { type: 'queue.joined', nodeId: 'operator', queueId: '2', queue: 'vaxeln' }),
      ev(85, 999_999, { type: 'queue.answered', queue: 'vaxeln', operator: 'omar', waitSec: 59, agentCallSid: null }),
      ev(200, 3, { type: 'queue.left', nodeId: 'operator', queueId: '2', queue: 'vaxeln', result: 'bridged', waitSec: 59, callerHungUp: true }),
      ended(200),
    ];
    const j = projectJourney(SID, events);
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'answered_by_operator', ringMs: 20_000, lostMs: 80_000 });
  });
});
