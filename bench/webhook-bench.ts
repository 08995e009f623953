import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, captureCalls, type CallTemplate } from './capture-calls';
import { CallStream } from './call-stream';
import type { LoadResult, LoadSpec } from './load-generator';
import { cpuBetween, cpuSample, rssMiB, type CpuSample } from './machine';
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

export type Target = 'bare-node' | 'twilio-sample' | 'callpath-embedded' | 'callpath-mongo';

/** After a level, until the outbox had delivered to the store what the level left in it. */
export interface CatchUp {
  ms: number;
  complete: boolean;
  /** Events still in the outbox when the wait ended (0 when complete). */
  eventsLeft: number;
  /** The server's CPU time meanwhile (all threads), from the end of the level's window. */
  cpuMs: number;
}

export interface LevelResult extends Omit<LoadResult, 'server'> {
  /** Throughput over bare Node's at the same concurrency (closed loop): information, the ceiling. */
  ratioToBare: number | null;
  /** callpath's throughput over the Twilio sample's at the same concurrency (closed loop). */
  ratioToSample: number | null;
  rssMiB: number | null;
  /** Events written by webhooks but not yet in the store when the level ended. */
  outboxPending: number | null;
  /**
   * Over the load generator's measuring window (first request to last answer): the server's CPU use
   * (% of one core, all threads) and its main thread's wait for a CPU taken by other processes (%).
   */
  serverCpuPct: number | null;
  serverWaitPct: number | null;
  /** The server's CPU time (all threads) in that window over the webhooks it answered, in µs. */
  cpuMicrosPerWebhook: number | null;
  /** callpath: the outbox catching up after the level (null for servers that store nothing). */
  catchUp: CatchUp | null;
  /** CPU per webhook with the catch-up's CPU added: what a webhook costs the process in all, in µs. */
  totalCpuMicrosPerWebhook: number | null;
}

export interface TargetResult {
  target: Target;
  levels: LevelResult[];
  /**
   * Open loop (arrivals at a fixed rate, up to 200 sockets): 200 calls in progress at the pace real
   * calls make webhooks; for callpath, then half and three quarters of its own closed-loop throughput
   * at 200 connections (what it sustains).
   */
  open: LevelResult[];
  /** After the load: time until every event was in the store, how many were stored, RSS then. */
  drain: { ms: number; complete: boolean; eventsStored: number; eventsPending: number; storedPerSec: number; rssMiB: number | null; peakRssMiB: number | null } | null;
  /** Mean size of an answer over the call mix (bytes of TwiML per webhook, weighted as the mix). */
  answerBytes?: number | null;
  /** A forged signature and an altered body were both refused with 403 (null: not checked, bare Node checks nothing). */
  rejectsForgery?: boolean | null;
  note?: string;
  /** callpath: the core its ingestion thread was moved to (the load generator's); null when it ran none or stayed. */
  ingestThreadCore?: number | null;
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
  /** Node flags callpath and the Twilio sample were started with (bare Node: none). */
  nodeFlags?: string[];
  targets: TargetResult[];
  goal: GoalVerdict[];
}

export interface GoalVerdict {
  store: string;
  /** Webhooks/s at 200 connections (closed loop) over the Twilio sample's. Goal: ≥ 2. */
  throughputRatio: number | null;
  /**
   * CPU per webhook at 200 connections, all threads, the outbox's catch-up after the level included
   * (callpath), and the sample's. Goal: callpath's no more than the sample's.
   */
  cpuMicros: number | null;
  sampleCpuMicros: number | null;
  /** False when the outbox had not caught up within the limit: cpuMicros is then a lower bound. */
  cpuComplete: boolean;
  /** Information, not judged: throughput over bare Node's at 200 connections, and bare Node's CPU per webhook over callpath's. */
  ratioToBare: number | null;
  cpuRatioToBare: number | null;
  /** p99 at 200 connections, closed loop (saturated): shown, not judged (see docs/benchmarks.md on Little's law). */
  p99Saturated: number | null;
  sampleP99Saturated: number | null;
  bareP99Saturated: number | null;
  /** p99 with 200 calls in progress at real call pace (open loop). Goal: < 20 ms. */
  p99RealPace: number | null;
  sampleP99RealPace: number | null;
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
  // Taskset leaves the process one core at its start, where the default (more than one core) would
  // leave the thread off; the bench then moves the thread to the second core (pinIngestThread).
  INGEST_THREAD: 'true',
};

/** Webhooks per second of load signed in advance: above what bare Node reaches on one core here. */
const PREFILL_PER_SECOND = 20_000;
const GOAL_LEVEL = 200;
/** callpath's webhooks/s at GOAL_LEVEL connections over the Twilio sample's. */
const GOAL_THROUGHPUT_RATIO = 2;
/**
 * Open-loop rates, as shares of callpath's own closed-loop throughput at 200 connections, that show
 * what it sustains. The closed loop flatters ingestion at few connections: 10 connections are 10
 * calls, each sending webhooks as fast as they are answered, so one delivery projects a call once for
 * a dozen of its webhooks. At a fixed rate over 200 calls nearly every webhook is projected on its
 * own, as with real calls, and unlike at saturation ingestion must keep up or the outbox grows.
 */
const SUSTAINED_SHARES = [0.5, 0.75];
const GOAL_P99_MS = 20;
/** How long to wait after a level for the outbox to deliver what the level left in it. */
const CATCH_UP_LIMIT_MS = 30_000;
/** Below this rate a level's CPU per webhook is mostly the process's background (timers), not webhooks: not shown. */
const MIN_RATE_FOR_CPU = 100;

type Kind = { kind: 'bare' } | { kind: 'sample' } | { kind: 'callpath'; storeEnv: Record<string, string> };

/**
 * Webhook throughput and latency: bare Node's fixed-TwiML server (the ceiling), the Twilio sample
 * stack (the baseline: what a user would otherwise pick), then callpath on the embedded store and on
 * the Mongo-compatible server, each in its own process on core 0, driven from core 1 by autocannon
 * replaying realistic signed calls with fresh CallSids.
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
  const load = async (port: number, serverPid: number, connections: number, durationSec: number, openRate?: number, fixedRequest = false): Promise<LoadResult> => {
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
      serverPid,
    };
    const out = await runPinned(loadCore, process.execPath, [path.join(o.distBench, 'load-generator.js'), JSON.stringify(spec)]);
    return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
  };

  const targets: TargetResult[] = [];
  let bare: TargetResult | null = null;
  let sample: TargetResult | null = null;
  let ferret: { runDir: string } | null = null;
  try {
    bare = await measureTarget('bare-node', { kind: 'bare' });
    targets.push(bare);
    sample = await measureTarget('twilio-sample', { kind: 'sample' });
    targets.push(sample);
    targets.push(await measureTarget('callpath-embedded', { kind: 'callpath', storeEnv: { STORE: 'embedded' } }));
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
        const t = await measureTarget('callpath-mongo', { kind: 'callpath', storeEnv: { STORE: 'mongo', MONGODB_URI: uri } });
        t.note = 'FerretDB 1.24 on SQLite, sharing the load generator\'s core; a real MongoDB is much faster';
        targets.push(t);
      }
    }
  } finally {
    if (ferret) await runPinned(null, 'bash', [path.join(o.repoRoot, 'scripts/ferretdb.sh'), 'stop'], { env: { ...process.env, FERRETDB_RUN_DIR: ferret.runDir } }).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }

  const bareAt = bare?.levels.find((l) => l.connections === GOAL_LEVEL) ?? null;
  const sampleAt = sample?.levels.find((l) => l.connections === GOAL_LEVEL) ?? null;
  const samplePaced = sample?.open.find((l) => l.openRate === realPaceRate) ?? null;
  const goal = targets
    .filter((t) => t.target.startsWith('callpath-') && t.levels.length)
    .map((t): GoalVerdict => {
      const at = t.levels.find((l) => l.connections === GOAL_LEVEL) ?? null;
      const paced = t.open.find((l) => l.openRate === realPaceRate) ?? null;
      const bareCpu = bareAt?.cpuMicrosPerWebhook ?? null;
      const verdict: GoalVerdict = {
        store: t.target,
        throughputRatio: at && sampleAt ? round(at.reqPerSec / sampleAt.reqPerSec, 3) : null,
        cpuMicros: at?.totalCpuMicrosPerWebhook ?? null,
        sampleCpuMicros: sampleAt?.totalCpuMicrosPerWebhook ?? null,
        cpuComplete: !at?.catchUp || at.catchUp.complete,
        ratioToBare: at?.ratioToBare ?? null,
        cpuRatioToBare: bareCpu && at?.totalCpuMicrosPerWebhook ? round(bareCpu / at.totalCpuMicrosPerWebhook, 3) : null,
        p99Saturated: at?.latencyMs.p99 ?? null,
        sampleP99Saturated: sampleAt?.latencyMs.p99 ?? null,
        bareP99Saturated: bareAt?.latencyMs.p99 ?? null,
        p99RealPace: paced?.latencyMs.p99 ?? null,
        sampleP99RealPace: samplePaced?.latencyMs.p99 ?? null,
        met: false,
        why: '',
      };
      if (!at) return { ...verdict, why: `concurrency ${GOAL_LEVEL} was not measured` };
      if (!sampleAt) return { ...verdict, why: `the Twilio sample was not measured at concurrency ${GOAL_LEVEL}` };
      const ratioOk = verdict.throughputRatio !== null && verdict.throughputRatio >= GOAL_THROUGHPUT_RATIO;
      const cpuOk = verdict.cpuMicros !== null && verdict.sampleCpuMicros !== null && verdict.cpuComplete && verdict.cpuMicros <= verdict.sampleCpuMicros;
      const pacedOk = !!paced && paced.latencyMs.p99 < GOAL_P99_MS;
      const clean = [at, paced].every((l) => !l || (l.errors === 0 && l.non2xx === 0));
      verdict.met = ratioOk && cpuOk && pacedOk && clean;
      const c = at.catchUp;
      verdict.why = [
        `webhooks/s at ${GOAL_LEVEL} connections ${at.reqPerSec} against the Twilio sample's ${sampleAt.reqPerSec}: ${times(verdict.throughputRatio)} (goal ≥ ${GOAL_THROUGHPUT_RATIO}×): ${ratioOk ? 'met' : 'NOT met'}`,
        `CPU per webhook at ${GOAL_LEVEL} connections, all threads, ${verdict.cpuMicros ?? 'n/a'} µs ` +
          `(${at.cpuMicrosPerWebhook ?? 'n/a'} µs while answering` +
          (c ? `, then ${c.cpuMs} ms of CPU over ${(c.ms / 1000).toFixed(1)} s while the store caught up with the outbox${c.complete ? '' : `, NOT complete: ${c.eventsLeft} events left, so a lower bound`}` : '') +
          `) against the sample's ${verdict.sampleCpuMicros ?? 'n/a'} µs (goal: no more): ${cpuOk ? 'met' : 'NOT met'}`,
        paced
          ? `p99 with ${GOAL_LEVEL} calls in progress at real call pace (${realPaceRate} webhooks/s, open loop) ${paced.latencyMs.p99} ms (goal < ${GOAL_P99_MS} ms; the sample ${samplePaced?.latencyMs.p99 ?? 'n/a'} ms): ${pacedOk ? 'met' : 'NOT met'}`
          : 'real-pace run missing: NOT met',
        `not judged: ${pct(at.ratioToBare)} of bare Node's webhooks/s (${bareAt?.reqPerSec ?? 'n/a'}/s, the ceiling), bare Node's CPU per webhook ${bareCpu ?? 'n/a'} µs`,
        `p99 at ${GOAL_LEVEL} connections, saturated (not judged: queueing alone makes it ≥ ${GOAL_LEVEL} ÷ throughput) ${at.latencyMs.p99} ms, the sample ${sampleAt.latencyMs.p99} ms, bare Node ${bareAt?.latencyMs.p99 ?? 'n/a'} ms`,
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
    nodeFlags: [...SERVICE_NODE_FLAGS],
    targets,
    goal,
  };

  async function measureTarget(target: Target, k: Kind): Promise<TargetResult> {
    const port = await freePort();
    const logFile = path.join(work, `${target}.log`);
    let proc: ChildProcess;
    let healthUrl: string;
    if (k.kind === 'bare') {
      proc = spawnPinned(serverCore, process.execPath, [path.join(o.distBench, 'bare-node-server.js'), String(port)], { logFile });
      healthUrl = `http://127.0.0.1:${port}/`;
    } else if (k.kind === 'sample') {
      // Started with callpath's Node flags, so the two compare as code, not as V8 settings.
      proc = spawnPinned(serverCore, process.execPath, [...SERVICE_NODE_FLAGS, path.join(o.distBench, 'twilio-sample-server.js'), String(port)], {
        logFile,
        env: { ...process.env, NODE_ENV: 'production', TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN, PUBLIC_BASE_URL: BENCH_PUBLIC_URL },
      });
      healthUrl = `http://127.0.0.1:${port}/`;
    } else {
      const dataDir = path.join(work, `${target}-data`);
      const profile = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${target}.cpuprofile`] : [];
      // Started as the Dockerfile and npm start run it.
      const nodeArgs = [...SERVICE_NODE_FLAGS, ...profile];
      proc = spawnPinned(serverCore, process.execPath, [...nodeArgs, path.join(o.repoRoot, 'dist/src/main.js')], {
        logFile,
        cwd: o.repoRoot,
        env: { ...process.env, ...SERVICE_ENV, ...k.storeEnv, PORT: String(port), DATA_DIR: dataDir, FLOWS_DIR: flowsDir },
      });
      healthUrl = `http://127.0.0.1:${port}/healthz`;
    }
    const stores = k.kind === 'callpath';
    const result: TargetResult = { target, levels: [], open: [], drain: null, answerBytes: null, rejectsForgery: null };
    try {
      await waitForHttp(healthUrl, proc);
      const pid = proc.pid!;
      result.answerBytes = await checkCalls(port, templates);
      if (k.kind !== 'bare') {
        await checkRejectsForgery(port, templates);
        result.rejectsForgery = true;
      }
      o.log(`${target}: every call of the mix answered with TwiML (${result.answerBytes} bytes per webhook on average)${result.rejectsForgery ? '; a forged signature and an altered body answered 403' : ''}`);
      if (stores) {
        result.ingestThreadCore = await pinIngestThread(port, loadCore);
        o.log(`${target}: ${result.ingestThreadCore === null ? 'ingestion on the answering core' : `ingestion thread moved to core ${result.ingestThreadCore}`}`);
      }
      o.log(`${target}: warming up`);
      // Bare Node's answer does not depend on the request: its closed loop sends one request again and
      // again, the cheapest the generator can (see LoadSpec.fixedRequest). The open loop cannot.
      const fixedRequest = k.kind === 'bare';
      await load(port, pid, 10, Math.min(3, o.durationSec), undefined, fixedRequest);
      if (stores) await catchUp(port, pid, cpuSample(pid));
      const measureLevel = async (connections: number, openRate?: number, durationSec = o.durationSec): Promise<LevelResult> => {
        const { server, ...r } = await load(port, pid, connections, durationSec, openRate, fixedRequest && openRate === undefined);
        const cpu = server ? cpuBetween(server.before, server.after) : null;
        const cpuMs = server ? server.after.cpuMs - server.before.cpuMs : null;
        const perWebhook = (ms: number | null) => (ms === null || !server?.answered || r.reqPerSec < MIN_RATE_FOR_CPU ? null : Math.round((ms * 1000) / server.answered));
        const outboxPending = stores ? ((await health(port))?.outbox.pending ?? null) : null;
        const rss = rssMiB(pid)?.rss ?? null;
        const caught = stores && server ? await catchUp(port, pid, server.after) : null;
        const closedLoop = openRate === undefined;
        const ratio = (other: TargetResult | null) => {
          const l = closedLoop ? other?.levels.find((x) => x.connections === connections) : undefined;
          return l ? round(r.reqPerSec / l.reqPerSec, 3) : null;
        };
        const level: LevelResult = {
          ...r,
          ratioToBare: k.kind === 'bare' ? null : ratio(bare),
          ratioToSample: stores ? ratio(sample) : null,
          rssMiB: rss,
          outboxPending,
          serverCpuPct: cpu?.cpuPct ?? null,
          serverWaitPct: cpu?.waitPct ?? null,
          cpuMicrosPerWebhook: perWebhook(cpuMs),
          catchUp: caught,
          totalCpuMicrosPerWebhook: perWebhook(cpuMs === null ? null : cpuMs + (caught?.cpuMs ?? 0)),
        };
        o.log(describeLevel(target, level));
        return level;
      };
      for (const c of o.levels) result.levels.push(await measureLevel(c));
      // Few requests per second: run longer, so the p99 rests on enough answers.
      result.open.push(await measureLevel(GOAL_LEVEL, realPaceRate, Math.max(o.durationSec, 30)));
      const own = result.levels.find((l) => l.connections === GOAL_LEVEL);
      if (stores && own) for (const share of SUSTAINED_SHARES) result.open.push(await measureLevel(GOAL_LEVEL, Math.round(own.reqPerSec * share)));
      if (stores) result.drain = await drain(port, proc);
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

/**
 * Waits (at most CATCH_UP_LIMIT_MS) until the outbox has delivered everything to the store, and
 * measures the server's CPU from `since` (the end of the level's window): the work a level's webhooks
 * left for later, which a saturated level does not pay for while it is measured.
 */
async function catchUp(port: number, pid: number, since: CpuSample | null): Promise<CatchUp | null> {
  const started = Date.now();
  let h = await health(port);
  while (h && h.outbox.pending > 0 && Date.now() - started < CATCH_UP_LIMIT_MS) {
    await sleep(50);
    h = await health(port);
  }
  const now = cpuSample(pid);
  if (!since || !now) return null;
  return { ms: now.at - since.at, complete: !!h && h.outbox.pending === 0, eventsLeft: h?.outbox.pending ?? -1, cpuMs: now.cpuMs - since.cpuMs };
}

interface Health {
  outbox: { pending: number; delivered: number; thread?: { osThreadId: number | null } };
}

/**
 * callpath's ingestion thread (INGEST_THREAD, on by default with two cores) moves to the load
 * generator's core, as the issue allows: the answering core is what is compared. Nothing else of the
 * process moves (its V8 and libuv helper threads stay on the server's core). Returns the core, or null
 * when the service runs no thread or its id is unknown.
 */
async function pinIngestThread(port: number, core: number | null): Promise<number | null> {
  const tid = (await health(port))?.outbox.thread?.osThreadId;
  if (core === null || !tid) return null;
  await runPinned(null, 'taskset', ['-p', '-c', String(core), String(tid)]);
  return core;
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

/**
 * Before measuring, one call of every type in the mix must be accepted and answered with TwiML: a
 * bench of 403s measures nothing. Returns the mean size of an answer, weighted as the mix.
 */
async function checkCalls(port: number, templates: CallTemplate[]): Promise<number> {
  let bytes = 0;
  let webhooks = 0;
  for (const [i, t] of templates.entries()) {
    const stream = new CallStream([t], { authToken: BENCH_AUTH_TOKEN, publicBaseUrl: BENCH_PUBLIC_URL, concurrent: 1, seed: 9_000_000_000 + i });
    for (const w of stream.signCall()) {
      const res = await post(port, w.path, w.signature, w.body);
      const body = Buffer.from(await res.arrayBuffer());
      const text = body.toString('utf8');
      if (res.status !== 200 || !text.includes('<Response')) throw new Error(`check call "${t.name}": ${w.path.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`);
      bytes += t.weight * body.length;
      webhooks += t.weight;
    }
  }
  return Math.round(bytes / webhooks);
}

/**
 * A server that validates signatures must refuse a forged one and a signed body altered on the way
 * with 403: so the servers compared all pay for the check on every webhook they answer.
 */
async function checkRejectsForgery(port: number, templates: CallTemplate[]): Promise<void> {
  const stream = new CallStream(templates, { authToken: BENCH_AUTH_TOKEN, publicBaseUrl: BENCH_PUBLIC_URL, concurrent: 1, seed: 9_100_000_000 });
  const call = stream.signCall();
  const w = call[Math.min(1, call.length - 1)];
  const forged = (w.signature.startsWith('A') ? 'B' : 'A') + w.signature.slice(1);
  const altered = new URLSearchParams(w.body);
  altered.set('From', '+46700000000');
  for (const [what, signature, body] of [
    ['a forged signature', forged, w.body],
    ['a signed body altered on the way', w.signature, altered.toString()],
  ] as const) {
    const res = await post(port, w.path, signature, body);
    const text = await res.text();
    if (res.status !== 403) throw new Error(`${what} on ${w.path.split('?')[0]} answered ${res.status}, not 403: ${text.slice(0, 200)}`);
  }
}

function post(port: number, pathAndQuery: string, signature: string, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${pathAndQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body,
  });
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
  const c = l.catchUp;
  return (
    `${target.padEnd(18)} c=${String(l.connections).padStart(3)} ${mode.padEnd(16)} ${String(l.reqPerSec).padStart(6)} req/s` +
    `  p50 ${l.latencyMs.p50} ms  p99 ${l.latencyMs.p99} ms` +
    (l.ratioToSample !== null ? `  ${times(l.ratioToSample)} the sample` : '') +
    (l.ratioToBare !== null ? `  ${pct(l.ratioToBare)} of bare` : '') +
    `  errors ${l.errors}  non-2xx ${l.non2xx}` +
    (l.rssMiB !== null ? `  RSS ${l.rssMiB} MiB` : '') +
    (l.outboxPending !== null ? `  outbox ${l.outboxPending}` : '') +
    (l.serverCpuPct !== null ? `  cpu ${l.serverCpuPct} %, waited ${l.serverWaitPct} %` : '') +
    (l.cpuMicrosPerWebhook !== null ? `  ${l.cpuMicrosPerWebhook} µs/webhook` : '') +
    (c ? `  catch-up ${(c.ms / 1000).toFixed(1)} s${c.complete ? '' : ' (incomplete)'}, ${c.cpuMs} ms CPU` : '') +
    (c && l.totalCpuMicrosPerWebhook !== null ? ` → ${l.totalCpuMicrosPerWebhook} µs/webhook in all` : '') +
    (l.sendLagMs ? `  generator late p99 ${l.sendLagMs.p99} ms, max ${l.sendLagMs.max} ms` : `  generator cpu ${l.generatorCpuPct} %`)
  );
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * CPU per request for results written before the generator measured the server's CPU over its own
 * window (bench/results.json of earlier runs): CPU % over the whole load run, which counted the
 * generator's start and signing ahead as the server's idle time, times the rate.
 */
export function cpuMicrosPerRequest(l: { serverCpuPct: number | null; reqPerSec: number }): number | null {
  if (l.serverCpuPct === null || l.reqPerSec < MIN_RATE_FOR_CPU) return null;
  return Math.round(((l.serverCpuPct / 100) * 1e6) / l.reqPerSec);
}
export const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
export const times = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}×`);
