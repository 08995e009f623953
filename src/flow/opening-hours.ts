import { wallClock } from '../metrics/local-time';

/**
 * Opening hours of a switchboard or a department: weekly hours by weekday, Swedish public holidays
 * (röda dagar) and the eves a municipality closes on, a day before a holiday with its own hours, and
 * dates that differ. Pure: the caller gives the instant; the zone turns it into the local wall clock.
 */

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];
const DAY_KEY = new RegExp(`^(${WEEKDAY_KEYS.join('|')})(?:-(${WEEKDAY_KEYS.join('|')}))?$`);

/** Minutes after local midnight, [from, to). */
export interface Interval {
  from: number;
  to: number;
}

export interface OpeningHours {
  timeZone: string;
  /** Index 0 = Monday; an empty list is closed all day. */
  weekly: Interval[][];
  /** Closed on Swedish public holidays and on julafton, midsommarafton and nyårsafton. */
  swedishHolidays: boolean;
  /** Hours of a weekday before a holiday (skärtorsdagen, valborgsmässoafton…), when they differ. */
  dayBeforeHoliday: Interval[] | null;
  /** Dates ('YYYY-MM-DD', local) that differ from all the above. */
  special: Map<string, Interval[]>;
}

/** Parses "08:00-12:00, 13:00-16:30" or "closed"; throws with what is wrong. */
export function parseIntervals(text: string): Interval[] {
  const t = text.trim();
  if (t === 'closed' || t === 'stängt') return [];
  const intervals = t.split(',').map((part) => {
    const m = /^\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*$/.exec(part);
    if (!m) throw new Error(`"${part.trim()}" is not a time range like 08:00-16:30`);
    const [h1, m1, h2, m2] = m.slice(1).map(Number);
    if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) throw new Error(`"${part.trim()}" is not a time of day`);
    const from = h1 * 60 + m1;
    const to = h2 * 60 + m2;
    if (to <= from) throw new Error(`"${part.trim()}" ends before it starts`);
    return { from, to };
  });
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].from < sorted[i - 1].to) throw new Error(`"${t}" has overlapping ranges`);
  return sorted;
}

/**
 * The weekdays a key names: "mon", or a range "mon-fri" (Monday first; "sat-sun" is a range,
 * "sun-mon" is not). Throws on anything else.
 */
export function parseDays(key: string): number[] {
  const m = DAY_KEY.exec(key);
  if (!m) throw new Error(`"${key}" is not a weekday (mon … sun) or a range of them (mon-fri)`);
  const from = WEEKDAY_KEYS.indexOf(m[1] as WeekdayKey);
  const to = m[2] ? WEEKDAY_KEYS.indexOf(m[2] as WeekdayKey) : from;
  if (to < from) throw new Error(`"${key}" runs backwards: weeks start on Monday`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm), as [month 1–12, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const DAY_MS = 86_400_000;
const isoDate = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/**
 * The days a Swedish municipality's switchboard is closed for a holiday in a year, with their names:
 * the public holidays of lagen (1989:253) om allmänna helgdagar that fall on a weekday in some year,
 * and the eves treated as holidays (julafton, midsommarafton, nyårsafton).
 */
export function swedishHolidays(year: number): Map<string, string> {
  const days = new Map<string, string>();
  const on = (month: number, day: number, name: string) => days.set(isoDate(Date.UTC(year, month - 1, day)), name);
  const fromEaster = (offset: number, name: string) => {
    const [m, d] = easterSunday(year);
    days.set(isoDate(Date.UTC(year, m - 1, d) + offset * DAY_MS), name);
  };
  /** The weekday (0 = Sunday … 6 = Saturday) that falls between two dates of June, October or November. */
  const firstWeekdayFrom = (month: number, day: number, weekday: number) => {
    const start = Date.UTC(year, month - 1, day);
    const shift = (weekday - new Date(start).getUTCDay() + 7) % 7;
    return isoDate(start + shift * DAY_MS);
  };
  on(1, 1, 'nyårsdagen');
  on(1, 6, 'trettondedag jul');
  fromEaster(-2, 'långfredagen');
  fromEaster(0, 'påskdagen');
  fromEaster(1, 'annandag påsk');
  on(5, 1, 'första maj');
  fromEaster(39, 'Kristi himmelsfärdsdag');
  fromEaster(49, 'pingstdagen');
  on(6, 6, 'Sveriges nationaldag');
  days.set(firstWeekdayFrom(6, 19, 5), 'midsommarafton');
  days.set(firstWeekdayFrom(6, 20, 6), 'midsommardagen');
  days.set(firstWeekdayFrom(10, 31, 6), 'alla helgons dag');
  on(12, 24, 'julafton');
  on(12, 25, 'juldagen');
  on(12, 26, 'annandag jul');
  on(12, 31, 'nyårsafton');
  return days;
}

const holidayCache = new Map<number, Map<string, string>>();
function holidayOn(date: string): string | null {
  const year = Number(date.slice(0, 4));
  let days = holidayCache.get(year);
  if (!days) holidayCache.set(year, (days = swedishHolidays(year)));
  return days.get(date) ?? null;
}

/** The next calendar date after a 'YYYY-MM-DD'. */
function nextDate(date: string): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
}

/** The hours on a local date (weekday 1 = Monday): a special date's, none on a holiday, a day before one's, else the week's. */
function hoursOn(hours: OpeningHours, date: string, weekday: number): Interval[] {
  const special = hours.special.get(date);
  if (special) return special;
  if (hours.swedishHolidays && holidayOn(date)) return [];
  const weekly = hours.weekly[weekday - 1];
  if (hours.swedishHolidays && hours.dayBeforeHoliday && weekly.length && holidayOn(nextDate(date))) return hours.dayBeforeHoliday;
  return weekly;
}

/** The opening intervals of a local date ('YYYY-MM-DD'), holidays and special dates applied. */
export function intervalsOn(hours: OpeningHours, date: string): Interval[] {
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return hoursOn(hours, date, weekday);
}

/** The local date after a 'YYYY-MM-DD'. */
export function dateAfter(date: string): string {
  return nextDate(date);
}

export function isOpenAt(hours: OpeningHours, ms: number): boolean {
  const t = wallClock(hours.timeZone, ms);
  return hoursOn(hours, t.date, t.weekday).some((i) => t.minute >= i.from && t.minute < i.to);
}
