import { createRollupContribution } from '../../src/metrics/contribution';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { startHarness, takenAfter, type Harness } from '../helpers/harness';

const ANNA = '+46701112233';
const BERTIL = '+46705556677';
const DAY = 86_400_000;
const RANGE = 'from=2026-03-01&to=2026-03-31';

/** Repeat callers through the webhooks: a caller who seeks the same person again within 7 days, and the figures of it. */
describe('repeat callers end to end', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  test('twice for Johan within 7 days is one repeat; after 8 days, another person or another caller is not; a rebuild gives the same', async () => {
    // Johan does not answer; the caller presses 0 for the operator. Survey: "did you get an answer?" 2 = no.
    const first = await h.caller.call({ from: ANNA, digits: ['5', '4712', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(10), survey: ['4', '4', '2'] });
    h.clock.advance(2 * DAY);
    // Two days later the same caller seeks Johan again, and he answers: a repeat of the first call.
    const second = await h.caller.call({ from: ANNA, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 60_000 }], survey: ['5', '5', '1'] });
    // Maria, whom she never sought before: not a repeat.
    const maria = await h.caller.call({ from: ANNA, digits: ['5', '4715'], dials: [{ answer: true, talkMs: 30_000 }] });
    // Another caller seeking Johan: not a repeat either.
    const other = await h.caller.call({ from: BERTIL, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 30_000 }] });
    h.clock.advance(8 * DAY);
    // Johan again, 8 days after her last call to him: too late to count.
    const late = await h.caller.call({ from: ANNA, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 30_000 }] });
    await h.settle();

    const j1 = await h.journey(first.callSid);
    const j2 = await h.journey(second.callSid);
    expect(j1.repeatOf).toBeUndefined();
    expect(j2.caller).toBe(j1.caller);
    expect(j2.repeatOf).toEqual([{ target: '4712', targetKind: 'person', firstFallback: { reason: 'no-answer', route: 'person_unavailable' }, afterMs: Date.parse(j2.startedAt) - Date.parse(j1.startedAt) }]);
    for (const t of [maria, other, late]) expect((await h.journey(t.callSid)).repeatOf).toBeUndefined();

    const res = await h.api(`/api/metrics/repeat-callers?${RANGE}`);
    expect(res.status).toBe(200);
    const view = res.body.repeatCallers;
    expect(view.windowDays).toBe(7);
    expect(view.rows).toEqual([
      {
        targetKind: 'person',
        target: '4712',
        calls: 4,
        repeats: { count: 1, share: 0.25 },
        answered: { yes: 1, answers: 2, share: 0.5 },
        byFirstFallback: [
          { firstFallback: null, calls: 3, repeats: 0, repeatShare: 0 },
          { firstFallback: { reason: 'no-answer', route: 'person_unavailable' }, calls: 1, repeats: 1, repeatShare: 1 },
        ],
      },
      { targetKind: 'person', target: '4715', calls: 1, repeats: { count: 0, share: 0 }, answered: { yes: 0, answers: 0, share: null }, byFirstFallback: [{ firstFallback: null, calls: 1, repeats: 0, repeatShare: 0 }] },
    ]);
    expect(view.repeats).toEqual({ count: 1, share: 0.2 });
    // Nothing in the answer links calls to a caller.
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(j1.caller);
    expect(text).not.toContain(ANNA.slice(1));
    expect(text).not.toContain(first.callSid);

    // The rebuild (npm run rollups:rebuild) finds the repeat in the call's own events: the same figures.
    const rebuilt = await rebuildRollups(h.service.store, { contribution: createRollupContribution({ timeZone: h.config.timeZone }) });
    expect(rebuilt.journeysRewritten).toBe(0);
    const again = await h.api(`/api/metrics/repeat-callers?${RANGE}`);
    expect(again.body.repeatCallers).toEqual(view);
  });

  test("two withheld callers (Twilio's +266696687 and the word Anonymous) seeking Johan are no one's repeat calls", async () => {
    const calls = [];
    for (const from of ['+266696687', '+266696687', 'Anonymous', 'Anonymous']) {
      calls.push(await h.caller.call({ from, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 30_000 }] }));
      h.clock.advance(3_600_000);
    }
    await h.settle();
    for (const t of calls) {
      const j = await h.journey(t.callSid);
      expect(j.caller).toBeNull();
      expect(j.repeatOf).toBeUndefined();
    }
    const res = await h.api(`/api/metrics/repeat-callers?${RANGE}`);
    expect(res.body.repeatCallers.repeats).toEqual({ count: 0, share: 0 });
  });

  test('a repeat the next day; a flow with no calls has no rows', async () => {
    await h.caller.call({ from: ANNA, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 30_000 }] });
    h.clock.advance(DAY);
    await h.caller.call({ from: ANNA, digits: ['5', '4712'], dials: [{ answer: true, talkMs: 30_000 }] });
    await h.settle();
    const all = await h.api(`/api/metrics/repeat-callers?${RANGE}`);
    expect(all.body.repeatCallers.repeats).toEqual({ count: 1, share: 0.5 });
    const none = await h.api(`/api/metrics/repeat-callers?${RANGE}&flow=no-such-flow`);
    expect(none.status).toBe(200);
    expect(none.body.repeatCallers.rows).toEqual([]);
  });
});
