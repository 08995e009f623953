import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { rollupContribution } from '../../src/metrics/contribution';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { fallbacksFromJourneys, summaryFromJourneys } from '../../src/metrics/recompute';
import { summaryFromRollups } from '../../src/metrics/summary';
import { noHelpFromCounters, unansweredRingMs } from '../../src/metrics/no-help';
import type { Journey } from '../../src/journey/journey';

/**
 * Callers nobody helped, as the demo has them: the operator rings 90 s, nobody answers, and the
 * system says goodbye and hangs up. They are neither answered nor "abandoned" (the caller did not
 * hang up), so before "fick ingen hjälp" they appeared in no figure, and the fallback that sent
 * them to the goodbye counted only the goodbye's 6 s as lost.
 */
const T0 = Date.parse('2026-03-02T08:00:00Z');
let n = 0;
function call(sid: string, script: [sec: number, data: CallEventData][]): CallEvent[] {
  return script.map(([sec, data], i) => ({ ...data, id: `${sid}:${++n}`, callSid: sid, at: T0 + sec * 1000, step: i, seq: 0 }) as CallEvent);
}
const started: CallEventData = { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: null, to: '+46101300000', language: 'sv-SE' };

/** Presses 0, the operator rings `ringSec` unanswered, the goodbye plays 6 s and the IVR hangs up. */
function operatorNeverAnswers(sid: string, ringSec: number): CallEvent[] {
  const end = 5 + ringSec;
  return call(sid, [
    [0, started],
    [0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }],
    [5, { type: 'input.digits', nodeId: 'main', digits: '0', purpose: 'menu' }],
    [5, { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' }],
    [5, { type: 'transfer.attempted', nodeId: 'operator', transferId: '1', target: 'operator', targetKind: 'operator' }],
    [end, { type: 'transfer.result', nodeId: 'operator', transferId: '1', target: 'operator', targetKind: 'operator', status: 'no-answer', durationSec: 0, callerHungUp: false }],
    [end, { type: 'fallback.taken', nodeId: 'operator', transferId: '1', target: 'operator', targetKind: 'operator', reason: 'no-answer', route: 'operator_closed' }],
    [end, { type: 'node.entered', nodeId: 'operator_closed', nodeType: 'hangup' }],
    [end + 6, { type: 'ivr.hangup', nodeId: 'operator_closed' }],
    [end + 6, { type: 'call.ended', status: 'completed', durationSec: end + 6 }],
  ]);
}

/** A department rings `ringSec` unanswered, the caller is sent to the operator, who answers after 10 s. */
function departmentThenOperator(sid: string, ringSec: number): CallEvent[] {
  const fb = 3 + ringSec;
  return call(sid, [
    [0, started],
    [0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }],
    [3, { type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' }],
    [3, { type: 'node.entered', nodeId: 'skola', nodeType: 'transfer' }],
    [3, { type: 'transfer.attempted', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department' }],
    [fb, { type: 'transfer.result', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department', status: 'no-answer', durationSec: 0, callerHungUp: false }],
    [fb, { type: 'fallback.taken', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department', reason: 'no-answer', route: 'operator' }],
    [fb, { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' }],
    [fb, { type: 'transfer.attempted', nodeId: 'operator', transferId: '2', target: 'operator', targetKind: 'operator' }],
    [fb + 10, { type: 'leg.progress', transferId: '2', legSid: 'CAleg', status: 'in-progress', sequence: 2 }],
    [fb + 70, { type: 'transfer.result', nodeId: 'operator', transferId: '2', target: 'operator', targetKind: 'operator', status: 'completed', durationSec: 60, callerHungUp: false }],
    [fb + 71, { type: 'call.ended', status: 'completed', durationSec: fb + 71 }],
  ]);
}

/** Hangs up in the main menu after 8 s. */
function hangsUpInMenu(sid: string): CallEvent[] {
  return call(sid, [
    [0, started],
    [0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }],
    [8, { type: 'call.ended', status: 'completed', durationSec: 8 }],
  ]);
}

const journeys = [
  projectJourney('CA1', operatorNeverAnswers('CA1', 90)),
  projectJourney('CA2', operatorNeverAnswers('CA2', 90)),
  projectJourney('CA3', hangsUpInMenu('CA3')),
  // Three department fallbacks: more often than the operator's two, but 3 × (25 + 10) s = 105 s lost against 2 × 96 s.
  ...['CA4', 'CA5', 'CA6'].map((sid) => projectJourney(sid, departmentThenOperator(sid, 25))),
];
const docs = journeys.flatMap(rollupContribution);

describe('fick ingen hjälp: calls that ended without reaching a human', () => {
  test('the operator ringing unanswered and the goodbye count as no help, ring time included', () => {
    const s = summaryFromRollups(docs);
    // CA1 and CA2: 5 s in the menu + 90 s ringing + 6 s goodbye = 101 s each; CA3: 8 s in the menu.
    expect(s.noHelp).toEqual({
      calls: { count: 3, share: 3 / 6 },
      spentMs: expect.objectContaining({ count: 3, mean: (101_000 * 2 + 8_000) / 3 }),
      spentTotalMs: 210_000,
      ringTotalMs: 180_000,
      byOutcome: { abandoned_in_menu: 1, self_service: 2 },
    });
    expect(summaryFromJourneys(journeys).noHelp).toMatchObject({ calls: s.noHelp.calls, spentTotalMs: 210_000, ringTotalMs: 180_000, byOutcome: s.noHelp.byOutcome });
  });

  test('time lost after a fallback starts when the phone nobody answered began to ring', () => {
    const [operator] = journeys[0].fallbacks;
    expect(operator).toMatchObject({ ringMs: 90_000, lostMs: 96_000, outcome: 'ended_by_ivr' });
    const [department] = journeys[3].fallbacks;
    expect(department).toMatchObject({ ringMs: 25_000, lostMs: 35_000, outcome: 'answered_by_operator' });
  });

  test('fallbacks are ranked by the total time lost, not by how often they happen', () => {
    const rows = fallbacksFromRollups(docs);
    expect(rows.map((r) => [r.nodeId, r.occurrences, r.lostTotalMs])).toEqual([
      ['operator', 2, 192_000],
      ['skola', 3, 105_000],
    ]);
    expect(fallbacksFromJourneys(journeys).map((r) => [r.nodeId, r.lostTotalMs])).toEqual([
      ['operator', 192_000],
      ['skola', 105_000],
    ]);
  });
});

describe('the parts of "fick ingen hjälp"', () => {
  const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();
  const ended = (endSec: number | null, transfers: { attemptedSec: number; answeredSec?: number; ringMs?: number }[]) =>
    ({
      endedAt: endSec === null ? null : at(endSec),
      transfers: transfers.map((t) => ({ attemptedAt: at(t.attemptedSec), answeredAt: t.answeredSec === undefined ? null : at(t.answeredSec), ringMs: t.ringMs ?? null })),
    }) as unknown as Journey;

  test('ring time counts only phones nobody answered; one still ringing at the end rang until then, never less than nothing', () => {
    // 20 s rung out; a phone answered after 15 s (not counted); one still ringing for the last 30 s.
    expect(unansweredRingMs(ended(100, [{ attemptedSec: 0, ringMs: 20_000 }, { attemptedSec: 30, answeredSec: 45 }, { attemptedSec: 70 }]))).toBe(50_000);
    // A ring begun after the recorded end (clocks of two legs) adds nothing rather than taking time away.
    expect(unansweredRingMs(ended(100, [{ attemptedSec: 0, ringMs: 20_000 }, { attemptedSec: 130 }]))).toBe(20_000);
    // A call not ended yet: only the rings that have ended count.
    expect(unansweredRingMs(ended(null, [{ attemptedSec: 0, ringMs: 20_000 }, { attemptedSec: 70 }]))).toBe(20_000);
  });

  test('outcomes in which a human answered are left out; the rest listed by name in a fixed order', () => {
    const row = noHelpFromCounters({ calls: 10, noHuman: 4, 'outcome:self_service': 1, 'outcome:answered_by_operator': 6, 'outcome:abandoned_in_menu': 2, 'outcome:in_progress': 1, 'outcome:error_fallback': 1, 'outcome:outside_hours': 0 });
    expect(row.byOutcome).toEqual({ abandoned_in_menu: 2, error_fallback: 1, self_service: 1 });
    expect(Object.keys(row.byOutcome)).toEqual(['abandoned_in_menu', 'error_fallback', 'self_service']);
    expect(row.calls).toEqual({ count: 4, share: 0.4 });
  });
});
