import { bucketValue, type Histogram } from '../metrics/histogram';

/**
 * Pure helpers behind the dashboard's chart routes: display bins from a rollup histogram, and the
 * municipality's calendar weeks as UTC instants.
 */

export interface Bin {
  /** Inclusive lower bound, ms. */
  fromMs: number;
  /** Exclusive upper bound, ms; null for the last, open bin. */
  toMs: number | null;
  count: number;
}

/** Bins people read at a glance: quarter-minutes first, then minutes. */
export const WAIT_BIN_EDGES_MS = [0, 15_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 300_000];

/**
 * Re-bins a log-linear histogram into display bins. Each stored bucket goes to the bin holding the
 * value the bucket reports (its midpoint), so a count lands at most one stored bucket width (≤ 1/32 of
 * the value) from where the exact value would put it.
 */
export function displayBins(h: Histogram, edges: readonly number[] = WAIT_BIN_EDGES_MS): Bin[] {
  const bins: Bin[] = edges.map((fromMs, i) => ({ fromMs, toMs: edges[i + 1] ?? null, count: 0 }));
  for (const [lower, n] of h.buckets) {
    const v = bucketValue(lower);
    let i = bins.length - 1;
    while (i > 0 && v < bins[i].fromMs) i--;
    bins[i].count += n;
  }
  return bins;
}

/** The offset of a time zone from UTC at an instant, ms (Stockholm: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a local date (YYYY-MM-DD) starts in a time zone. */
export function localMidnight(date: string, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // Across a DST change the offset at midnight can differ from the one at the guess.
  return guess - zoneOffsetMs(first, timeZone);
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** ISO 8601 week number and its year, of a local date. */
export function isoWeek(date: string): { year: number; week: number } {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

export interface WeekRange {
  /** "2026-W05" */
  label: string;
  year: number;
  week: number;
  /** UTC instants of local Monday 00:00 and the next Monday 00:00, cut to the requested range. */
  from: number;
  to: number;
  /** Local calendar days of the week inside the range (7 for a whole week). */
  days: number;
  /** The range holds only part of the week: its figures are not a whole week's. */
  partial: boolean;
}

/** The local calendar weeks (Monday first) that overlap [from, to), each cut to the range. */
export function weeksIn(from: number, to: number, timeZone: string): WeekRange[] {
  const out: WeekRange[] = [];
  const firstDay = localDate(from, timeZone);
  const weekday = (new Date(`${firstDay}T12:00:00Z`).getUTCDay() + 6) % 7;
  let monday = addDays(firstDay, -weekday);
  for (let guard = 0; guard < 600; guard++) {
    const start = localMidnight(monday, timeZone);
    if (start >= to) break;
    const next = addDays(monday, 7);
    const end = localMidnight(next, timeZone);
    const { year, week } = isoWeek(monday);
    const cutFrom = Math.max(start, from);
    const cutTo = Math.min(end, to);
    // Local days are 23–25 h long across a DST change: rounding counts them.
    const days = Math.round((cutTo - cutFrom) / 86_400_000);
    out.push({ label: `${year}-W${String(week).padStart(2, '0')}`, year, week, from: cutFrom, to: cutTo, days, partial: days < 7 });
    monday = next;
  }
  return out;
}
