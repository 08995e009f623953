import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, captureCalls, type CallTemplate } from './capture-calls';
import { CallStream } from './call-stream';
import type { LoadResult, LoadSpec } from './load-generator';
import { cpuBetween, cpuSample, rssMiB } from './machine';
import { freePort, runPinned, sleep, spawnPinned, stopProcess, waitForHttp } from './processes';
import { SERVICE_NODE_FLAGS } from '../src/node-flags';

export interface WebhookBenchOptions {
  repoRoot: string;
  distBench: string;
  levels: number[];
  durationSec: number;
  mongo: boolean;
  /** Pin the server to core 0 and the load generator to core 1. */
  pin: boolean;
  /** Write a V8 CPU profile of each callpath server run to this folder. */
  profileDir: string | null;
  log: (line: string) => void;
}

export interface LevelResult extends LoadResult {
  /** callpath's throughput over bare Node's at the same concurrency. */
  ratioToBare: number | null;
  rssMiB: number | null;
  /** Events written by webhooks but not yet in the store when the level ended. */
  outboxPending: number | null;
  /** The server's CPU use (% of one core) and its main thread's wait for a CPU taken by other processes (%). */
  serverCpuPct: number | null;
  serverWaitPct: number | null;
}

export interface TargetResult {
  target: 'bare-node' | 'callpath-embedded' | 'callpath-mongo';
  levels: LevelResult[];
  /**
   * Open loop (arrivals at a fixed rate, up to 200 sockets): 200 calls in progress at the pace real
   * calls make webhooks; for callpath, half and three quarters of its own closed-loop throughput at
   * 200 connections (what it sustains); then the goal's throughput (40 % of bare Node's at 200
   * connections).
   */
  open: LevelResult[];
  /** After the load: time until every event was in the store, how many were stored, RSS then. */
  drain: { ms: number; complete: boolean; eventsStored: number; eventsPending: number; storedPerSec: number; rssMiB: number | null; peakRssMiB: number | null } | null;
  note?: string;
}

export interface WebhookResults {
  callMix: { name: string; weight: number; webhooks: number; durationSec: number }[];
  webhooksPerCall: number;
  /** Mean simulated call length (prompts, thinking, ringing, talking). */
  callDurationSec: number;
  /** Webhooks per second that GOAL_LEVEL calls in progress make at that pace. */
  realPaceRate: number;
  signingMicrosPerRequest: number;
  levels: number[];
  durationSec: number;
  pinned: boolean;
  targets: TargetResult[];
  goal: GoalVerdict[];
}

export interface GoalVerdict {
  store: string;
  /** Throughput at 200 connections, closed loop, over bare Node's. */
  ratio: number | null;
  /**
   * Bare Node's CPU per request over callpath's at 200 connections: the throughput ratio two servers
   * would have on a core each saturates, whichever side limited the rates measured. Shown, not judged.
   */
  cpuRatio: number | null;
  /** p99 at 200 connections, closed loop (saturated): shown, not judged (see the README on Little's law). */
  p99Saturated: number | null;
  /** p99 with 200 calls in progress at real call pace (open loop). */
  p99RealPace: number | null;
  /** Requests per second that are 40 % of bare Node's at 200 connections, sent open loop. */
  goalRate: number | null;
  /** p99 with requests arriving at the goal rate (open loop, up to 200 sockets). */
  p99AtGoalRate: number | null;
  /** Bare Node's own p99s: what saturation, and the generator at that rate, cost any server. */
  bareP99Saturated: number | null;
  bareP99AtGoalRate: number | null;
  met: boolean;
  why: string;
}

const SERVICE_ENV = {
  HOST: '127.0.0.1',
  PUBLIC_BASE_URL: BENCH_PUBLIC_URL,
  TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
  API_TOKEN: 'bench-api-token-0123456789',
  PSEUDONYM_KEYS: 'bench:bench-pseudonym-secret-0123456789',
  LOG_LEVEL: 'warn',
};

/** Webhooks per second of load signed in advance: above what bare Node reaches on one core here. */
const PREFILL_PER_SECOND = 20_000;
const GOAL_LEVEL = 200;
const GOAL_RATIO = 0.4;
/**
 * Open-loop rates, as shares of a target's own closed-loop throughput at 200 connections, that show
 * what it sustains. The closed loop flatters ingestion at few connections: 10 connections are 10
 * calls, each sending webhooks as fast as they are answered, so one delivery projects a call once for
 * a dozen of its webhooks. At a fixed rate over 200 calls nearly every webhook is projected on its
 * own, as with real calls, and unlike at saturation ingestion must keep up or the outbox grows.
 */
const SUSTAINED_SHARES = [0.5, 0.75];
const GOAL_P99_MS = 20;

/**
 * Webhook throughput and latency: bare Node's fixed-TwiML server, then callpath on the embedded store
 * and on the Mongo-compatible server, each in its own process on core 0, driven from core 1 by
 * autocannon replaying realistic signed calls with fresh CallSids.
 */
export async function runWebhookBench(o: WebhookBenchOptions): Promise<WebhookResults> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-webhook-'));
  const flowsDir = path.join(o.repoRoot, 'ivr-flows');
  o.log('capturing the call mix through the real flow …');
  const templates = await captureCalls(flowsDir);
  const templatesFile = path.join(work, 'templates.json');
  fs.writeFileSync(templatesFile, JSON.stringify(templates));
  const totalWeight = templates.reduce((s, t) => s + t.weight, 0);
  const webhooksPerCall = templates.reduce((s, t) => s + t.weight * t.requests.length, 0) / totalWeight;
  const callDurationSec = templates.reduce((s, t) => s + t.weight * t.durationMs, 0) / totalWeight / 1000;
  const realPaceRate = Math.max(1, Math.round((GOAL_LEVEL * webhooksPerCall) / callDurationSec));
  const signing = signingCost(templates);
  o.log(
    `${templates.length} call types, ${webhooksPerCall.toFixed(1)} webhooks per call lasting ${callDurationSec.toFixed(0)} s on average ` +
      `(${GOAL_LEVEL} calls in progress make ${realPaceRate} webhooks/s); signing costs the generator ${signing.toFixed(1)} µs per request`,
  );

  const serverCore = o.pin ? 0 : null;
  const loadCore = o.pin ? 1 : null;
  let seed = 0;
  const load = async (port: number, connections: number, durationSec: number, openRate?: number, fixedRequest = false): Promise<LoadResult> => {
    const spec: LoadSpec = {
      url: `http://127.0.0.1:${port}`,
      templatesFile,
      connections,
      durationSec,
      openRate,
      authToken: BENCH_AUTH_TOKEN,
      publicBaseUrl: BENCH_PUBLIC_URL,
      seed: (seed += 10_000_000),
      prefill: fixedRequest ? 1 : (openRate ?? PREFILL_PER_SECOND) * durationSec,
      fixedRequest,
    };
    const out = await runPinned(loadCore, process.execPath, [path.join(o.distBench, 'load-generator.js'), JSON.stringify(spec)]);
    return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
  };

  const targets: TargetResult[] = [];
  let bare: TargetResult | null = null;
  // Requests per second the goal asks for; known once bare Node has been measured (it runs first).
  let goalRate: number | null = null;
  let ferret: { runDir: string } | null = null;
  try {
    bare = await measureTarget('bare-node', null);
    targets.push(bare);
    const bareSaturated = bare.levels.find((l) => l.connections === GOAL_LEVEL);
    if (bareSaturated) goalRate = Math.round(bareSaturated.reqPerSec * GOAL_RATIO);
    targets.push(await measureTarget('callpath-embedded', { STORE: 'embedded' }));
    if (o.mongo) {
      let uri: string | null = null;
      try {
        const runDir = path.join(work, 'ferretdb');
        const port = await freePort();
        // FerretDB shares the load generator's core: the server under test keeps core 0 to itself.
        uri = (await runPinned(loadCore, 'bash', [path.join(o.repoRoot, 'scripts/ferretdb.sh'), 'start', String(port)], { env: { ...process.env, FERRETDB_RUN_DIR: runDir } })).trim();
        ferret = { runDir };
      } catch (err) {
        o.log(`FerretDB could not be started, skipping the Mongo run: ${(err as Error).message}`);
        targets.push({ target: 'callpath-mongo', levels: [], open: [], drain: null, note: `not run: FerretDB did not start (${(err as Error).message.split('\n')[0]})` });
      }
      if (uri) {
        const t = await measureTarget('callpath-mongo', { STORE: 'mongo', MONGODB_URI: uri });
        t.note = 'FerretDB 1.24 on SQLite, sharing the load generator\'s core; a real MongoDB is much faster';
        targets.push(t);
      }
    }
  } finally {
    if (ferret) await runPinned(null, 'bash', [path.join(o.repoRoot, 'scripts/ferretdb.sh'), 'stop'], { env: { ...process.env, FERRETDB_RUN_DIR: ferret.runDir } }).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }

  const bareAt = bare?.levels.find((l) => l.connections === GOAL_LEVEL) ?? null;
  const bareAtGoalRate = bare?.open.find((l) => l.openRate === goalRate) ?? null;
  const goal = targets
    .filter((t) => t.target !== 'bare-node' && t.levels.length)
    .map((t): GoalVerdict => {
      const at = t.levels.find((l) => l.connections === GOAL_LEVEL) ?? null;
      const paced = t.open.find((l) => l.openRate === realPaceRate) ?? null;
      const atGoalRate = goalRate === null ? null : (t.open.find((l) => l.openRate === goalRate) ?? null);
      const verdict: GoalVerdict = {
        store: t.target,
        ratio: at?.ratioToBare ?? null,
        cpuRatio: null,
        p99Saturated: at?.latencyMs.p99 ?? null,
        p99RealPace: paced?.latencyMs.p99 ?? null,
        goalRate,
        p99AtGoalRate: atGoalRate?.latencyMs.p99 ?? null,
        bareP99Saturated: bareAt?.latencyMs.p99 ?? null,
        bareP99AtGoalRate: bareAtGoalRate?.latencyMs.p99 ?? null,
        met: false,
        why: '',
      };
      if (!at) return { ...verdict, why: `concurrency ${GOAL_LEVEL} was not measured` };
      const ownCpu = cpuMicrosPerRequest(at);
      const bareCpu = bareAt ? cpuMicrosPerRequest(bareAt) : null;
      verdict.cpuRatio = ownCpu && bareCpu ? round(bareCpu / ownCpu, 3) : null;
      const ratioOk = at.ratioToBare !== null && at.ratioToBare >= GOAL_RATIO;
      const pacedOk = !!paced && paced.latencyMs.p99 < GOAL_P99_MS;
      const goalRateOk = !!atGoalRate && atGoalRate.latencyMs.p99 < GOAL_P99_MS;
      const clean = [at, paced, atGoalRate].every((l) => !l || (l.errors === 0 && l.non2xx === 0));
      verdict.met = ratioOk && pacedOk && goalRateOk && clean;
      verdict.why = [
        `throughput at ${GOAL_LEVEL} connections ${pct(at.ratioToBare)} of bare Node (goal ≥ ${GOAL_RATIO * 100} %): ${ratioOk ? 'met' : 'NOT met'}`,
        `by CPU per request (not judged) ${pct(verdict.cpuRatio)}: bare Node ${bareCpu ?? 'n/a'} µs, callpath ${ownCpu ?? 'n/a'} µs`,
        paced
          ? `p99 with ${GOAL_LEVEL} calls in progress at real call pace (${realPaceRate} webhooks/s, open loop) ${paced.latencyMs.p99} ms (goal < ${GOAL_P99_MS} ms): ${pacedOk ? 'met' : 'NOT met'}`
          : 'real-pace run missing: NOT met',
        atGoalRate
          ? `p99 with webhooks arriving at the goal's throughput (${goalRate}/s, open loop, up to ${GOAL_LEVEL} sockets) ${atGoalRate.latencyMs.p99} ms (goal < ${GOAL_P99_MS} ms; bare Node at that rate ${bareAtGoalRate?.latencyMs.p99 ?? 'n/a'} ms` +
            (atGoalRate.sendLagMs ? `; the generator sent late by up to ${atGoalRate.sendLagMs.p99} ms at p99` : '') +
            (bareAtGoalRate?.sendLagMs && bareAtGoalRate.latencyMs.p99 >= GOAL_P99_MS ? `, and by ${bareAtGoalRate.sendLagMs.p99} ms against bare Node, so that rate is beyond the generator` : '') +
            `): ${goalRateOk ? 'met' : 'NOT met'}`
          : goalRate !== null && at.reqPerSec < goalRate
            ? `p99 with webhooks arriving at the goal's throughput (${goalRate}/s): not run, as that is above what callpath answers saturated (${at.reqPerSec}/s) and such arrivals queue without bound: NOT met`
            : 'run at the goal rate missing (bare Node not measured): NOT met',
        `p99 at ${GOAL_LEVEL} connections, saturated (closed loop, not judged: queueing alone makes it ≥ ${GOAL_LEVEL} ÷ throughput) ${at.latencyMs.p99} ms, bare Node ${bareAt?.latencyMs.p99 ?? 'n/a'} ms`,
        clean ? 'no errors' : 'errors or non-2xx answers: NOT clean',
      ].join('; ');
      return verdict;
    });

  return {
    callMix: templates.map((t) => ({ name: t.name, weight: t.weight, webhooks: t.requests.length, durationSec: Math.round(t.durationMs / 1000) })),
    webhooksPerCall: round(webhooksPerCall, 2),
    callDurationSec: round(callDurationSec, 1),
    realPaceRate,
    signingMicrosPerRequest: round(signing, 1),
    levels: o.levels,
    durationSec: o.durationSec,
    pinned: o.pin,
    targets,
    goal,
  };

  async function measureTarget(target: TargetResult['target'], storeEnv: Record<string, string> | null): Promise<TargetResult> {
    const port = await freePort();
    const logFile = path.join(work, `${target}.log`);
    let proc: ChildProcess;
    let healthUrl: string;
    if (storeEnv === null) {
      proc = spawnPinned(serverCore, process.execPath, [path.join(o.distBench, 'bare-node-server.js'), String(port)], { logFile });
      healthUrl = `http://127.0.0.1:${port}/`;
    } else {
      const dataDir = path.join(work, `${target}-data`);
      const profile = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${target}.cpuprofile`] : [];
      // Started as the Dockerfile and npm start run it.
      const nodeArgs = [...SERVICE_NODE_FLAGS, ...profile];
      proc = spawnPinned(serverCore, process.execPath, [...nodeArgs, path.join(o.repoRoot, 'dist/src/main.js')], {
        logFile,
        cwd: o.repoRoot,
        env: { ...process.env, ...SERVICE_ENV, ...storeEnv, PORT: String(port), DATA_DIR: dataDir, FLOWS_DIR: flowsDir },
      });
      healthUrl = `http://127.0.0.1:${port}/healthz`;
    }
    const result: TargetResult = { target, levels: [], open: [], drain: null };
    try {
      await waitForHttp(healthUrl, proc);
      if (storeEnv !== null) await checkOneCall(port, templates);
      o.log(`${target}: warming up`);
      // Bare Node's answer does not depend on the request: its closed loop sends one request again and
      // again, the cheapest the generator can (see LoadSpec.fixedRequest). The open loop cannot.
      const fixedRequest = storeEnv === null;
      await load(port, 10, Math.min(3, o.durationSec), undefined, fixedRequest);
      const measureLevel = async (connections: number, openRate?: number, durationSec = o.durationSec): Promise<LevelResult> => {
        const before = cpuSample(proc.pid!);
        const r = await load(port, connections, durationSec, openRate, fixedRequest && openRate === undefined);
        const cpu = cpuBetween(before, cpuSample(proc.pid!));
        const bareLevel = bare?.levels.find((l) => l.connections === connections);
        const level: LevelResult = {
          ...r,
          ratioToBare: storeEnv !== null && bareLevel && openRate === undefined ? round(r.reqPerSec / bareLevel.reqPerSec, 3) : null,
          rssMiB: rssMiB(proc.pid!)?.rss ?? null,
          outboxPending: storeEnv !== null ? (await health(port))?.outbox.pending ?? null : null,
          serverCpuPct: cpu?.cpuPct ?? null,
          serverWaitPct: cpu?.waitPct ?? null,
        };
        o.log(describeLevel(target, level));
        return level;
      };
      for (const c of o.levels) result.levels.push(await measureLevel(c));
      // Few requests per second: run longer, so the p99 rests on enough answers.
      result.open.push(await measureLevel(GOAL_LEVEL, realPaceRate, Math.max(o.durationSec, 30)));
      const own = result.levels.find((l) => l.connections === GOAL_LEVEL);
      if (storeEnv !== null && own) for (const share of SUSTAINED_SHARES) result.open.push(await measureLevel(GOAL_LEVEL, Math.round(own.reqPerSec * share)));
      // The goal's throughput, open loop: does latency hold when webhooks arrive that fast?
      // Bare Node runs first, so its own goal rate is set just before this line for it too.
      const top = result.levels.find((l) => l.connections === GOAL_LEVEL);
      const rate = goalRate ?? (target === 'bare-node' && top ? Math.round(top.reqPerSec * GOAL_RATIO) : null);
      // Arrivals faster than callpath answers even saturated queue without bound: the run would only
      // fill the outbox and time requests out, so it is skipped and the verdict says why.
      if (rate && !(storeEnv !== null && own && own.reqPerSec < rate)) result.open.push(await measureLevel(GOAL_LEVEL, rate));
      if (storeEnv !== null) result.drain = await drain(port, proc);
      if (result.drain) {
        const d = result.drain;
        o.log(
          `${target}: store caught up ${d.complete ? `in ${d.ms} ms` : `NOT within ${d.ms} ms (${d.eventsPending} events still in the outbox)`}; ` +
            `${d.eventsStored} events stored${d.storedPerSec ? `, ${d.storedPerSec} events/s while catching up` : ''}; RSS ${d.rssMiB} MiB (peak ${d.peakRssMiB} MiB)`,
        );
      }
    } catch (err) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${target}: ${(err as Error).message}\n${tail}`);
    } finally {
      await stopProcess(proc);
    }
    return result;
  }
}

interface Health {
  outbox: { pending: number; delivered: number };
}

async function health(port: number): Promise<Health | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return (await res.json()) as Health;
  } catch {
    return null;
  }
}

/**
 * Waits until the outbox has delivered everything to the store (at most a minute), and measures how
 * fast the store takes events meanwhile: with a slow database the backlog is the figure that matters.
 */
async function drain(port: number, proc: ChildProcess): Promise<TargetResult['drain']> {
  const started = Date.now();
  const limitMs = 60_000;
  const first = await health(port);
  let h = first;
  while (h && h.outbox.pending > 0 && Date.now() - started < limitMs) {
    await sleep(200);
    h = await health(port);
  }
  const ms = Date.now() - started;
  const mem = rssMiB(proc.pid!);
  const stored = (h?.outbox.delivered ?? 0) - (first?.outbox.delivered ?? 0);
  return {
    ms,
    complete: !!h && h.outbox.pending === 0,
    eventsStored: h?.outbox.delivered ?? 0,
    eventsPending: h?.outbox.pending ?? 0,
    storedPerSec: ms > 0 && first && first.outbox.pending > 0 ? Math.round(stored / (ms / 1000)) : 0,
    rssMiB: mem?.rss ?? null,
    peakRssMiB: mem?.peak ?? null,
  };
}

/** Before measuring, one whole call must be accepted and answered with TwiML: a bench of 403s measures nothing. */
async function checkOneCall(port: number, templates: CallTemplate[]): Promise<void> {
  const stream = new CallStream(templates, { authToken: BENCH_AUTH_TOKEN, publicBaseUrl: BENCH_PUBLIC_URL, concurrent: 1, seed: 9_000_000_000 });
  for (const w of stream.signCall()) {
    const res = await fetch(`http://127.0.0.1:${port}${w.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': w.signature },
      body: w.body,
    });
    const text = await res.text();
    if (res.status !== 200 || !text.includes('<Response')) throw new Error(`check call: ${w.path.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`);
  }
}

function signingCost(templates: CallTemplate[]): number {
  const stream = new CallStream(templates, { authToken: BENCH_AUTH_TOKEN, publicBaseUrl: BENCH_PUBLIC_URL, concurrent: 1, seed: 8_000_000_000 });
  let n = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 2000; i++) n += stream.signCall().length;
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

function describeLevel(target: string, l: LevelResult): string {
  const mode = l.openRate ? `open ${l.openRate}/s` : 'closed loop';
  return (
    `${target.padEnd(18)} c=${String(l.connections).padStart(3)} ${mode.padEnd(16)} ${String(l.reqPerSec).padStart(6)} req/s` +
    `  p50 ${l.latencyMs.p50} ms  p99 ${l.latencyMs.p99} ms` +
    (l.ratioToBare !== null ? `  ${pct(l.ratioToBare)} of bare` : '') +
    `  errors ${l.errors}  non-2xx ${l.non2xx}` +
    (l.rssMiB !== null ? `  RSS ${l.rssMiB} MiB` : '') +
    (l.outboxPending !== null ? `  outbox ${l.outboxPending}` : '') +
    (l.serverCpuPct !== null ? `  cpu ${l.serverCpuPct} %, waited ${l.serverWaitPct} %` : '') +
    (l.sendLagMs ? `  generator late p99 ${l.sendLagMs.p99} ms, max ${l.sendLagMs.max} ms` : `  generator cpu ${l.generatorCpuPct} %`)
  );
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** What one request cost the server in CPU time, whichever side limited the rate. */
export function cpuMicrosPerRequest(l: { serverCpuPct: number | null; reqPerSec: number }): number | null {
  if (l.serverCpuPct === null || l.reqPerSec < 100) return null;
  return Math.round(((l.serverCpuPct / 100) * 1e6) / l.reqPerSec);
}
export const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
