import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadFlowDir } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/schema';
import { createLogger } from '../../src/log';
import { Calendar } from '../../src/reception/calendar';
import { CalendarFeeds, feedForLog } from '../../src/reception/calendar-feeds';
import type { Notice } from '../../src/reception/notice';
import { startHarness, tempDir } from '../helpers/harness';

const TZ = 'Europe/Stockholm';
const JOHAN = '+46101304712';
const SECRET = 'private-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** Johan's week: a weekly Monday meeting 09–10 (one Monday cancelled), a meeting straight after it, a course all Wednesday, a free slot. */
export const JOHAN_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//callpath test//EN',
  'BEGIN:VEVENT',
  'UID:weekly@exempelstad.se',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20260302T090000',
  'DTEND;TZID=Europe/Stockholm:20260302T100000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO',
  'EXDATE;TZID=Europe/Stockholm:20260309T090000',
  'SUMMARY:Skolchefsmöte om elevärende',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:after@exempelstad.se',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20260302T100000',
  'DTEND;TZID=Europe/Stockholm:20260302T103000',
  'SUMMARY:Avstämning',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:course@exempelstad.se',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260304',
  'DTEND;VALUE=DATE:20260305',
  'SUMMARY:Utbildning',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:free@exempelstad.se',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260305T090000Z',
  'DTEND:20260305T100000Z',
  'TRANSP:TRANSPARENT',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const at = (iso: string) => Date.parse(iso);

describe('Calendar (pure)', () => {
  const cal = new Calendar(JOHAN_ICS, TZ);
  test('a recurring meeting now, joined with the one straight after it; a cancelled occurrence and a free slot are not busy', () => {
    expect(cal.noticeAt(JOHAN, at('2026-03-02T08:30:00Z'))).toEqual({ person: JOHAN, reason: 'meeting', until: '2026-03-02T09:30:00.000Z', setBy: 'calendar', setAt: '2026-03-02T08:30:00.000Z' });
    expect(cal.noticeAt(JOHAN, at('2026-03-02T07:59:00Z'))).toBeNull();
    expect(cal.noticeAt(JOHAN, at('2026-03-09T08:30:00Z'))).toBeNull();
    expect(cal.noticeAt(JOHAN, at('2026-03-16T08:30:00Z'))?.until).toBe('2026-03-16T09:00:00.000Z');
    expect(cal.noticeAt(JOHAN, at('2026-03-05T09:30:00Z'))).toBeNull();
  });

  test('an all-day event is out of the office through the local day', () => {
    expect(cal.noticeAt(JOHAN, at('2026-03-03T23:30:00Z'))).toMatchObject({ reason: 'out', until: '2026-03-04T23:00:00.000Z' });
    expect(cal.noticeAt(JOHAN, at('2026-03-03T22:30:00Z'))).toBeNull();
  });

  test('text that is no iCalendar is refused', () => {
    expect(() => new Calendar('BEGIN:VCALENDAR\r\nthis is: not\r\nwhat', TZ)).toThrow();
  });
});

describe('CalendarFeeds over HTTP', () => {
  let server: http.Server;
  let base: string;
  let answer: { status: number; body: string };
  let requests = 0;
  let now = at('2026-03-02T08:30:00Z');
  const lines: string[] = [];
  const log = createLogger('warn', { write: (l: string) => void lines.push(l) });
  const set: [string, Notice | null][] = [];
  const board = { setFromCalendar: (p: string, n: Notice | null) => void set.push([p, n]) };
  const flowWith = (calendar: string | undefined): Flow => ({ id: 'vaxel', directory: { '4712': { name: 'Johan Berg', number: JOHAN, ...(calendar ? { calendar } : {}) } } }) as unknown as Flow;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests++;
      res.writeHead(answer.status, { 'content-type': 'text/calendar' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    answer = { status: 200, body: JOHAN_ICS };
    now = at('2026-03-02T08:30:00Z');
    lines.length = 0;
    set.length = 0;
    requests = 0;
  });

  test('reads the feed, puts the meeting on the board, follows the clock between reads, and clears it when the feed goes from the directory', async () => {
    let flows = [flowWith(`${base}/calendar/${SECRET}/basic.ics?token=${SECRET}`)];
    const feeds = new CalendarFeeds({ flows: () => flows, board, now: () => now, timeZone: TZ, log });
    await feeds.refresh();
    expect(requests).toBe(1);
    expect(set).toEqual([[JOHAN, expect.objectContaining({ reason: 'meeting', until: '2026-03-02T09:30:00.000Z', setBy: 'calendar' })]]);
    // The same answer is not set again; after the meetings the notice goes without another read.
    feeds.update();
    expect(set).toHaveLength(1);
    now = at('2026-03-02T09:31:00Z');
    feeds.update();
    expect(set[1]).toEqual([JOHAN, null]);
    expect(requests).toBe(1);
    flows = [flowWith(undefined)];
    now = at('2026-03-02T08:30:00Z');
    feeds.update();
    feeds.update();
    expect(set.slice(2)).toEqual([]);
  });

  test('a feed that fails is logged by its host alone, and its last good reading is kept for a while', async () => {
    const url = `${base}/owa/calendar/${SECRET}/calendar.ics?key=${SECRET}`;
    const feeds = new CalendarFeeds({ flows: () => [flowWith(url)], board, now: () => now, timeZone: TZ, log, keepMs: 3_600_000 });
    await feeds.refresh();
    expect(set.at(-1)?.[1]).toMatchObject({ reason: 'meeting' });
    answer = { status: 500, body: 'oops' };
    now += 5 * 60_000;
    await feeds.refresh();
    expect(set).toHaveLength(1);
    answer = { status: 200, body: 'BEGIN:VCALENDAR\r\nSUMMARY:Secret meeting title\r\nbroken line' };
    await feeds.refresh();
    expect(set).toHaveLength(1);
    const logged = lines.join('\n');
    expect(logged).toContain('calendar feed not read; its last good reading is kept for a while');
    expect(logged).toContain('HTTP 500');
    expect(logged).toContain(feedForLog(url));
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('Secret meeting title');
    expect(logged).not.toContain('/owa/');
    // Past the time a reading is kept, the person's calendar notice goes.
    now += 3_600_000;
    await feeds.refresh();
    expect(set.at(-1)).toEqual([JOHAN, null]);
  });

  test('a feed that cannot be reached puts nothing on the board and is logged', async () => {
    const feeds = new CalendarFeeds({ flows: () => [flowWith('http://127.0.0.1:1/cal.ics')], board, now: () => now, timeZone: TZ, log });
    await feeds.refresh();
    expect(set).toEqual([]);
    expect(lines.join('\n')).toContain('calendar feed not read');
  });
});

describe('a calendar through the webhooks', () => {
  test('Johan in his Monday meeting: the caller hears it before any ring; a notice set by hand wins', async () => {
    let served = 0;
    const server = http.createServer((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'text/calendar' });
      res.end(JOHAN_ICS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${SECRET}.ics`;
    const dir = tempDir('callpath-calendar-flows-');
    const yaml = fs.readFileSync(path.join(__dirname, '../../ivr-flows/vaxel.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'vaxel.yaml'), yaml.replace('email: johan.berg@exempelstad.se,', `email: johan.berg@exempelstad.se, calendar: "${url}",`));
    expect(Object.values(loadFlowDir(dir)).length).toBeGreaterThan(0);
    const h = await startHarness({ env: { FLOWS_DIR: dir } });
    try {
      // 2026-03-02 08:00Z is Monday 09:00 in Stockholm: the weekly meeting, then the one after it, until 10:30.
      h.clock.advance(10 * 60_000);
      await h.service.calendars.refresh();
      expect(served).toBeGreaterThan(0);
      const t = await h.caller.call({ digits: ['5', '4712'], dials: [{ answer: true, talkMs: 10_000 }] });
      expect(t.said).toContain('Johan Berg är på möte till klockan 10.30.');
      const j = await h.journey(t.callSid);
      expect(j.notices).toEqual([expect.objectContaining({ target: '4712', reason: 'meeting', until: '2026-03-02T09:30:00.000Z' })]);
      // A notice set by hand wins over the calendar's.
      await h.service.notices.set({ person: JOHAN, reason: 'sick', until: null, setBy: 'test', setAt: new Date(h.clock.now()).toISOString() });
      const sick = await h.caller.call({ digits: ['5', '4712'], dials: [{ answer: true, talkMs: 10_000 }] });
      expect(sick.said).toContain('Johan Berg är sjuk.');
    } finally {
      await h.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
