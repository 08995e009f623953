import IcalExpander from 'ical-expander';
import { instantOf } from './callback-promise';
import type { Notice, NoticeReason } from './notice';

/**
 * A person's calendar, read from an iCalendar feed, as the notice it gives now. Pure apart from the
 * parsing library (ical-expander over ical.js: recurring events with their exceptions and exclusions,
 * the IANA time zones). What an event is called, where and with whom never leaves this file: a notice
 * holds a reason and a return time only.
 */

const DAY = 86_400_000;
/** Occurrences of one recurring event expanded at most (a daily meeting for years is a few thousand). */
const MAX_ITERATIONS = 5000;
/** Back-to-back meetings are one absence: the next one is joined when it starts within this of the last one's end. */
const JOIN_GAP_MS = 60_000;

/** What this file reads of ical.js's objects (the library ships no types of its own). */
interface IcalTime {
  isDate: boolean;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: { tzid?: string } | null;
  toJSDate(): Date;
}
interface IcalEvent {
  component: { getFirstPropertyValue(name: string): unknown };
  startDate: IcalTime;
  endDate: IcalTime | null;
}
interface IcalOccurrence {
  item: IcalEvent;
  startDate: IcalTime;
  endDate: IcalTime | null;
}

export interface BusySpan {
  start: number;
  end: number;
  reason: NoticeReason;
}

/** A parsed feed, kept between reads (parsing is the expensive part). Throws on text that is no iCalendar. */
export class Calendar {
  private readonly expander: IcalExpander;

  constructor(
    ics: string,
    private readonly timeZone: string,
  ) {
    this.expander = new IcalExpander({ ics, maxIterations: MAX_ITERATIONS, skipInvalidDates: true });
  }

  /**
   * Busy spans that touch [from, to]: events neither free (TRANSP:TRANSPARENT, Outlook's FREE or
   * TENTATIVE) nor cancelled. A timed event is a meeting; an all-day event or one Outlook marks out of
   * office (OOF) is `out`.
   */
  busyBetween(from: number, to: number): BusySpan[] {
    // The library compares dates and floating times in the process's zone: ask a day wider, then cut exactly.
    const found = this.expander.between(new Date(from - DAY), new Date(to + DAY));
    const events = found.events as unknown as IcalEvent[];
    const occurrences = found.occurrences as unknown as IcalOccurrence[];
    const spans: BusySpan[] = [];
    const add = (item: IcalEvent, startDate: IcalTime, endDate: IcalTime | null) => {
      const c = item.component;
      if (String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
      if (String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') return;
      const busy = String(c.getFirstPropertyValue('x-microsoft-cdo-busystatus') ?? 'BUSY').toUpperCase();
      if (busy === 'FREE' || busy === 'TENTATIVE') return;
      const start = this.instant(startDate);
      // An event with no end lasts a day when it is a date, else no time at all (RFC 5545 3.6.1).
      const end = endDate ? this.instant(endDate) : startDate.isDate ? start + DAY : start;
      if (end <= start || end < from || start > to) return;
      spans.push({ start, end, reason: startDate.isDate || busy === 'OOF' ? 'out' : 'meeting' });
    };
    for (const e of events) add(e, e.startDate, e.endDate);
    for (const o of occurrences) add(o.item, o.startDate, o.endDate);
    return spans.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /**
   * The notice this calendar gives the person at `now`: null when no busy event is on. Its return time
   * is the end of the busy events now, joined with those that follow within a minute of each other.
   */
  noticeAt(person: string, now: number): Notice | null {
    const spans = this.busyBetween(now, now + 7 * DAY);
    const on = spans.filter((s) => s.start <= now && now < s.end);
    if (!on.length) return null;
    let until = Math.max(...on.map((s) => s.end));
    for (const s of spans) if (s.start > now && s.start <= until + JOIN_GAP_MS && s.end > until) until = s.end;
    const reason: NoticeReason = on.some((s) => s.reason === 'out') ? 'out' : 'meeting';
    return { person, reason, until: new Date(until).toISOString(), setBy: 'calendar', setAt: new Date(now).toISOString() };
  }

  /** An iCalendar time as an instant: a date, or a time with no zone (floating), is the municipality's wall clock. */
  private instant(t: IcalTime): number {
    const tzid = t.zone?.tzid;
    if (!t.isDate && tzid && tzid !== 'floating') return t.toJSDate().getTime();
    const date = `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
    return instantOf(this.timeZone, date, t.isDate ? 0 : t.hour * 60 + t.minute) + (t.isDate ? 0 : t.second * 1000);
  }
}

