import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/schema';
import type { CallerScript } from '../../src/sim/virtual-caller';
import { takenAfter, type Harness } from '../helpers/harness';
import { seededRandom } from '../../src/sim/random';


/**
 * The demo flow after a change like Kristinehamn's: when the person sought does not answer, the
 * caller goes straight to the operator instead of a menu of choices.
 */
export function directToOperatorVersion(): Flow {
  const file = path.join(__dirname, '../../ivr-flows/vaxel.yaml');
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  doc.nodes.person.onNoAnswer = { next: 'operator', say: { 'sv-SE': 'Den du söker svarar inte. Du kopplas till växeln.', 'en-GB': 'Nobody is answering. Connecting you to the switchboard.' } };
  doc.nodes.person.onBusy = 'operator';
  return parseFlow(YAML.stringify(doc), 'vaxel.yaml');
}

type Pick = (r: () => number) => CallerScript;

const score = (r: () => number, good: number) => String(Math.max(1, Math.min(5, Math.round(good + (r() - 0.5) * 2.4))));
const survey = (r: () => number, good: number): string[] => (r() < 0.7 ? [score(r, good), score(r, good - 0.6), r() < 0.8 ? '1' : '2'] : []);

/** Kinds of call a municipal switchboard gets, with their rough weights. */
const KINDS: [number, Pick][] = [
  // The operator is a queue: an operator takes the caller after the wait, or the caller gives up.
  [22, (r) => ({ digits: ['0'], queue: takenAfter(4 + r() * 50), survey: survey(r, 4.6) })],
  [18, (r) => ({ digits: [String(1 + Math.floor(r() * 4))], dials: [{ answer: true, ringMs: 3000 + r() * 15_000 }], survey: survey(r, 4.3) })],
  [10, (r) => ({ digits: [String(1 + Math.floor(r() * 4))], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(5 + r() * 40), survey: survey(r, 3.4) })],
  [12, (r) => ({ digits: ['5', String(4711 + Math.floor(r() * 4))], dials: [{ answer: true, ringMs: 2000 + r() * 12_000 }], survey: survey(r, 4.4) })],
  [14, (r) => ({ digits: ['5', String(4711 + Math.floor(r() * 4)), '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(5 + r() * 45), survey: survey(r, 3.2) })],
  [5, (r) => ({ digits: ['5', String(4711 + Math.floor(r() * 4)), '2', '0'], dials: [{ answer: false, status: 'busy', ringMs: 1000 }], queue: takenAfter(8 + r() * 30), survey: survey(r, 3.0) })],
  // Hangs up in the menu after the person's no-answer; after the flow change the queue takes them straight away.
  [6, (r) => ({ digits: ['5', String(4711 + Math.floor(r() * 4))], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(10 + r() * 30) })],
  [5, () => ({ digits: [] })],
  [4, (r) => ({ digits: ['0'], queue: { hangUpAfterSec: Math.round(20 + r() * 60) } })],
  [4, (r) => ({ digits: ['7', '0'], queue: takenAfter(6 + r() * 20), survey: survey(r, 4.0) })],
];
const TOTAL = KINDS.reduce((s, [w]) => s + w, 0);

export function randomScript(r: () => number): CallerScript {
  let x = r() * TOTAL;
  for (const [w, pick] of KINDS) {
    if ((x -= w) < 0) return pick(r);
  }
  return KINDS[0][1](r);
}

export interface SeedOptions {
  /** Local dates (YYYY-MM-DD) and how many calls each. */
  days: { date: string; calls: number }[];
  /** The flow version in service is switched before this date. */
  switchVersionOn?: string;
  seed?: number;
  /**
   * On this date, after its other calls, `calls` callers press 0 and no operator takes them: the
   * queue keeps them for its longest wait (300 s), says goodbye and hangs up (the demo's callers
   * nobody helped). No random draws, so the other calls stay as without it.
   */
  operatorAway?: { date: string; calls: number };
}

/**
 * Calls through the real webhooks on the given days (office hours, Swedish winter time), the
 * flow changed part-way, then everything delivered to the store.
 */
export async function seedCalls(h: Harness, opts: SeedOptions): Promise<{ calls: number }> {
  const r = seededRandom(opts.seed ?? 42);
  let calls = 0;
  let lastEnd = -Infinity;
  for (const { date, calls: n } of opts.days) {
    if (opts.switchVersionOn && date >= opts.switchVersionOn && h.service.registry.get('vaxel')?.version !== directToOperatorVersion().version) {
      h.service.registry.replace([directToOperatorVersion()]);
    }
    const open = Date.parse(`${date}T07:00:00Z`);
    for (let i = 0; i < n; i++) {
      // Spread over 08:00–16:00 local; each call starts after the previous one's clock.
      h.clock.set(Math.max(lastEnd + 1000, open + Math.floor((i / n) * 8 * 3_600_000 + r() * 600_000)));
      await h.caller.call(randomScript(r));
      lastEnd = h.clock.now();
      calls++;
    }
    if (opts.operatorAway?.date === date) {
      for (let i = 0; i < opts.operatorAway.calls; i++) {
        h.clock.set(lastEnd + 60_000);
        await h.caller.call({ digits: ['0'] });
        lastEnd = h.clock.now();
        calls++;
      }
    }
  }
  await h.settle();
  return { calls };
}

/** Weekdays from `from` up to (not including) `to`, YYYY-MM-DD. */
export function weekdaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); d.toISOString().slice(0, 10) < to; d.setUTCDate(d.getUTCDate() + 1)) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}
