import type { Flow } from '../flow/schema';
import type { Logger } from '../log';
import { Calendar } from './calendar';
import { personKey, type Notice } from './notice';

/** How often every feed is read. */
export const CALENDAR_REFRESH_MS = 5 * 60_000;
/** How long the last good reading of a feed stands in for one that fails, before the person's calendar notice goes. */
export const CALENDAR_KEEP_MS = 60 * 60_000;
/** Longest a feed's server may take to answer. */
const FETCH_TIMEOUT_MS = 15_000;
/** Largest feed read (a year of a busy person's calendar is well under a megabyte). */
const MAX_BYTES = 5 * 1024 * 1024;
/** Feeds read at once. */
const PARALLEL = 4;

export interface CalendarFeedsDeps {
  /** The flows in service: their directories' people and `calendar:` addresses. */
  flows: () => readonly Flow[];
  board: { setFromCalendar(person: string, notice: Notice | null): void };
  now: () => number;
  timeZone: string;
  log: Logger;
  fetch?: typeof fetch;
  keepMs?: number;
}

/** A feed's address as it may be logged: scheme and host only (the path and query usually hold its secret). */
export function feedForLog(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}/…`;
  } catch {
    return '(not a URL)';
  }
}

interface Reading {
  calendar: Calendar;
  at: number;
}

/**
 * The people's calendar feeds: each read every 5 minutes by the service's housekeeping (never on a
 * webhook's path: the webhooks read the notice board in memory), and its busy event now put on the
 * board as the person's calendar notice; one set by hand wins there (see NoticeBoard). A feed that
 * fails is logged by its host alone and its last good reading stands for CALENDAR_KEEP_MS. The board
 * is brought up to date every minute from the readings kept, so a meeting's start and end are said
 * within a minute of the calendar although the feeds are read less often.
 */
export class CalendarFeeds {
  private readonly readings = new Map<string, Reading>();
  /** People this has put a calendar notice on the board for (or cleared): their last answer. */
  private readonly shown = new Map<string, string | null>();
  private readonly fetch: typeof fetch;

  constructor(private readonly deps: CalendarFeedsDeps) {
    this.fetch = deps.fetch ?? fetch;
  }

  /** Person key → feed address, for every person of the flows in service who has one (the first flow's wins). */
  feeds(): Map<string, string> {
    const out = new Map<string, string>();
    for (const flow of this.deps.flows()) {
      for (const p of Object.values(flow.directory)) {
        const key = personKey(p.number);
        if (p.calendar && !out.has(key)) out.set(key, p.calendar);
      }
    }
    return out;
  }

  private refreshing: Promise<void> | null = null;

  /**
   * Reads every feed once (a few at a time), then updates the board. Never throws: failures are logged.
   * A call while a refresh is still reading (slow servers) waits for that one instead of starting another.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.readAll().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readAll(): Promise<void> {
    const feeds = this.feeds();
    const urls = [...new Set(feeds.values())];
    for (const url of [...this.readings.keys()]) if (!urls.includes(url)) this.readings.delete(url);
    let next = 0;
    const worker = async () => {
      while (next < urls.length) await this.read(urls[next++], feeds);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, urls.length) }, worker));
    this.update();
  }

  /** Puts on the board what each person's kept reading says now; a reading too old, or none, clears it. */
  update(): void {
    const now = this.deps.now();
    const keep = this.deps.keepMs ?? CALENDAR_KEEP_MS;
    const feeds = this.feeds();
    for (const person of this.shown.keys()) if (!feeds.has(person)) this.show(person, null);
    for (const [person, url] of feeds) {
      const r = this.readings.get(url);
      let notice: Notice | null = null;
      if (r && now - r.at <= keep) {
        try {
          notice = r.calendar.noticeAt(person, now);
        } catch {
          this.deps.log.warn({ person, feed: feedForLog(url) }, 'calendar feed could not be read for now');
        }
      }
      this.show(person, notice);
    }
  }

  private show(person: string, notice: Notice | null): void {
    const said = notice ? `${notice.reason}|${notice.until}` : null;
    // Nothing to say and nothing said before, or the same again: the board is left as it is.
    if (this.shown.has(person) ? this.shown.get(person) === said : said === null) return;
    this.deps.board.setFromCalendar(person, notice);
    if (notice) this.shown.set(person, said);
    else this.shown.delete(person);
  }

  private async read(url: string, feeds: ReadonlyMap<string, string>): Promise<void> {
    const started = this.deps.now();
    try {
      const res = await this.fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'text/calendar' }, redirect: 'follow' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > MAX_BYTES) throw new Error(`feed larger than ${MAX_BYTES} bytes`);
      const text = await res.text();
      if (text.length > MAX_BYTES) throw new Error(`feed larger than ${MAX_BYTES} bytes`);
      if (!/BEGIN:VCALENDAR/i.test(text)) throw new Error('not an iCalendar feed');
      let calendar: Calendar;
      try {
        calendar = new Calendar(text, this.deps.timeZone);
      } catch {
        // The parser's message may quote a line of the feed: an event's title, a name.
        throw new Error('not a readable iCalendar feed');
      }
      this.readings.set(url, { calendar, at: started });
    } catch (err) {
      const people = [...feeds].filter(([, u]) => u === url).map(([p]) => p);
      const kept = this.readings.get(url);
      // Only the host: the path and query of a calendar address are its secret. The error's own message
      // never holds the address (fetch's "fetch failed" has it in a cause this leaves out).
      this.deps.log.warn(
        { people, feed: feedForLog(url), err: messageOf(err), keptFrom: kept ? new Date(kept.at).toISOString() : null },
        kept ? 'calendar feed not read; its last good reading is kept for a while' : 'calendar feed not read',
      );
    }
  }
}

function messageOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  const code = e?.cause?.code;
  return code ? `${e.message} (${code})` : String(e?.message ?? err);
}
