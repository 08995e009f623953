import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../clock';
import type { Config } from '../config';
import { loadFlowDir } from '../flow/loader';
import { FlowRegistry } from '../flow/registry';
import { archiveFlows } from '../flow/replay/archive';
import type { Logger } from '../log';
import { localTimeIn } from '../metrics/local-time';
import { createService, type Service } from '../service';
import type { Store } from '../store/store';
import { noAnswerToOperator } from './flow-change';
import { VirtualCaller, newSid, type CallerScript, type DialBehaviour, type FormPoster } from './virtual-caller';
import { seededRandom } from './random';
import { seededComment } from './seed-comments';
import { seededCallbackKeys, workThroughCallbacks } from './seed-callbacks';
import { QueueModel, type QueueVisit } from './queue-model';
import type { Flow } from '../flow/schema';
import type { PersonNotice } from '../flow/context';
import { currentDemoNotices, demoNoticeSchedule, demoNoticesForCalls } from './seed-notices';

/**
 * Demo traffic: thousands of calls over weeks, played through the real webhooks by virtual callers
 * against in-process services with manual clocks, so every event, journey and rollup comes from the
 * same path as a real call. Midway the flow changes: a person's no-answer goes straight to the
 * operator instead of a menu — the before/after the compare view is for.
 */


type Rand = () => number;
const between = (r: Rand, lo: number, hi: number) => lo + r() * (hi - lo);
const chance = (r: Rand, p: number) => r() < p;
function weighted<T>(r: Rand, options: [T, number][]): T {
  const total = options.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of options) if ((x -= w) < 0) return v;
  return options[options.length - 1][0];
}
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
/** Roughly normal noise (sum of uniforms), mean 0, sd ≈ sd. */
const noise = (r: Rand, sd: number) => (r() + r() + r() + r() - 2) * sd * 1.73;

/** Calls per local hour of a weekday, as a switchboard sees them: morning peak, lunch dip, quiet evenings. */
const HOUR_WEIGHT = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 4, 10, 12, 11, 9, 6, 9, 10, 8, 5, 2.5, 1.5, 1, 0.8, 0.6, 0.4, 0.3];
/** Monday is the busiest day; weekends see few calls. */
const WEEKDAY_WEIGHT = [0, 1.25, 1.05, 1, 0.95, 0.8, 0.12, 0.08];
const MAX_WEIGHT = Math.max(...HOUR_WEIGHT) * Math.max(...WEEKDAY_WEIGHT);

/** Start times spread by local hour and weekday (rejection sampling, exact across daylight saving). */
export function callTimes(r: Rand, n: number, from: number, to: number, timeZone: string): number[] {
  const local = localTimeIn(timeZone);
  const out: number[] = [];
  while (out.length < n) {
    const t = Math.floor(between(r, from, to));
    const { hour, weekday } = local(t);
    if (r() * MAX_WEIGHT < HOUR_WEIGHT[hour] * WEEKDAY_WEIGHT[weekday]) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

export interface PlannedCall {
  at: number;
  version: 'before' | 'after';
  script: CallerScript;
}

/** How busy the staff are at this local hour, 0–1: fewer answer in the morning peak. */
const busyness = (hour: number) => clamp((HOUR_WEIGHT[hour] - 4) / 8, 0, 1);

/** The demo's operator queue as a caller planned meets it: what happens to them there, and who takes them. */
export interface SeedQueue {
  /** The caller joins this long after their call began. */
  visit(joinAfterMs: number): QueueVisit;
  operators: { from: string; agentNumber: string }[];
}

/** One caller: what they want, how the people they call behave, and what they answer in the survey. */
export function planCaller(
  r: Rand,
  version: 'before' | 'after',
  localHour: number,
  extensions: string[],
  queue?: SeedQueue,
  /** Extensions whose person has a backup: the menu after no answer offers their colleague (key 3). */
  withBackup: ReadonlySet<string> = new Set(),
): CallerScript {
  const busy = busyness(localHour);
  const thinkMs = Math.round(between(r, 1200, 4500));
  const talk = () => Math.round(clamp(Math.exp(between(r, Math.log(25_000), Math.log(600_000))), 15_000, 900_000));
  const digits: string[] = [];
  const dials: DialBehaviour[] = [];
  /** Time the caller waits for someone beyond the plain menu: rings that failed, menus after a fallback. */
  let waitedMs = 0;
  let fellBack = false;
  let wrongKeys = 0;
  let reachedHuman = true;

  let queueBehaviour: CallerScript['queue'];
  const operator = (): void => {
    if (queue) {
      // Menus and rings before the queue take about this long; the queue model decides the rest.
      const v = queue.visit(waitedMs + 20_000);
      if (v.kind === 'answered') {
        const op = queue.operators[v.operator % queue.operators.length];
        queueBehaviour = { takenBy: { ...op, afterSec: v.waitSec, talkMs: talk() }, ahead: v.ahead };
        waitedMs += v.waitSec * 1000;
      } else if (v.kind === 'abandoned') {
        queueBehaviour = { hangUpAfterSec: v.afterSec, ahead: v.ahead };
        reachedHuman = false;
      } else {
        queueBehaviour = { ahead: v.ahead };
        reachedHuman = false;
      }
      return;
    }
    const ringMs = Math.round(between(r, 3000, 12_000 + 50_000 * busy));
    if (chance(r, 0.05 + 0.05 * busy)) {
      dials.push({ answer: false, status: 'caller-hangs-up', ringMs: Math.round(ringMs * 0.7) });
      reachedHuman = false;
    } else if (chance(r, 0.03 + 0.07 * busy)) {
      dials.push({ answer: false, status: 'no-answer' });
      waitedMs += 90_000;
      reachedHuman = false;
    } else dials.push({ answer: true, ringMs, talkMs: talk() });
    waitedMs += ringMs;
  };
  let sought = '';
  const person = (): boolean => {
    sought = extensions[Math.floor(r() * extensions.length)];
    digits.push(sought);
    if (chance(r, 0.55 - 0.2 * busy)) {
      const ringMs = Math.round(between(r, 3000, 15_000));
      dials.push({ answer: true, ringMs, talkMs: talk() });
      waitedMs += ringMs;
      return true;
    }
    dials.push({ answer: false, status: chance(r, 0.7) ? 'no-answer' : 'busy', ringMs: Math.round(between(r, 500, 3000)) });
    waitedMs += 20_000;
    fellBack = true;
    return false;
  };

  const intent = weighted(r, [
    ['department', 44],
    ['person', 31],
    ['operator', 15],
    ['fumble', 5],
    ['give-up', 3],
    ['english', 2],
  ] as const);

  if (intent === 'english') digits.push('9', '1');
  if (intent === 'fumble') {
    const trouble = weighted(r, [['7', 3], ['', 2], ['8', 1]]);
    digits.push(trouble);
    wrongKeys++;
    if (chance(r, 0.3)) {
      digits.push(trouble, trouble);
      wrongKeys += 2;
      operator(); // three failures: the menu gives up and sends the caller to the operator
      return finish();
    }
  }
  if (intent === 'give-up') {
    reachedHuman = false;
    return finish();
  }

  if (intent === 'operator') {
    digits.push('0');
    operator();
  } else if (intent === 'person' || (intent !== 'department' && chance(r, 0.4))) {
    digits.push('5');
    if (chance(r, 0.06)) {
      digits.push('4799'); // a wrong extension: asked again
      wrongKeys++;
    }
    if (!person()) {
      if (version === 'after') operator();
      else {
        // Offered a colleague (key 3), about half take it; the others choose as callers without one do.
        const offered = withBackup.has(sought);
        const choice = weighted(r, [
          ['colleague', offered ? 60 : 0],
          ['operator', 55],
          ['another', 12],
          ['main', 6],
          ['wrong-key', 10],
          ['silence', 5],
          ['hang-up', 12],
        ] as const);
        waitedMs += 9_000 + thinkMs; // the fallback menu is read out before the caller can choose
        if (choice === 'hang-up') {
          // Many who would hang up ask to be called back instead (drawn apart: the rest of the traffic stays as it was).
          const callback = seededCallbackKeys(`${digits.join(',')}|${waitedMs}|${thinkMs}`);
          if (callback) digits.push(...callback);
          reachedHuman = false;
        } else if (choice === 'colleague') {
          digits.push('3');
          // A colleague (or the group) answers about two times in three, sooner than the operator's queue; else on to the operator.
          if (chance(r, 0.68 - 0.15 * busy)) {
            const ringMs = Math.round(between(r, 3000, 14_000));
            dials.push({ answer: true, ringMs, talkMs: talk() });
            waitedMs += 4_000 + ringMs;
          } else {
            dials.push({ answer: false, status: 'no-answer', ringMs: Math.round(between(r, 500, 3000)) });
            waitedMs += 24_000;
            operator();
          }
        } else if (choice === 'operator') {
          digits.push('0');
          operator();
        } else if (choice === 'wrong-key') {
          digits.push('9', '0');
          wrongKeys++;
          waitedMs += 9_000 + thinkMs;
          operator();
        } else if (choice === 'silence') {
          digits.push('', '');
          waitedMs += 12_000;
          operator();
        } else if (choice === 'main') {
          digits.push('2', '0');
          waitedMs += 20_000 + thinkMs;
          operator();
        } else {
          digits.push('1');
          waitedMs += 4_000 + thinkMs;
          if (!person()) {
            digits.push('0');
            waitedMs += 9_000 + thinkMs;
            operator();
          }
        }
      }
    }
  } else {
    digits.push(weighted(r, [['1', 30], ['2', 25], ['3', 20], ['4', 25]]));
    const ringMs = Math.round(between(r, 3000, 20_000));
    if (chance(r, 0.72 - 0.22 * busy)) {
      dials.push({ answer: true, ringMs, talkMs: talk() });
      waitedMs += ringMs;
    } else if (chance(r, 0.08)) {
      dials.push({ answer: false, status: 'caller-hangs-up', ringMs });
      reachedHuman = false;
    } else {
      dials.push({ answer: false, status: 'no-answer' });
      waitedMs += 25_000;
      fellBack = true;
      operator();
    }
  }
  return finish();

  function finish(): CallerScript {
    const from = `+4670${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
    const script: CallerScript = { from, digits, dials, thinkMs, survey: [], ...(queueBehaviour ? { queue: queueBehaviour } : {}) };
    // Residents answer a survey on the line more often than an SMS one; unhappy ones a little less often.
    if (!reachedHuman || !chance(r, 0.42)) return script;
    const waitMin = waitedMs / 60_000;
    const enkelhet = clamp(Math.round(4.5 - (fellBack ? 0.9 : 0) - 0.55 * waitMin - 0.3 * wrongKeys + noise(r, 0.7)), 1, 5);
    const bemotande = clamp(Math.round(4.6 - (fellBack ? 0.35 : 0) - 0.15 * waitMin + noise(r, 0.6)), 1, 5);
    const resolved = chance(r, 0.86 - (fellBack ? 0.18 : 0) - 0.03 * waitMin);
    script.survey = chance(r, 0.93) ? [String(bemotande), String(enkelhet), resolved ? '1' : '2'] : [String(bemotande), String(enkelhet)];
    // Where the flow asks for a spoken comment: some say one, the rest hang up at the question.
    script.speech = seededComment(from, enkelhet, intent === 'english');
    return script;
  }
}

/** Operators on duty by local hour: two in the morning and afternoon, one over lunch (12–14) and at the edges of the day. */
function staffing(weekday: number, hour: number): number {
  if (weekday > 5 || hour < 7 || hour >= 17) return 0;
  if (hour === 7 || hour === 12 || hour === 13 || hour === 16) return 1;
  return 2;
}

/**
 * The demo flow's operator queue, with the rest of a municipality's switchboard traffic around the
 * played calls: about 20 callers an hour reach the operators at a Monday's morning peak, so queues
 * form at 9–10 and, with one operator at lunch, at 13–14.
 */
function demoQueue(flow: Flow, timeZone: string, r: Rand): { visit: (joinAt: number) => QueueVisit; operators: SeedQueue['operators'] } | null {
  const node = flow.operator ? flow.nodes[flow.operator.node] : undefined;
  if (node?.type !== 'queue') return null;
  const config = flow.queues[node.queue];
  const operators = Object.values(config.operators).map((o) => ({ from: o.number, agentNumber: config.agentNumber }));
  const model = new QueueModel(
    {
      timeZone,
      staffing,
      otherCallersPerHour: (weekday, hour) => (20 * HOUR_WEIGHT[hour] * WEEKDAY_WEIGHT[weekday]) / 12,
      handleMs: (rand) => Math.round(clamp(Math.exp(between(rand, Math.log(60_000), Math.log(360_000))), 40_000, 900_000) + 40_000),
      patienceSec: (rand) => clamp(-Math.log(1 - rand()) * 260, 2, 3600),
      maxWaitSec: node.maxWaitSeconds,
    },
    r,
    2,
  );
  return { visit: (joinAt) => model.visit(joinAt, clamp(-Math.log(1 - r()) * 260, 2, 3600)), operators };
}

export interface SeedOptions {
  /** The service configuration: flows, pseudonym keys, time zone. The store is passed separately. */
  config: Config;
  store: Store;
  log: Logger;
  calls?: number;
  days?: number;
  /** The traffic ends here (epoch ms); default: now. */
  end?: number;
  /** When the changed flow takes over, in days from the start; default: half way. */
  switchAfterDays?: number;
  flowId?: string;
  seed?: number;
  /** In-process services playing calls side by side. */
  lanes?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  calls: number;
  from: string;
  to: string;
  switchedAt: string;
  flowId: string;
  before: { version: string; calls: number };
  after: { version: string; calls: number };
  ms: number;
  callsPerSecond: number;
  /** Calls whose virtual caller saw an error (should be none). */
  errors: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

/** The lanes share the real store; only the seed closes it, never a lane's service. */
function unclosable(store: Store): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'close') return async () => {};
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Form POSTs over a keep-alive node:http agent: real HTTP at half the CPU of fetch. */
function keepAlivePoster(agent: http.Agent): FormPoster {
  return (url, headers, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

interface Lane {
  service: Service;
  clock: ManualClock;
  caller: VirtualCaller;
  agent: http.Agent;
  dir: string;
}

async function startLane(opts: SeedOptions, registry: FlowRegistry, store: Store, noticeOf: (number: string, now: number) => PersonNotice | null): Promise<Lane> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-seed-'));
  const authToken = randomBytes(16).toString('hex');
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const config: Config = { ...opts.config, port, host: '127.0.0.1', publicBaseUrl, twilioAuthToken: authToken, validateSignatures: true, dataDir: dir, retentionDays: 3650 };
  const clock = new ManualClock();
  const service = await createService(config, opts.log, { clock, store, registry, noticeOf });
  await service.listen(port, '127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const caller = new VirtualCaller({ authToken, publicBaseUrl, post: keepAlivePoster(agent), clock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) } });
  return { service, clock, caller, agent, dir };
}

/** Plays the planned calls on the lanes, each lane one call at a time, in start order. */
async function play(lanes: Lane[], calls: PlannedCall[], onDone: () => void): Promise<number> {
  let next = 0;
  let errors = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < calls.length) {
        const call = calls[next++];
        lane.clock.set(call.at);
        const trace = await lane.caller.call(call.script, newSid('CA'));
        if (trace.ending === 'error') errors++;
        onDone();
      }
    }),
  );
  return errors;
}

/**
 * Seeds the store with demo traffic. Calls before the switch run on the flow as loaded; after it on
 * the changed flow, so the registry (and the rollups) hold both versions. Both are kept in the store
 * as a published version is (the first as served from the start of the period, the changed one from
 * the switch), so the version picker lists them after a restart and flow:replay knows every call's.
 */
export async function seedTraffic(opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const total = opts.calls ?? 3000;
  const days = opts.days ?? 42;
  const end = opts.end ?? Date.now();
  const from = end - days * 86_400_000;
  const switchAt = from + (opts.switchAfterDays ?? days / 2) * 86_400_000;
  const flowId = opts.flowId ?? 'vaxel';
  const r = seededRandom(opts.seed ?? 1);

  const registry = new FlowRegistry(loadFlowDir(opts.config.flowsDir), opts.config.defaultFlow);
  const before = registry.get(flowId);
  if (!before) throw new Error(`no flow "${flowId}" in ${opts.config.flowsDir}`);
  const after = noAnswerToOperator(before);
  const extensions = Object.keys(before.directory);
  const withBackup = new Set(extensions.filter((ext) => before.directory[ext].backup !== undefined));
  if (!extensions.length) throw new Error(`flow ${flowId} has no directory to call people in`);

  const local = localTimeIn(opts.config.timeZone);
  const to = before.numbers[0];
  const queue = demoQueue(before, opts.config.timeZone, r);
  const plan: PlannedCall[] = callTimes(r, total, from, end, opts.config.timeZone).map((at) => {
    const version = at < switchAt ? 'before' : 'after';
    const script = planCaller(r, version, local(at).hour, extensions, queue ? { visit: (after) => queue.visit(at + after), operators: queue.operators } : undefined, withBackup);
    return { at, version, script: { ...script, to } };
  });

  // Before the lanes start: each archives the flows it serves with today's date, and a version once kept keeps its first date.
  await archiveFlows(opts.store, [before], new Date(from));
  await archiveFlows(opts.store, [after], new Date(switchAt));
  const store = unclosable(opts.store);
  // Notices as reception would have set them over the period: a week's leave in its middle third.
  const schedule = demoNoticeSchedule(before, opts.config.timeZone, { from: from + Math.floor(days / 3) * 86_400_000, to: from + (Math.floor(days / 3) + 7) * 86_400_000 });
  const noticeOf = demoNoticesForCalls(schedule, opts.config.timeZone);
  const lanes = await Promise.all(Array.from({ length: Math.max(1, opts.lanes ?? 2) }, () => startLane(opts, registry, store, noticeOf)));
  let done = 0;
  let errors = 0;
  const progress = () => opts.onProgress?.(++done, total);
  try {
    errors += await play(lanes, plan.filter((c) => c.version === 'before'), progress);
    // The admin puts the changed flow in service; calls from now on start on it.
    registry.replace(registry.list().map((f) => (f.id === flowId ? after : f)));
    errors += await play(lanes, plan.filter((c) => c.version === 'after'), progress);
  } finally {
    for (const lane of lanes) {
      lane.agent.destroy();
      await lane.service.stop();
      fs.rmSync(lane.dir, { recursive: true, force: true });
    }
  }
  // And some now, so the demo's notice list and its next calls show them.
  for (const n of currentDemoNotices(before, opts.config.timeZone, end)) await opts.store.putNotice(n);
  // Reception has called most of the callers back who asked for it.
  await workThroughCallbacks(opts.store, end);
  const ms = Date.now() - started;
  const count = (v: PlannedCall['version']) => plan.filter((c) => c.version === v).length;
  return {
    calls: plan.length,
    from: new Date(from).toISOString(),
    to: new Date(end).toISOString(),
    switchedAt: new Date(switchAt).toISOString(),
    flowId,
    before: { version: before.version, calls: count('before') },
    after: { version: after.version, calls: count('after') },
    ms,
    callsPerSecond: Math.round((plan.length / ms) * 1000),
    errors,
  };
}

