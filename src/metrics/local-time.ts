/**
 * The municipality's wall clock. Residents call by local time, so hour-of-day and weekday views use
 * the configured time zone (Europe/Stockholm by default), while rollups stay keyed by UTC hours.
 */
export interface LocalTime {
  /** 0–23 */
  hour: number;
  /** 1 = Monday … 7 = Sunday (ISO 8601) */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Swedish weekday names, Monday first, as the dashboard shows them. */
export const WEEKDAY_NAMES = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

/** Throws a RangeError for a zone the runtime does not know, so configuration fails at start-up. */
export function localTimeIn(timeZone: string): (ms: number) => LocalTime {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
  return (ms) => {
    let hour = 0;
    let weekday = 1;
    for (const p of fmt.formatToParts(ms)) {
      if (p.type === 'hour') hour = Number(p.value) % 24;
      else if (p.type === 'weekday') weekday = WEEKDAYS[p.value] ?? 1;
    }
    return { hour, weekday };
  };
}

/** An instant on the wall clock: its local date, weekday and minute of the day (opening hours). */
export interface WallClock {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 1 = Monday … 7 = Sunday (ISO 8601) */
  weekday: number;
  /** 0–1439 */
  minute: number;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone the runtime does not know. */
export function wallClock(timeZone: string, ms: number): WallClock {
  let fmt = wallClockFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', hourCycle: 'h23', weekday: 'short' });
    wallClockFormats.set(timeZone, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAYS[p.weekday] ?? 1, minute: (Number(p.hour) % 24) * 60 + Number(p.minute) };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    localTimeIn(timeZone);
    return true;
  } catch {
    return false;
  }
}
