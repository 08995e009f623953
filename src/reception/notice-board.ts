import type { PersonNotice } from '../flow/context';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { noticeApplies, personKey, type Notice } from './notice';
import { noticeSentence } from './notice-sentence';

type NoticeStore = Pick<Store, 'putNotice' | 'deleteNotice' | 'listNotices'>;

/**
 * The notices in memory, for the webhooks: a caller's step reads them here and never waits on the
 * store. Loaded once the store is open, changed on every change made through this instance, and
 * reloaded every minute (see service.ts) so instances sharing a MongoDB agree within a minute.
 * A calendar feed's notices sit beside them; one set by hand wins over the calendar's.
 */
export class NoticeBoard {
  private manual = new Map<string, Notice>();
  private fromCalendar = new Map<string, Notice>();
  /** Bumped by every change made here, so a reload that read the store before it does not undo it. */
  private changes = 0;
  private loaded = false;

  constructor(
    private readonly store: NoticeStore,
    private readonly timeZone: string,
    private readonly log?: Logger,
  ) {}

  /** Reads every notice from the store; a change made here meanwhile wins (the next reload sees it stored). */
  async load(): Promise<void> {
    const before = this.changes;
    const list = await this.store.listNotices();
    if (this.changes !== before) return;
    this.manual = new Map(list.map((n) => [n.person, n]));
    if (!this.loaded) this.log?.info({ notices: list.length }, 'absence notices loaded');
    this.loaded = true;
  }

  /** Stores the notice first, then shows it: a notice the store refused is not said to callers either. */
  async set(notice: Notice): Promise<void> {
    await this.store.putNotice(notice);
    this.changes++;
    this.manual.set(notice.person, notice);
  }

  async clear(person: string): Promise<boolean> {
    const had = await this.store.deleteNotice(person);
    this.changes++;
    const held = this.manual.delete(person);
    return had || held;
  }

  /**
   * A calendar feed's answer for one person: a busy event now (null: none). Kept in memory only; set by
   * the calendar feeds (reception/calendar-feeds.ts) every minute from their last readings.
   */
  setFromCalendar(person: string, notice: Notice | null): void {
    if (notice) this.fromCalendar.set(person, notice);
    else this.fromCalendar.delete(person);
  }

  /** The notice that applies now to the person at this number: one set by hand, else the calendar's. */
  current(number: string, now: number): Notice | null {
    const key = personKey(number);
    for (const n of [this.manual.get(key), this.fromCalendar.get(key)]) if (n && noticeApplies(n, now)) return n;
    return null;
  }

  /** Every notice that applies now, one per person (by hand before calendar). */
  list(now: number): Notice[] {
    const people = new Set([...this.manual.keys(), ...this.fromCalendar.keys()]);
    return [...people].sort().flatMap((p) => this.current(p, now) ?? []);
  }

  /** The notice as the engine takes it (see personNoticeOf). */
  forCall(number: string, now: number): PersonNotice | null {
    const n = this.current(number, now);
    return n ? personNoticeOf(n, this.timeZone, now) : null;
  }
}

/** A notice as the engine takes it: reason, return time and the sentence in the municipality's time zone. */
export function personNoticeOf(n: Notice, timeZone: string, now: number): PersonNotice {
  return {
    reason: n.reason,
    until: n.until,
    sentence: (name, language) => noticeSentence({ name, reason: n.reason, until: n.until, ...(n.text ? { text: n.text } : {}) }, language, timeZone, now),
  };
}
