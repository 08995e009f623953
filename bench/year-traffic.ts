import type { CallEvent } from '../src/journey/events';
import { localTimeIn } from '../src/metrics/local-time';
import { newSid } from '../src/sim/virtual-caller';
import { captureCaller, withCaptureService } from './capture-service';
import { pickWeighted, seededRandom } from './random';
import { randomScript } from './year-scripts';

/** The events of one call played through the real flow, with times relative to its start. */
export interface EventTemplate {
  events: CallEvent[];
  tookFallback: boolean;
}

/**
 * Plays `count` calls drawn from the caller model through a real in-process callpath (engine,
 * webhooks, outbox, ingestion) and keeps each call's stored events as a template.
 */
export async function captureEventTemplates(flowsDir: string, count: number, seed: number): Promise<EventTemplate[]> {
  const rand = seededRandom(seed);
  return withCaptureService(flowsDir, async ({ service, clock, port }) => {
    const caller = captureCaller({ clock }, port);
    const out: EventTemplate[] = [];
    for (let i = 0; i < count; i++) {
      const callSid = newSid('CA');
      const trace = await caller.call(randomScript(rand), callSid);
      if (trace.ending === 'error') throw new Error(`synthetic call failed: ${trace.error}`);
      await service.outbox.flush();
      const events = await service.store.eventsForCall(callSid);
      const t0 = events[0]?.at ?? 0;
      out.push({ events: events.map((e) => ({ ...e, at: e.at - t0 })), tookFallback: events.some((e) => e.type === 'fallback.taken') });
      clock.advance(60_000);
    }
    return out;
  });
}

const HOUR = 3_600_000;

/** Relative call volume by local hour of day, weekday (Monday = 1) and month (January = 0). */
const BY_HOUR = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.3, 1.0, 1.3, 1.25, 1.0, 0.6, 1.1, 1.0, 0.8, 0.35, 0.08, 0.06, 0.04, 0.02, 0.02, 0.01, 0.01];
const BY_WEEKDAY = [0, 1.25, 1.1, 1.0, 1.0, 0.85, 0.04, 0.03];
const BY_MONTH = [1.05, 1.0, 1.0, 1.0, 1.0, 0.85, 0.45, 0.9, 1.05, 1.0, 1.0, 0.8];
/** Public holidays with fixed dates (month-day): the switchboard is nearly silent. */
const HOLIDAYS = new Set(['01-01', '01-06', '05-01', '06-06', '12-24', '12-25', '12-26', '12-31']);

/**
 * How many of `total` calls start in each UTC hour of the year [from, from + 1 year): weighted by
 * local hour, weekday, season and holidays, rounded so the hours add up to exactly `total`.
 */
export function callsPerHour(year: number, total: number, timeZone: string): { from: number; counts: number[] } {
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const local = localTimeIn(timeZone);
  const weights: number[] = [];
  for (let t = from; t < to; t += HOUR) {
    const { hour, weekday } = local(t);
    const d = new Date(t);
    const md = `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    weights.push(BY_HOUR[hour] * BY_WEEKDAY[weekday] * BY_MONTH[d.getUTCMonth()] * (HOLIDAYS.has(md) ? 0.05 : 1));
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; missing > 0; k++, missing--) counts[byRemainder[k][1]]++;
  return { from, counts };
}

/** SKR scale answers 1–5; a call that went through a fallback is rated lower, as the domain expects. */
const BEMOTANDE = { plain: { '5': 60, '4': 25, '3': 8, '2': 3, '1': 4 }, fallback: { '5': 42, '4': 30, '3': 14, '2': 7, '1': 7 } };
const ENKELHET = { plain: { '5': 50, '4': 26, '3': 12, '2': 6, '1': 6 }, fallback: { '5': 24, '4': 26, '3': 20, '2': 15, '1': 15 } };

/**
 * The year's calls in the order they start: each a template's events moved to its start time, with
 * its own CallSid, event ids, caller pseudonym (three in ten calls come from a pool of repeat
 * callers) and survey answers.
 */
export function* syntheticYear(templates: EventTemplate[], opts: { year: number; calls: number; timeZone: string; seed: number }): Generator<CallEvent[]> {
  const rand = seededRandom(opts.seed);
  const { from, counts } = callsPerHour(opts.year, opts.calls, opts.timeZone);
  let n = 0;
  for (let h = 0; h < counts.length; h++) {
    const starts = Array.from({ length: counts[h] }, () => from + h * HOUR + Math.floor(rand() * HOUR)).sort((a, b) => a - b);
    for (const start of starts) {
      const t = templates[Math.floor(rand() * templates.length)];
      const callSid = 'CA' + (0xb0000000 + n).toString(16).padStart(32, '0');
      const callerNo = rand() < 0.3 ? Math.floor(rand() * 50_000) : 1_000_000 + n;
      const caller = `bench:${callerNo.toString(16).padStart(32, '0')}`;
      const kind = t.tookFallback ? 'fallback' : 'plain';
      const bemotande = Number(pickWeighted(rand, BEMOTANDE[kind]));
      const enkelhet = Number(pickWeighted(rand, ENKELHET[kind]));
      const prefix = n.toString(36);
      yield t.events.map((e) => {
        const c = { ...e, id: `${prefix}.${e.id}`, callSid, at: start + e.at } as CallEvent;
        if (c.type === 'call.started') c.caller = caller;
        else if (c.type === 'survey.answer' && c.question === 'bemotande') c.value = bemotande;
        else if (c.type === 'survey.answer' && c.question === 'enkelhet') c.value = enkelhet;
        return c;
      });
      n++;
    }
  }
}
