import { Ingestor } from '../../src/ingest/ingestor';
import type { CallEvent } from '../../src/journey/events';
import { findRepeats, REPEAT_WINDOW_MS, soughtTargets } from '../../src/journey/repeats';
import { createRollupContribution } from '../../src/metrics/contribution';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { rollupId, type Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { fallback, journey, T0, transfer } from '../metrics/journeys';

const DAY = 86_400_000;
const contribution = createRollupContribution({ timeZone: 'Europe/Stockholm' });

describe('findRepeats (pure)', () => {
  const johanRangOut = (at: number, caller = 'k1:anna') =>
    journey({ at, caller, transfers: [transfer('person', '4712', 'person', false)], fallbacks: [fallback({ target: '4712', route: 'person_unavailable' })] });

  test('the same person within the window, by the most recent earlier call, with its first fallback for them', () => {
    const a = johanRangOut(T0);
    const b = journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [transfer('person', '4712', 'person', true)] });
    const c = journey({ at: T0 + 3 * DAY, caller: 'k1:anna', transfers: [transfer('person', '4712', 'person', true)] });
    expect(findRepeats(b, [a, b, c])).toEqual([{ target: '4712', targetKind: 'person', firstFallback: { reason: 'no-answer', route: 'person_unavailable' }, afterMs: DAY }]);
    // c repeats b (the most recent), which took no fallback; a later call never counts for an earlier one.
    expect(findRepeats(c, [a, b, c])).toEqual([{ target: '4712', targetKind: 'person', firstFallback: null, afterMs: 2 * DAY }]);
    expect(findRepeats(a, [a, b, c])).toEqual([]);
  });

  test('the window is 7 days start to start; another caller, another target, the operator and a backup are not repeats', () => {
    const a = johanRangOut(T0);
    expect(findRepeats(journey({ at: T0 + REPEAT_WINDOW_MS, caller: 'k1:anna', transfers: [transfer('person', '4712', 'person', true)] }), [a])).toHaveLength(1);
    expect(findRepeats(journey({ at: T0 + REPEAT_WINDOW_MS + 1, caller: 'k1:anna', transfers: [transfer('person', '4712', 'person', true)] }), [a])).toEqual([]);
    expect(findRepeats(journey({ at: T0 + DAY, caller: 'k1:bertil', transfers: [transfer('person', '4712', 'person', true)] }), [a])).toEqual([]);
    expect(findRepeats(journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [transfer('person', '4715', 'person', true)] }), [a])).toEqual([]);
    const backup = { ...transfer('colleague', '4715', 'person', true), backupFor: '4712' };
    const viaBackup = journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [backup] });
    expect(soughtTargets(viaBackup)).toEqual([]);
    const ops = [journey({ at: T0, caller: 'k1:anna', transfers: [transfer('queue', 'vaxeln', 'operator', true)] })];
    expect(findRepeats(journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [transfer('queue', 'vaxeln', 'operator', true)] }), ops)).toEqual([]);
    expect(findRepeats(journey({ at: T0 + DAY, caller: null, transfers: [transfer('person', '4712', 'person', true)] }), [a])).toEqual([]);
  });

  test('a department, and a person met by an absence notice, are targets sought', () => {
    const dept = journey({ at: T0, caller: 'k1:anna', transfers: [transfer('skola', 'skola', 'department', false)], fallbacks: [fallback({ nodeId: 'skola', target: 'skola', targetKind: 'department', route: 'operator' })] });
    const again = journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [transfer('skola', 'skola', 'department', true)] });
    expect(findRepeats(again, [dept])).toEqual([{ target: 'skola', targetKind: 'department', firstFallback: { reason: 'no-answer', route: 'operator' }, afterMs: DAY }]);
    const notice = journey({ at: T0, caller: 'k1:anna', notices: [{ nodeId: 'person', target: '4712', targetKind: 'person', reason: 'meeting', until: null, at: new Date(T0).toISOString() }] });
    const afterNotice = journey({ at: T0 + DAY, caller: 'k1:anna', transfers: [transfer('person', '4712', 'person', true)] });
    expect(findRepeats(afterNotice, [notice])).toEqual([{ target: '4712', targetKind: 'person', firstFallback: null, afterMs: DAY }]);
  });
});

/** A call that sought extension 4712, which answered or not. */
function callTo(callSid: string, at: number, caller: string, answered: boolean): CallEvent[] {
  const b = { callSid, seq: 0 };
  const ev: CallEvent[] = [
    { ...b, id: `${callSid}:0`, at, step: 0, type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller, to: '+46101300000', language: 'sv-SE' },
    { ...b, id: `${callSid}:1`, at: at + 1000, step: 1, type: 'transfer.attempted', nodeId: 'person', transferId: '1', target: '4712', targetKind: 'person' },
    { ...b, id: `${callSid}:2`, at: at + 20_000, step: 2, type: 'transfer.result', nodeId: 'person', transferId: '1', target: '4712', targetKind: 'person', status: answered ? 'completed' : 'no-answer', durationSec: answered ? 30 : 0, callerHungUp: false },
  ];
  if (!answered) ev.push({ ...b, id: `${callSid}:3`, at: at + 20_000, step: 2, seq: 1, type: 'fallback.taken', nodeId: 'person', transferId: '1', target: '4712', targetKind: 'person', reason: 'no-answer', route: 'operator' });
  ev.push({ ...b, id: `${callSid}:9`, at: at + 60_000, step: 99, type: 'call.ended', status: 'completed', durationSec: 60 });
  return ev;
}

async function rollups(store: Store): Promise<Map<string, Record<string, number>>> {
  const docs = await store.queryRollups({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' });
  return new Map(docs.map((d) => [rollupId(d), d.counts]));
}

describe('the ingestor notes repeats', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(tempDir('callpath-repeats-'));
  });
  afterEach(async () => store.close());

  test('an earlier call in the same batch counts; a redelivery notes nothing twice; a rebuild gives the same rollups', async () => {
    const ingestor = new Ingestor({ store, contribution });
    const a = callTo('CA01', T0, 'k1:anna', false);
    const b = callTo('CA02', T0 + 2 * DAY, 'k1:anna', true);
    await ingestor.ingest([...a, ...b]);
    const jb = await store.getJourney('CA02');
    expect(jb?.repeatOf).toEqual([{ target: '4712', targetKind: 'person', firstFallback: { reason: 'no-answer', route: 'operator' }, afterMs: 2 * DAY }]);
    expect((await store.eventsForCall('CA02')).filter((e) => e.type === 'call.repeat')).toHaveLength(1);
    expect((await store.getJourney('CA01'))?.repeatOf).toBeUndefined();
    const once = await rollups(store);
    const repeatDims = [...once.keys()].filter((k) => k.includes('repeat:'));
    expect(repeatDims.length).toBe(3); // one per grain
    await ingestor.ingest([...a, ...b]);
    expect(await rollups(store)).toEqual(once);
    await ingestor.close();
    const rebuilt = await rebuildRollups(store, { contribution });
    expect(rebuilt.journeysRewritten).toBe(0);
    expect(await rollups(store)).toEqual(once);
  });

  test('a call already ended is not looked up again when it changes later; a window of 0 looks up nothing', async () => {
    const a = callTo('CA11', T0, 'k1:anna', false);
    const b = callTo('CA12', T0 + DAY, 'k1:anna', true);
    const off = new Ingestor({ store, contribution, repeatWindowMs: 0 });
    await off.ingest(a);
    await off.ingest(b);
    expect((await store.getJourney('CA12'))?.repeatOf).toBeUndefined();
    const on = new Ingestor({ store, contribution });
    const lookups = jest.spyOn(store, 'journeysOfCallers');
    await on.ingest([{ callSid: 'CA12', id: 'CA12:late', at: T0 + DAY + 70_000, step: 100, seq: 0, type: 'survey.completed' }]);
    expect(lookups).not.toHaveBeenCalled();
    expect((await store.getJourney('CA12'))?.repeatOf).toBeUndefined();
    await on.close();
    await off.close();
  });
});
