import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CallEvent } from '../../src/journey/events';
import { applyRetention } from '../../src/privacy/retention';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

/**
 * The caller's own words, end to end through the webhooks: the demo flow (ivr-flows/vaxel.yaml) asks
 * for a spoken comment after its three questions. An unusual word in each comment lets the tests look
 * for the words wherever they must not be.
 */
const SV_WORD = 'Pelargonfönstret';
const SV_COMMENT = `Jag sökte handläggaren om ${SV_WORD} och fick vänta länge.`;
const EN_WORD = 'Quarrelsome';
const EN_COMMENT = `${EN_WORD} menu, but the person was kind.`;

describe('a spoken comment after the survey', () => {
  let h: Harness;
  let reception: StaffMember;
  let analyst: StaffMember;
  const live: CallEvent[] = [];

  beforeAll(async () => {
    h = await startHarness();
    reception = await staffMember(h, 'reception@kommun.se', ['reception']);
    analyst = await staffMember(h, 'analyst@kommun.se', ['analyst']);
    h.service.onEvents.add((events) => live.push(...events));
  });
  afterAll(async () => h.close());

  test('Swedish: stored apart from the events, shown in the timeline and in the comments list with path and scores, every read audited', async () => {
    const trace = await h.caller.call({ from: '+46701230001', digits: ['1'], dials: [{ answer: true }], survey: ['4', '2', '1'], speech: SV_COMMENT });
    expect(trace.ending).toBe('hangup-verb');
    expect(trace.said).toContain('Vill du lämna en kort kommentar om samtalet? Säg den nu, eller lägg på.');
    expect(trace.said[trace.said.length - 1]).toBe('Tack för din kommentar. Hej då.');
    expect(trace.requests.map((r) => r.path)).toContain('/twilio/comment');
    await h.settle();

    const journey = await h.journey(trace.callSid);
    expect(journey.survey).toMatchObject({ bemotande: 4, enkelhet: 2, answered: true, completed: true, comment: { confidence: 0.9, chars: SV_COMMENT.length } });

    const timeline = await request(h, 'GET', `/api/calls/${trace.callSid}/timeline`, reception.token);
    expect(timeline.status).toBe(200);
    expect(timeline.body.comments).toEqual([{ at: expect.any(String), text: SV_COMMENT, confidence: 0.9, language: 'sv-SE' }]);
    const commentEvent = timeline.body.events.find((e: CallEvent) => e.type === 'survey.comment');
    expect(commentEvent).toMatchObject({ chars: SV_COMMENT.length, confidence: 0.9, language: 'sv-SE' });
    expect(commentEvent).not.toHaveProperty('text');
    expect(JSON.stringify(timeline.body.events)).not.toContain(SV_WORD);
    expect(JSON.stringify(timeline.body.journey)).not.toContain(SV_WORD);

    const list = await request(h, 'GET', '/api/comments?flow=vaxel', reception.token);
    expect(list.status).toBe(200);
    const mine = list.body.comments.find((c: { callSid: string }) => c.callSid === trace.callSid);
    expect(mine).toMatchObject({
      text: SV_COMMENT,
      confidence: 0.9,
      language: 'sv-SE',
      flowId: 'vaxel',
      call: { path: expect.arrayContaining(['main', 'skola']), targets: ['skola'], fallbacks: [], survey: { bemotande: 4, enkelhet: 2, answered: true } },
    });

    // Filters by what happened in the call.
    const has = async (query: string) => (await request(h, 'GET', `/api/comments?${query}`, reception.token)).body.comments.some((c: { callSid: string }) => c.callSid === trace.callSid);
    expect(await has('score=1,2')).toBe(true);
    expect(await has('score=5')).toBe(false);
    expect(await has('target=skola')).toBe(true);
    expect(await has('target=omsorg')).toBe(false);
    expect(await has('fallback=none')).toBe(true);
    expect(await has('fallback=any')).toBe(false);
    expect((await request(h, 'GET', '/api/comments?score=7', reception.token)).status).toBe(400);

    // Personal data: not for analysts (statistics only), and each read is on the audit trail.
    expect((await request(h, 'GET', '/api/comments', analyst.token)).status).toBe(403);
    const reads = await request(h, 'GET', '/api/audit?action=comments.read&user=reception@kommun.se&order=oldest', API_TOKEN);
    // The list and the six filtered reads, empty ones included; the refused query read nothing.
    expect(reads.body.records.length).toBe(7);
    expect(reads.body.records[0]).toMatchObject({ actor: 'user:reception@kommun.se', action: 'comments.read', details: expect.objectContaining({ comments: 1 }) });

    // The live board's feed never carried the words.
    expect(live.some((e) => e.callSid === trace.callSid && e.type === 'survey.comment')).toBe(true);
    expect(JSON.stringify(live)).not.toContain(SV_WORD);
  });

  test('English: listened for in English, stored with its language; silence is no comment', async () => {
    const trace = await h.caller.call({ from: '+46701230002', digits: ['9', '1', '1'], dials: [{ answer: true }], survey: ['5', '5', '1'], speech: EN_COMMENT, speechConfidence: 0.72 });
    expect(trace.said).toContain('Would you like to leave a short comment about the call? Say it now, or just hang up.');
    expect(trace.said[trace.said.length - 1]).toBe('Thank you for your comment. Goodbye.');
    const silent = await h.caller.call({ from: '+46701230003', digits: ['1'], dials: [{ answer: true }], survey: ['3', '3', '2'] });
    expect(silent.said[silent.said.length - 1]).toBe('Tack för dina svar. Hej då.');
    await h.settle();

    const list = await request(h, 'GET', '/api/comments', reception.token);
    const mine = list.body.comments.find((c: { callSid: string }) => c.callSid === trace.callSid);
    expect(mine).toMatchObject({ text: EN_COMMENT, confidence: 0.72, language: 'en-GB', call: { survey: { bemotande: 5, enkelhet: 5 } } });
    expect(list.body.comments.some((c: { callSid: string }) => c.callSid === silent.callSid)).toBe(false);
    expect((await h.journey(silent.callSid)).survey.comment).toBeNull();
    expect((await request(h, 'GET', `/api/calls/${silent.callSid}/timeline`, reception.token)).body.comments).toEqual([]);
  });

  test('a Confidence that is no number in 0–1 is stored as none: the caller is still thanked, not sent to the operator', async () => {
    const trace = await h.caller.call({ from: '+46701230005', digits: ['1'], dials: [{ answer: true }], survey: ['4', '4', '1'], speech: 'Helt okej.', speechConfidence: Number.NaN });
    expect(trace.said[trace.said.length - 1]).toBe('Tack för din kommentar. Hej då.');
    await h.settle();
    expect(await h.service.store.commentsOf([trace.callSid])).toEqual([expect.objectContaining({ text: 'Helt okej.', confidence: null })]);
    expect((await h.journey(trace.callSid)).survey.comment).toEqual({ confidence: null, chars: 10 });
  });

  test('privacy: the events and journeys tables never hold the words; the register extract has them; comment retention removes them from the files while the call stays; erasure removes them', async () => {
    const trace = await h.caller.call({ from: '+46701230004', digits: ['1'], dials: [{ answer: true }], survey: ['2', '1', '2'], speech: SV_COMMENT });
    await h.settle();
    // What either store gives back of the call: its events and journey, as stored.
    const stored = JSON.stringify([await h.service.store.eventsForCall(trace.callSid), await h.service.store.getJourney(trace.callSid)]);
    expect(stored).toContain('survey.comment');
    expect(stored).not.toContain(SV_WORD);
    const embedded = h.service.store.kind === 'embedded';
    if (embedded) {
      const db = new Database(path.join(h.dataDir, 'callpath.sqlite'), { readonly: true, fileMustExist: true });
      try {
        const like = `%${SV_WORD}%`;
        expect(db.prepare('SELECT count(*) FROM events WHERE body LIKE ?').pluck().get(like)).toBe(0);
        expect(db.prepare('SELECT count(*) FROM journeys WHERE body LIKE ?').pluck().get(like)).toBe(0);
        expect(db.prepare('SELECT count(*) FROM comments WHERE text LIKE ?').pluck().get(like)).toBe(2);
      } finally {
        db.close();
      }
    }

    const extract = await request(h, 'POST', '/api/privacy/caller-data', API_TOKEN, { number: '+46701230004' });
    expect(extract.status).toBe(200);
    expect(extract.body.calls).toHaveLength(1);
    expect(extract.body.calls[0].comments).toEqual([{ at: expect.any(String), text: SV_COMMENT, confidence: 0.9, language: 'sv-SE' }]);

    const inFiles = (word: string) =>
      fs
        .readdirSync(h.dataDir)
        .filter((f) => f.includes('.sqlite'))
        .filter((f) => fs.readFileSync(path.join(h.dataDir, f)).includes(Buffer.from(word)));
    // The search finds the words where they are: the comments table (its file or its WAL; on MongoDB the
    // data folder holds the outbox journal alone).
    if (embedded) expect(inFiles(SV_WORD).length).toBeGreaterThan(0);

    // 91 days on, COMMENT_RETENTION_DAYS (90 by default) has passed, RETENTION_DAYS (365) has not.
    expect(h.config.commentRetentionDays).toBe(90);
    const r = await applyRetention(h.service.store, h.clock.now() + 91 * 86_400_000, h.config.retentionDays, h.config.commentRetentionDays);
    expect(r).toMatchObject({ journeys: 0, events: 0, comments: 4 });
    await h.service.outbox.purgeDelivered();
    expect(await h.service.store.getJourney(trace.callSid)).not.toBeNull();
    expect((await request(h, 'GET', `/api/calls/${trace.callSid}/timeline`, reception.token)).body.comments).toEqual([]);
    // Gone from every database file and WAL of the data folder: the store's and the outbox journal's.
    expect(await h.service.store.commentsOf([trace.callSid])).toEqual([]);
    expect(inFiles(SV_WORD)).toEqual([]);
    expect(inFiles(EN_WORD)).toEqual([]);

    // Erasure: a new comment of the same caller goes with their calls.
    const again = await h.caller.call({ from: '+46701230004', digits: ['1'], dials: [{ answer: true }], survey: ['2', '1', '2'], speech: 'Ett nytt klagomål.' });
    await h.settle();
    expect(await h.service.store.commentsOf([again.callSid])).toHaveLength(1);
    const erased = await request(h, 'POST', '/api/privacy/caller-data/erase', API_TOKEN, { number: '+46701230004' });
    expect(erased.status).toBe(200);
    expect(await h.service.store.commentsOf([again.callSid, trace.callSid])).toEqual([]);
    expect((await request(h, 'GET', '/api/comments', reception.token)).body.comments.some((c: { callSid: string }) => c.callSid === again.callSid)).toBe(false);
  });
});
