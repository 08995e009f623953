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

export function isValidTimeZone(timeZone: string): boolean {
  try {
    localTimeIn(timeZone);
    return true;
  } catch {
    return false;
  }
}
