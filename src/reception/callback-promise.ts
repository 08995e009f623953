import { dateAfter, intervalsOn, type OpeningHours } from '../flow/opening-hours';
import { wallClock } from '../metrics/local-time';
import { clock, daysApart, fullDate, weekday, type Lang } from './notice-sentence';

/**
 * When a callback is promised, and how the caller hears it. Pure: the instant of the request, the
 * promise, the opening hours (holidays included) and the municipality's time zone give the deadline;
 * Intl and opening-hours.ts do all the calendar work.
 */
export type CallbackPromise = { within: { hours: number } } | { byNextWorkingDay: string };

const MINUTE = 60_000;
/** Days searched for opening hours before a promise is given up as unkeepable (a flow closed for ever). */
const SEARCH_DAYS = 400;

/**
 * The instant a wall-clock time of a local date is, in the zone: the UTC guess corrected by the
 * zone's offset as Intl reports it, twice (the second pass settles a guess across a DST change).
 */
export function instantOf(timeZone: string, date: string, minute: number): number {
  const target = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE;
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(timeZone, guess);
    const seen = Date.parse(`${w.date}T00:00:00Z`) + w.minute * MINUTE;
    guess += target - seen;
  }
  return guess;
}

/** Up to the next whole hour of the wall clock: the promise a caller remembers ("före klockan 15"). */
function toWholeHour(timeZone: string, ms: number): number {
  const exact = Math.ceil(ms / MINUTE) * MINUTE;
  const m = wallClock(timeZone, exact).minute % 60;
  return m === 0 ? exact : exact + (60 - m) * MINUTE;
}

/**
 * The deadline of a promise made at `at` (epoch ms), or null when the hours never open again.
 *  - within N hours: N hours of opening time counted from the request (from the next opening when
 *    closed), then up to the whole hour;
 *  - byNextWorkingDay HH:MM: that time on the first day after the request's local date with any
 *    opening hours (a Friday's request: Monday, or Tuesday after a holiday Monday).
 */
export function callbackDeadline(promise: CallbackPromise, hours: OpeningHours, at: number): number | null {
  const tz = hours.timeZone;
  const now = wallClock(tz, at);
  if ('byNextWorkingDay' in promise) {
    const [h, m] = promise.byNextWorkingDay.split(':').map(Number);
    let date = now.date;
    for (let i = 0; i < SEARCH_DAYS; i++) {
      date = dateAfter(date);
      if (intervalsOn(hours, date).length) return instantOf(tz, date, h * 60 + m);
    }
    return null;
  }
  let remaining = Math.round(promise.within.hours * 60);
  let date = now.date;
  for (let i = 0; i < SEARCH_DAYS; i++, date = dateAfter(date)) {
    for (const iv of intervalsOn(hours, date)) {
      const start = i === 0 ? Math.max(iv.from, now.minute) : iv.from;
      const available = iv.to - start;
      if (available <= 0) continue;
      if (remaining <= available) return toWholeHour(tz, instantOf(tz, date, start + remaining));
      remaining -= available;
    }
  }
  return null;
}

/**
 * What the caller hears: "Vi ringer upp dig senast i morgon före klockan 12." / "We will call you back
 * before 12 noon tomorrow." Without a deadline: as soon as we can.
 */
export function promiseSentence(deadline: number | null, language: string, timeZone: string, now: number): string {
  const lang: Lang = language.startsWith('en') ? 'en' : 'sv';
  const sv = lang === 'sv';
  if (deadline === null) return sv ? 'Vi ringer upp dig så snart vi kan.' : 'We will call you back as soon as we can.';
  const days = daysApart(timeZone, now, deadline);
  const time = clock(lang, timeZone, deadline);
  let day: string;
  if (days <= 0) day = sv ? 'i dag' : 'today';
  else if (days === 1) day = sv ? 'i morgon' : 'tomorrow';
  else if (days < 7) day = sv ? weekday(lang, timeZone, deadline) : `on ${weekday(lang, timeZone, deadline)}`;
  else day = sv ? fullDate(lang, timeZone, deadline) : `on ${fullDate(lang, timeZone, deadline)}`;
  return sv ? `Vi ringer upp dig senast ${day} före ${time}.` : `We will call you back before ${time} ${day}.`;
}
