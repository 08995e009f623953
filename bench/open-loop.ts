import http from 'node:http';
import type { CallStream } from './call-stream';

export interface OpenLoopResult {
  /** Answers in the measured window (after the warm-up). */
  requests: number;
  /** Every answer, the warm-up's included. */
  answered: number;
  durationSec: number;
  latenciesMs: number[];
  errors: number;
  non2xx: number;
  /** Requests still unanswered when the time was up (counted as errors after a grace period). */
  unfinished: number;
  /**
   * How late the generator sent requests against their schedule (ms, sorted). It counts in every
   * latency; a p99 of more than a few ms means the generator could not keep the rate, and the
   * latencies say more about it than about the server.
   */
  sendLagsMs: number[];
}

/**
 * Sends requests at a fixed rate whatever the server does (open loop), as independent callers do:
 * a slow answer does not slow the arrivals. Latency is counted from when a request was due, not
 * when it could be sent, so queueing inside the generator is not hidden (no coordinated omission).
 */
export async function openLoop(opts: { url: string; stream: CallStream; rate: number; durationSec: number; maxSockets: number; warmupSec: number }): Promise<OpenLoopResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const latencies: number[] = [];
  const sendLags: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let answered = 0;
  let inFlight = 0;
  const intervalNs = 1e9 / opts.rate;
  const begin = process.hrtime.bigint();
  // The first requests open connections and warm up both sides; they are sent but not counted.
  const start = begin + BigInt(Math.round(opts.warmupSec * 1e9));
  const total = Math.round(opts.rate * (opts.durationSec + opts.warmupSec));

  const send = (dueNs: bigint) => {
    if (dueNs >= start) sendLags.push(Number(process.hrtime.bigint() - dueNs) / 1e6);
    const w = opts.stream.next();
    inFlight++;
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: w.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': w.signature, 'content-length': Buffer.byteLength(w.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          inFlight--;
          answered++;
          if (dueNs < start) return;
          latencies.push(Number(process.hrtime.bigint() - dueNs) / 1e6);
          if (res.statusCode !== 200) non2xx++;
        });
      },
    );
    req.on('error', () => {
      inFlight--;
      if (dueNs >= start) errors++;
    });
    req.end(w.body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = process.hrtime.bigint() - begin;
      while (sent < total && BigInt(Math.round(sent * intervalNs)) <= elapsed) {
        send(begin + BigInt(Math.round(sent * intervalNs)));
        sent++;
      }
      if (sent >= total) return resolve();
      // Spin only when the next request is due within 2 ms: the generator's core may be shared (FerretDB).
      // (Above 500 requests/s it always spins, so its CPU use then shows nothing; its send lag does.)
      const waitMs = (sent * intervalNs - Number(process.hrtime.bigint() - begin)) / 1e6;
      if (waitMs < 2) setImmediate(tick);
      else setTimeout(tick, Math.floor(waitMs) - 1);
    };
    tick();
  });
  const deadline = Date.now() + 15_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  agent.destroy();
  // Answers per second of the measured window (when the server keeps up, the rate asked for).
  return {
    requests: latencies.length,
    answered,
    durationSec: opts.durationSec,
    latenciesMs: latencies,
    errors: errors + inFlight,
    non2xx,
    unfinished: inFlight,
    sendLagsMs: sendLags.sort((a, b) => a - b),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
