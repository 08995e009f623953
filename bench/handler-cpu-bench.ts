import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../src/log';
import { createService } from '../src/service';
import { CallStream, type SignedRequest } from './call-stream';
import { captureCalls } from './capture-calls';
import { BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, benchServiceConfig } from './capture-service';
import { statCpuMs } from './machine';

/**
 * CPU per webhook of callpath's own code, without sockets or HTTP parsing: the service's request
 * listener is handed in-memory requests (signed as the webhook bench signs them, 200 calls in
 * progress), and the process's CPU time is read before and after. Unlike a throughput figure it
 * hardly moves with other work on the machine, so it shows what a change to the webhook path saves.
 * "answering" counts until every webhook is answered; "with ingestion" until the outbox has
 * delivered everything to the store (journeys, rollups).
 *
 * Usage: node dist/bench/handler-cpu-bench.js [--webhooks N] [--runs N] [--concurrent N]
 */

interface Args {
  webhooks: number;
  runs: number;
  concurrent: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { webhooks: 60_000, runs: 3, concurrent: 200 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Args;
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = Number(argv[i + 1]);
  }
  return args;
}

/** An IncomingMessage as the listener reads it: method, url, headers, and the body as a stream. */
function fakeRequest(r: SignedRequest): http.IncomingMessage {
  const body = Buffer.from(r.body);
  const req = new PassThrough() as unknown as http.IncomingMessage & PassThrough;
  Object.assign(req, {
    method: 'POST',
    url: r.path,
    complete: true,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), 'x-twilio-signature': r.signature },
  });
  req.end(body);
  return req;
}

/** Just what the webhook listener uses of a ServerResponse. */
function fakeResponse(onEnd: (status: number) => void): http.ServerResponse {
  let status = 200;
  return {
    headersSent: false,
    destroyed: false,
    setHeader() {},
    writeHead(s: number) {
      status = s;
      return this;
    },
    end() {
      onEnd(status);
    },
  } as unknown as http.ServerResponse;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * CPU of every thread of this process except the ingestion thread, in ms: what the core answering
 * webhooks spends (the main thread, V8's helpers and garbage collection, libuv's pool), the figure the
 * webhook bench compares with the Twilio sample. Linux only (/proc); null elsewhere.
 */
function answeringCpuMs(ingestThreadId: number | null | undefined): number | null {
  let ms = 0;
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) if (Number(tid) !== ingestThreadId) ms += statCpuMs(`/proc/self/task/${tid}/stat`);
  } catch {
    return null;
  }
  return ms;
}

async function run(args: Args, stream: CallStream, flowsDir: string): Promise<{ answering: number; total: number; answeringCore: number | null; wallMs: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-handler-'));
  const service = await createService(benchServiceConfig(dataDir, flowsDir, 'warn'), createLogger('warn'));
  // Listening starts the store's background open; the outbox delivers once it is ready. Requests
  // still go straight to the listener below, not through the socket.
  await service.listen(0, '127.0.0.1');
  await service.ready;
  const requests: SignedRequest[] = [];
  for (let i = 0; i < args.webhooks; i++) requests.push(stream.next());
  try {
    const ingestThreadId = service.outbox.stats().thread?.osThreadId;
    const startCpu = cpuMs();
    const startCore = answeringCpuMs(ingestThreadId);
    const startWall = performance.now();
    let next = 0;
    let answered = 0;
    await new Promise<void>((resolve, reject) => {
      const send = () => {
        const r = requests[next++];
        service.handler(
          fakeRequest(r),
          fakeResponse((status) => {
            if (status !== 200) return reject(new Error(`webhook ${r.path} answered ${status}`));
            if (++answered === requests.length) resolve();
            else if (next < requests.length) send();
          }),
        );
      };
      for (let i = 0; i < args.concurrent && next < requests.length; i++) send();
    });
    const answering = cpuMs() - startCpu;
    const endCore = answeringCpuMs(ingestThreadId);
    await service.outbox.stop(120_000);
    const total = cpuMs() - startCpu;
    const answeringCore = startCore === null || endCore === null ? null : ((endCore - startCore) * 1000) / args.webhooks;
    return { answering: (answering * 1000) / args.webhooks, total: (total * 1000) / args.webhooks, answeringCore, wallMs: performance.now() - startWall };
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const flowsDir = path.join(__dirname, '../../ivr-flows');
  const templates = await captureCalls(flowsDir);
  const stream = new CallStream(templates, { authToken: BENCH_AUTH_TOKEN, publicBaseUrl: BENCH_PUBLIC_URL, concurrent: args.concurrent, seed: 1 });
  stream.prefill(args.webhooks * (args.runs + 1));
  console.log(`callpath webhook listener in-process: ${args.webhooks} webhooks, ${args.concurrent} in flight, ${args.runs} runs after a warm-up (Node ${process.version})`);
  await run({ ...args, webhooks: Math.min(args.webhooks, 20_000) }, stream, flowsDir);
  for (let i = 1; i <= args.runs; i++) {
    const r = await run(args, stream, flowsDir);
    const core = r.answeringCore === null ? '' : `, ${r.answeringCore.toFixed(1)} µs of it on the answering threads (all but the ingestion thread)`;
    console.log(`run ${i}: CPU per webhook ${r.answering.toFixed(1)} µs answering${core}, ${r.total.toFixed(1)} µs with ingestion (${Math.round(args.webhooks / (r.wallMs / 1000))} webhooks/s wall)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
