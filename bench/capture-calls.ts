import http from 'node:http';
import { CALL_MIX } from './call-scripts';
import { captureCaller, withCaptureService } from './capture-service';

export { BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL } from './capture-service';

/** One webhook as Twilio would send it, captured from a played call. */
export interface CapturedRequest {
  /** Path and query (the call state travels in the query); the public base URL is prefixed when signing. */
  pathAndQuery: string;
  params: Record<string, string>;
}

export interface CallTemplate {
  name: string;
  weight: number;
  requests: CapturedRequest[];
  /** Manual-clock time the call started: provider Timestamps are replayed relative to it. */
  startedAt: number;
  /** How long the call lasts in (simulated) real time: ringing, talking, prompts, thinking. */
  durationMs: number;
}

/**
 * Plays every call of the mix through a real in-process service (the real engine and webhooks,
 * with a manual clock so ringing and talking take no time) behind a recording proxy, and returns
 * each call's webhooks exactly as sent. The load generator replays them with fresh CallSids.
 */
export async function captureCalls(flowsDir: string): Promise<CallTemplate[]> {
  return withCaptureService(flowsDir, async ({ clock, port: servicePort }) => {
    let log: CapturedRequest[] = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        log.push({ pathAndQuery: req.url ?? '/', params: Object.fromEntries(new URLSearchParams(body.toString())) });
        const fwd = http.request({ host: '127.0.0.1', port: servicePort, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        fwd.on('error', () => res.writeHead(502).end());
        fwd.end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyPort = (proxy.address() as { port: number }).port;
    const caller = captureCaller({ clock }, proxyPort);
    const templates: CallTemplate[] = [];
    try {
      for (const m of CALL_MIX) {
        log = [];
        const startedAt = clock.now();
        const trace = await caller.call(m.script);
        if (trace.ending === 'error') throw new Error(`capturing "${m.name}" failed: ${trace.error}`);
        const bad = trace.requests.find((r) => r.status !== 200);
        if (bad) throw new Error(`capturing "${m.name}": ${bad.path} answered ${bad.status}`);
        templates.push({ name: m.name, weight: m.weight, requests: log, startedAt, durationMs: clock.now() - startedAt });
        clock.advance(60_000);
      }
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
    return templates;
  });
}
