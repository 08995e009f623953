/**
 * Every journey is added to rollups of three sizes: its UTC hour, day and month. A query is cut
 * into whole months, then whole days, then the hours at the edges, so a year reads about 12 month
 * rollups + a few dozen day and hour rollups per dimension, where hourly rollups alone would need
 * 8 760: the cost of a query grows with the number of pieces, not with the calls or the span.
 *
 * The day and month rollups share the store's `hour` field (their first hour) and are told apart by
 * a prefix on the dimension: "call" (hour), "d/call" (day), "m/call" (month).
 */
export type Grain = 'hour' | 'day' | 'month';

export const GRAINS: readonly Grain[] = ['hour', 'day', 'month'];

export const GRAIN_PREFIX: Record<Grain, string> = { hour: '', day: 'd/', month: 'm/' };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

export function ceilHour(ms: number): number {
  return Math.ceil(ms / HOUR) * HOUR;
}

/** Start of the grain (UTC) that holds this instant. */
export function grainStart(grain: Grain, ms: number): number {
  if (grain === 'hour') return floorHour(ms);
  if (grain === 'day') return Math.floor(ms / DAY) * DAY;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The grain a rollup's dimension belongs to, from its prefix (no dimension name starts with "d/" or "m/"). */
export function grainOfDim(dim: string): Grain {
  if (dim.startsWith(GRAIN_PREFIX.day)) return 'day';
  if (dim.startsWith(GRAIN_PREFIX.month)) return 'month';
  return 'hour';
}

/** End (exclusive, UTC) of the grain that starts at `start`. */
export function grainEnd(grain: Grain, start: number): number {
  if (grain === 'hour') return start + HOUR;
  if (grain === 'day') return start + DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function ceilDay(ms: number): number {
  return Math.ceil(ms / DAY) * DAY;
}

function ceilMonth(ms: number): number {
  const start = grainStart('month', ms);
  if (start === ms) return ms;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** A part of a query range answered by rollups of one grain: [from, to) in epoch ms. */
export interface RangePiece {
  grain: Grain;
  from: number;
  to: number;
}

/**
 * Cuts [from, to) (whole hours) into the fewest pieces: at most one run of months, two runs of days
 * and two runs of hours. The pieces cover the range exactly and do not overlap.
 */
export function planRange(from: number, to: number): RangePiece[] {
  if (from % HOUR || to % HOUR) throw new RangeError('planRange takes whole hours');
  if (to <= from) return [];
  const dayFrom = ceilDay(from);
  const dayTo = grainStart('day', to);
  if (dayFrom >= dayTo) return [{ grain: 'hour', from, to }];
  const pieces: RangePiece[] = [];
  const push = (grain: Grain, a: number, b: number) => {
    if (a < b) pieces.push({ grain, from: a, to: b });
  };
  push('hour', from, dayFrom);
  const monthFrom = ceilMonth(dayFrom);
  const monthTo = grainStart('month', dayTo);
  if (monthFrom < monthTo) {
    push('day', dayFrom, monthFrom);
    push('month', monthFrom, monthTo);
    push('day', monthTo, dayTo);
  } else push('day', dayFrom, dayTo);
  push('hour', dayTo, to);
  return pieces;
}

/**
 * The name of one grain's rollups as a unit that changes together ("hour:2026-03-02T08:00:00.000Z",
 * "day:…", "month:…"), for the store's scope versions (see Store.rollupScopeVersions).
 */
export function rollupScopeKey(grain: Grain, start: number): string {
  return `${grain}:${new Date(grainStart(grain, start)).toISOString()}`;
}

/** The scopes whose rollups a change in these hours' rollups moves: each hour, its day and its month, once each. */
export function rollupScopesOfHours(hours: Iterable<string>): string[] {
  const scopes = new Set<string>();
  for (const hour of hours) {
    const ms = Date.parse(hour);
    for (const g of GRAINS) scopes.add(rollupScopeKey(g, ms));
  }
  return [...scopes];
}
