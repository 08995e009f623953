/**
 * The load generator, run in its own process (pinned to its own core by the bench): replays the
 * captured calls against a target with autocannon and prints one JSON line of results.
 *
 *   node dist/bench/load-generator.js '<LoadSpec as JSON>'
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import type { CallTemplate } from './capture-calls';
import { CallStream, type SignedRequest } from './call-stream';
import { cpuSample, type CpuSample } from './machine';
import { openLoop, percentile } from './open-loop';

export interface LoadSpec {
  url: string;
  templatesFile: string;
  connections: number;
  durationSec: number;
  /**
   * Absent: closed loop, each connection sends its next request when the last is answered.
   * Set: open loop at this many requests per second (connections is then the socket limit).
   */
  openRate?: number;
  authToken: string;
  publicBaseUrl: string;
  /** First call number: different runs against one service never reuse a CallSid. */
  seed: number;
  /** Webhooks to sign before the clock starts (beyond them, calls are signed as they are needed). */
  prefill: number;
  /**
   * Closed loop only: send one signed webhook over and over, which autocannon sends from a buffer it
   * built once. For bare Node, whose answer does not depend on the request: a request made for each
   * send costs the generator about as much as bare Node's answer costs the server, so with it the
   * figure measured was the generator's limit, not bare Node's.
   */
  fixedRequest?: boolean;
  /**
   * The server's process id: its CPU time is sampled right before the first request and right after
   * the last answer, so the generator's own start and the signing ahead (seconds, while the server
   * idles) are not in the figure.
   */
  serverPid?: number;
}

/** The server's CPU over the generator's measuring window, and the answers it gave in it. */
export interface ServerWindow {
  before: CpuSample;
  after: CpuSample;
  /** Every answer received in the window (an open loop's warm-up included, as its CPU is). */
  answered: number;
}

export interface LoadResult {
  connections: number;
  /** Requests per second sent in an open-loop run; null for closed loop. */
  openRate: number | null;
  durationSec: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  calls: number;
  /**
   * The generator's own CPU use over the run (% of its core). Near 100 %, the generator was the limit,
   * not the server: bare Node's closed-loop figure on this machine is usually bound so.
   */
  generatorCpuPct: number;
  /** Open loop: how late the generator sent requests against their schedule, p99 and max in ms (see OpenLoopResult). */
  sendLagMs: { p99: number; max: number } | null;
  /** Null when no server pid was given or /proc could not be read. */
  server: ServerWindow | null;
}

/** CPU time (user + system) of this process since `since` over the wall time since `sinceWall`, in % of one core. */
function cpuPctSince(since: NodeJS.CpuUsage, sinceWall: number): number {
  const u = process.cpuUsage(since);
  return Math.round(((u.user + u.system) / 1000 / (performance.now() - sinceWall)) * 100);
}

/** A signed webhook as autocannon sends it. */
function asRequest(w: SignedRequest): autocannon.Request {
  return { method: 'POST', path: w.path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': w.signature }, body: w.body };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const templates = JSON.parse(fs.readFileSync(spec.templatesFile, 'utf8')) as CallTemplate[];
  const stream = new CallStream(templates, { authToken: spec.authToken, publicBaseUrl: spec.publicBaseUrl, concurrent: spec.connections, seed: spec.seed });
  stream.prefill(spec.prefill);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const sample = () => (spec.serverPid ? cpuSample(spec.serverPid) : null);
  const window = (before: CpuSample | null, answered: number): ServerWindow | null => {
    const after = sample();
    return before && after ? { before, after, answered } : null;
  };
  if (spec.openRate) {
    const before = sample();
    const o = await openLoop({ url: spec.url, stream, rate: spec.openRate, durationSec: spec.durationSec, maxSockets: spec.connections, warmupSec: 1 });
    const server = window(before, o.answered);
    const sorted = o.latenciesMs.sort((a, b) => a - b);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const result: LoadResult = {
      connections: spec.connections,
      openRate: spec.openRate,
      durationSec: r2(o.durationSec),
      requests: o.requests,
      reqPerSec: Math.round(o.requests / o.durationSec),
      latencyMs: {
        p50: r2(percentile(sorted, 50)),
        p90: r2(percentile(sorted, 90)),
        p99: r2(percentile(sorted, 99)),
        max: r2(sorted[sorted.length - 1] ?? NaN),
        mean: r2(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
      },
      errors: o.errors,
      timeouts: o.unfinished,
      non2xx: o.non2xx,
      calls: stream.callsStarted,
      generatorCpuPct: cpuPctSince(cpuStart, wallStart),
      sendLagMs: { p99: r2(percentile(o.sendLagsMs, 99)), max: r2(o.sendLagsMs[o.sendLagsMs.length - 1] ?? NaN) },
      server,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const fixed = spec.fixedRequest ? stream.next() : null;
  const before = sample();
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    timeout: 15,
    ...(fixed ? asRequest(fixed) : {}),
    requests: fixed ? undefined : [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...asRequest(stream.next()) }) }],
  });
  const server = window(before, r.requests.total);
  const result: LoadResult = {
    connections: spec.connections,
    openRate: null,
    durationSec: r.duration,
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.total / r.duration),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: Math.round(r.latency.average * 100) / 100 },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    calls: stream.callsStarted,
    generatorCpuPct: cpuPctSince(cpuStart, wallStart),
    sendLagMs: null,
    server,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((err) => {
  process.stderr.write(`load-generator: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
