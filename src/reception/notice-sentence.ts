import { wallClock } from '../metrics/local-time';
import type { NoticeReason } from './notice';

/** What the caller hears about: the person's name as the flow gives it, and their notice. */
export interface SpokenNotice {
  name: string;
  reason: NoticeReason;
  until: string | null;
  text?: string;
}

export type Lang = 'sv' | 'en';

const DAY_MS = 86_400_000;

/** Whole local days from `now` to `at` in the zone: the two wall-clock dates apart, whatever DST did in between. */
export function daysApart(timeZone: string, now: number, at: number): number {
  return Math.round((Date.parse(wallClock(timeZone, at).date) - Date.parse(wallClock(timeZone, now).date)) / DAY_MS);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "måndag den 7 december" / "Monday 7 December", from Intl's own names in the zone. */
export function fullDate(lang: Lang, timeZone: string, at: number): string {
  const key = `${lang}|${timeZone}`;
  let fmt = dateFormats.get(key);
  if (!fmt) dateFormats.set(key, (fmt = new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' })));
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(at)) p[part.type] = part.value;
  return lang === 'sv' ? `${p.weekday} den ${p.day} ${p.month}` : `${p.weekday} ${p.day} ${p.month}`;
}

export function weekday(lang: Lang, timeZone: string, at: number): string {
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { timeZone, weekday: 'long' }).format(at);
}

/** The time of day as people say it: "klockan 14", "klockan 14.30" / "2 pm", "2:30 pm"; never seconds. */
export function clock(lang: Lang, timeZone: string, at: number): string {
  const minute = wallClock(timeZone, at).minute;
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  const mm = String(m).padStart(2, '0');
  if (lang === 'sv') return h === 0 && m === 0 ? 'midnatt' : `klockan ${h}${m ? `.${mm}` : ''}`;
  if (h === 0 && m === 0) return 'midnight';
  if (h === 12 && m === 0) return '12 noon';
  return `${h % 12 || 12}${m ? `:${mm}` : ''} ${h < 12 ? 'am' : 'pm'}`;
}

/**
 * A moment relative to now: its day ("i morgon", "torsdag", "måndag den 7 december"; none today) and
 * its time. The weekday alone within the week, where a caller knows which day is meant; the date beyond.
 */
function moment(lang: Lang, timeZone: string, now: number, at: number): { day: string | null; weekdayOnly: boolean; time: string } {
  const days = daysApart(timeZone, now, at);
  const time = clock(lang, timeZone, at);
  if (days === 0) return { day: null, weekdayOnly: false, time };
  if (days === 1) return { day: lang === 'sv' ? 'i morgon' : 'tomorrow', weekdayOnly: false, time };
  if (days > 1 && days < 7) return { day: weekday(lang, timeZone, at), weekdayOnly: true, time };
  return { day: fullDate(lang, timeZone, at), weekdayOnly: false, time };
}

/** "i morgon klockan 8" / "tomorrow at 8 am"; `on` puts "på"/"on" before a lone weekday ("tillbaka på torsdag klockan 8"). */
function spokenMoment(lang: Lang, m: ReturnType<typeof moment>, on = false): string {
  if (!m.day) return m.time;
  const prefix = on && m.weekdayOnly ? (lang === 'sv' ? 'på ' : 'on ') : '';
  return lang === 'sv' ? `${prefix}${m.day} ${m.time}` : `${prefix}${m.day} at ${m.time}`;
}

/** The last whole day of an absence that ends at the start of a day: "i morgon", "måndag den 7 december". */
function lastDay(lang: Lang, timeZone: string, now: number, at: number): string {
  const last = at - 1;
  const days = daysApart(timeZone, now, last);
  if (days === 0) return lang === 'sv' ? 'i dag' : 'today';
  if (days === 1) return lang === 'sv' ? 'i morgon' : 'tomorrow';
  return fullDate(lang, timeZone, last);
}

/** A return at local midnight means "away all of the day before", said as a day without a time. */
const atMidnight = (timeZone: string, at: number) => wallClock(timeZone, at).minute === 0;

function sentenceEnd(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/**
 * The sentence said to a caller before any ring, in the call's language:
 * "Anna Lind är på möte till klockan 14." / "Anna Lind is in a meeting until 2 pm.". Times are the
 * municipality's wall clock (`timeZone`), relative to `now` (today, tomorrow, a weekday, a date).
 */
export function noticeSentence(n: SpokenNotice, language: string, timeZone: string, now: number): string {
  const lang: Lang = language.slice(0, 2) === 'en' ? 'en' : 'sv';
  const at = n.until === null ? null : Date.parse(n.until);
  const sv = lang === 'sv';
  const until = (at: number) => `${sv ? 'till' : 'until'} ${spokenMoment(lang, moment(lang, timeZone, now, at))}`;
  const back = (at: number) => `${sv ? 'är tillbaka' : 'will be back'} ${spokenMoment(lang, moment(lang, timeZone, now, at), true)}`;
  const throughDay = (at: number) => (sv ? `till och med ${lastDay(lang, timeZone, now, at)}` : `up to and including ${lastDay(lang, timeZone, now, at)}`);
  /** Until a time, or through a day when the return is at the start of one. */
  const away = (at: number | null) => (at === null ? '' : ` ${atMidnight(timeZone, at) ? throughDay(at) : until(at)}`);
  switch (n.reason) {
    case 'meeting':
      return sv ? `${n.name} är på möte${away(at)}.` : `${n.name} is in a meeting${away(at)}.`;
    case 'out':
      return sv ? `${n.name} är ute på uppdrag${away(at)}.` : `${n.name} is out of the office${away(at)}.`;
    case 'gone-for-the-day':
      if (at === null) return sv ? `${n.name} har gått för dagen.` : `${n.name} has left for the day.`;
      return sv ? `${n.name} har gått för dagen och ${back(at)}.` : `${n.name} has left for the day and ${back(at)}.`;
    case 'sick':
      if (at === null || atMidnight(timeZone, at)) return sv ? `${n.name} är sjuk${away(at)}.` : `${n.name} is off sick${away(at)}.`;
      return sv ? `${n.name} är sjuk och ${back(at)}.` : `${n.name} is off sick and ${back(at)}.`;
    case 'leave':
      return sv ? `${n.name} är ledig${away(at)}.` : `${n.name} is on leave${away(at)}.`;
    case 'other': {
      const first = sv ? `${n.name} kan inte svara${away(at)}.` : `${n.name} cannot take calls${away(at)}.`;
      return n.text?.trim() ? `${first} ${sentenceEnd(n.text)}` : first;
    }
  }
}
