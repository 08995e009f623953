import path from 'node:path';
import { loadFlowFile } from '../../src/flow/loader';
import { replayJourneys, type JourneyReplay } from '../../src/flow/replay/replay';
import { DEFAULT_CALLER_MODEL } from '../../src/flow/replay/model';
import { startHarness, takenAfter, type Harness } from '../helpers/harness';
import { request, staffMember } from '../helpers/staff';

const demo = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const ANNA = '+46101304711';
const JOHAN = '+46101304712';

/**
 * Calls through the real service on the demo flow, where Johan Berg (4712) has Maria Sjö (4715) as his
 * backup and Anna Lind (4711) has none, replayed on the same flow: the estimate on the version the call
 * was made on agrees with what the call cost, through backup nodes and absence notices, to the
 * millisecond (the default caller model is the virtual caller's).
 */
describe('flow:replay of calls that met a backup or an absence notice', () => {
  let h: Harness;
  const calls: Record<string, string> = {};
  let replayed: Map<string, JourneyReplay>;

  beforeAll(async () => {
    h = await startHarness();
    const reception = await staffMember(h, 'reception@exempelstad.se', ['reception']);
    // Johan does not answer; the menu after offers his colleague on key 3, and Maria answers.
    calls.offered = (await h.caller.call({ digits: ['5', '4712', '3'], dials: [{ answer: false, status: 'no-answer' }, { answer: true }] })).callSid;
    expect((await request(h, 'PUT', `/api/notices/${encodeURIComponent(JOHAN)}`, reception.token, { reason: 'meeting', until: '2026-03-02T14:00:00+01:00' })).status).toBe(200);
    expect((await request(h, 'PUT', `/api/notices/${encodeURIComponent(ANNA)}`, reception.token, { reason: 'meeting', until: '2026-03-02T14:00:00+01:00' })).status).toBe(200);
    // Johan's notice: his backup is rung at once (onNotice: colleague).
    calls.noticeToBackup = (await h.caller.call({ digits: ['5', '4712'], dials: [{ answer: true }] })).callSid;
    // Anna's notice: she has no backup, so the colleague node's noBackup menu, where the caller presses 0.
    calls.noticeNoBackup = (await h.caller.call({ digits: ['5', '4711', '0'], queue: takenAfter(10) })).callSid;
    await h.settle();
    const journeys = await h.service.store.listJourneys({ limit: 100 });
    replayed = new Map(replayJourneys(journeys, demo, { versions: [demo] }).replayed.map((r) => [r.callSid, r]));
  });
  afterAll(async () => h?.close());

  test('the colleague offered in the menu and answering: the estimate is what the call cost', () => {
    const r = replayed.get(calls.offered)!;
    expect(r.intent.label).toBe('person 4712 (no-answer) → person 4715');
    expect(r.before!.steps).toEqual(['welcome', 'main [5]', 'person [4712]', 'ring person 4712: no-answer', 'person_unavailable [3]', 'ring person 4715']);
    expect(r.before).toMatchObject(r.actual!);
    expect(r.after).toEqual(r.before);
  });

  test('a notice sending the caller to the backup at once: the estimate is what the call cost', () => {
    const r = replayed.get(calls.noticeToBackup)!;
    expect(r.intent.label).toBe('person 4712 (notice) → person 4715');
    expect(r.before!.steps).toEqual(['welcome', 'main [5]', 'person [4712]', 'ring person 4712: notice', 'ring person 4715']);
    expect(r.before).toMatchObject(r.actual!);
  });

  test('a notice for a person without a backup: the noBackup menu; the call also heard the notice, which the estimate leaves out', () => {
    const r = replayed.get(calls.noticeNoBackup)!;
    expect(r.intent.label).toBe('person 4711 (notice) → operator');
    expect(r.before!.steps).toEqual(['welcome', 'main [5]', 'person [4711]', 'ring person 4711: notice', 'person_unavailable [0]', 'ring operator']);
    const notice = 'Anna Lind är på möte till klockan 14.';
    expect(r.actual).toEqual({ keys: r.before!.keys, menuMs: r.before!.menuMs + notice.length * DEFAULT_CALLER_MODEL.speechMsPerChar, ringMs: r.before!.ringMs });
  });
});
