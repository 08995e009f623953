import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Ingestor } from '../src/ingest/ingestor';
import { Outbox } from '../src/ingest/outbox';
import { OutboxJournal } from '../src/ingest/outbox-journal';
import type { CallEvent } from '../src/journey/events';
import { createLogger } from '../src/log';
import { createRollupContribution, DEFAULT_TIME_ZONE } from '../src/metrics/contribution';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { CALL_MIX } from './call-scripts';
import { captureCaller, withCaptureService } from './capture-service';

/**
 * The event write path alone, without HTTP or the engine: each webhook's events go into an Outbox
 * journaled on disk, delivered to an Ingestor over an embedded store with the real rollups. It
 * shows what that path costs per webhook, which the webhook bench only shows mixed with the rest.
 *
 * Usage: node dist/bench/write-path-bench.js [--webhooks N] [--runs N] [--concurrent N] [--rate N]
 * Prints figures only.
 */

/** One captured call: the events each of its webhooks recorded, in order. */
interface EventTemplate {
  weight: number;
  webhooks: CallEvent[][];
}

interface Args {
  webhooks: number;
  runs: number;
  concurrent: number;
  /** Webhooks per second for the paced run (the target for one core). */
  rate: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { webhooks: 40_000, runs: 3, concurrent: 200, rate: 8_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Args;
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = Number(argv[i + 1]);
  }
  return args;
}

/** Plays every call of the webhook bench's mix through a real in-process service and keeps what each webhook recorded. */
async function captureEvents(flowsDir: string): Promise<EventTemplate[]> {
  return withCaptureService(flowsDir, async ({ service, clock, port }) => {
    let current: CallEvent[][] = [];
    service.onEvents.add((events) => current.push(events.map((e) => ({ ...e }))));
    const caller = captureCaller({ clock }, port);
    const templates: EventTemplate[] = [];
    for (const m of CALL_MIX) {
      current = [];
      const trace = await caller.call(m.script);
      if (trace.ending === 'error') throw new Error(`capturing "${m.name}" failed: ${trace.error}`);
      templates.push({ weight: m.weight, webhooks: current.filter((w) => w.length > 0) });
      clock.advance(60_000);
    }
    return templates;
  });
}

/**
 * Webhook-sized event batches from `concurrent` calls in progress at once, interleaved as Twilio
 * sends them; each new call gets a fresh CallSid, fresh ids and current times, so it is stored as new.
 */
class EventStream {
  private readonly cumulative: number[];
  private readonly total: number;
  private readonly active: { webhooks: CallEvent[][]; next: number }[] = [];
  private cursor = 0;
  private callNo = 0;

  constructor(
    private readonly templates: EventTemplate[],
    private readonly concurrent: number,
    seed: number,
  ) {
    let acc = 0;
    this.cumulative = templates.map((t) => (acc += t.weight));
    this.total = acc;
    this.callNo = seed;
  }

  next(): CallEvent[] {
    if (this.active.length < this.concurrent) this.active.push({ webhooks: this.newCall(), next: 0 });
    const i = this.cursor++ % this.active.length;
    let call = this.active[i];
    if (call.next >= call.webhooks.length) call = this.active[i] = { webhooks: this.newCall(), next: 0 };
    return call.webhooks[call.next++];
  }

  private newCall(): CallEvent[][] {
    const n = this.callNo++;
    // The same low-discrepancy walk through the weights as the webhook bench's call stream.
    const x = ((n * 0.6180339887) % 1) * this.total;
    const idx = this.cumulative.findIndex((c) => x < c);
    const t = this.templates[idx === -1 ? this.templates.length - 1 : idx];
    const callSid = 'CA' + n.toString(16).padStart(32, '0');
    const t0 = t.webhooks[0][0].at;
    const now = Date.now();
    // A caller of its own per call, as the webhook bench's fresh From: the captured calls share one
    // caller, which made every ended call read all the earlier ones as that caller's week of calls.
    const caller = `k1:${n.toString(16).padStart(32, '0')}`;
    return t.webhooks.map((events, w) =>
      events.map((e) => {
        const out = { ...e, id: `${n.toString(36)}-${w}:${e.seq}`, callSid, at: now + (e.at - t0) };
        return out.type === 'call.started' && out.caller ? { ...out, caller } : out;
      }),
    );
  }
}

interface RunResult {
  webhooks: number;
  events: number;
  wallMs: number;
  cpuMs: number;
  enqueueMs: number;
  batches: number;
  /** Event-loop delay: how long a webhook arriving meanwhile could have waited (p99 and worst). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/**
 * Feeds `webhooks` webhooks to a fresh outbox + ingestor + embedded store and waits until all are
 * stored. Unpaced, one webhook per event-loop turn (as a server takes one request per callback);
 * paced, the webhooks due at `rate` per second every millisecond.
 */
async function run(templates: EventTemplate[], a: Args, seed: number, rate: number | null): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-write-'));
  const log = createLogger('silent');
  const store = SqliteStore.open(path.join(dir, 'store'));
  const ingestor = new Ingestor({ store, contribution: createRollupContribution({ timeZone: DEFAULT_TIME_ZONE }) });
  let batches = 0;
  const outbox = new Outbox(
    (events) => {
      batches++;
      return ingestor.ingest(events);
    },
    { journal: OutboxJournal.open(path.join(dir, 'outbox')), maxInMemory: 200_000, log },
  );
  const stream = new EventStream(templates, a.concurrent, seed);
  const batchesToSend = Array.from({ length: a.webhooks }, () => stream.next());
  let events = 0;
  let enqueueNs = 0n;
  const send = (i: number) => {
    const b = batchesToSend[i];
    events += b.length;
    const t = process.hrtime.bigint();
    outbox.enqueue(b);
    enqueueNs += process.hrtime.bigint() - t;
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (rate === null) {
    for (let i = 0; i < a.webhooks; i++) {
      send(i);
      await new Promise<void>((r) => setImmediate(r));
    }
  } else {
    let sent = 0;
    while (sent < a.webhooks) {
      await new Promise<void>((r) => setTimeout(r, 1));
      const due = Math.min(a.webhooks, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) send(sent++);
    }
  }
  if (!(await outbox.flush(120_000))) throw new Error('outbox did not empty');
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  await outbox.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { webhooks: a.webhooks, events, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, enqueueMs: Number(enqueueNs) / 1e6, batches, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function report(label: string, results: RunResult[]): void {
  const pick = (f: (r: RunResult) => number) => median(results.map(f));
  const r = results[0];
  console.log(label);
  console.log(`  webhooks per run        ${r.webhooks} (${r.events} events), median of ${results.length} runs`);
  console.log(`  events/s (wall)         ${pick((x) => x.events / (x.wallMs / 1000)).toFixed(0)}`);
  console.log(`  webhooks/s (wall)       ${pick((x) => x.webhooks / (x.wallMs / 1000)).toFixed(0)}`);
  console.log(`  µs per webhook, wall    ${pick((x) => (x.wallMs * 1000) / x.webhooks).toFixed(1)}  (enqueue + delivery + store, until flushed)`);
  console.log(`  µs per webhook, CPU     ${pick((x) => (x.cpuMs * 1000) / x.webhooks).toFixed(1)}  (user + system)`);
  console.log(`  µs per enqueue call     ${pick((x) => (x.enqueueMs * 1000) / x.webhooks).toFixed(1)}  (what the webhook itself waits for)`);
  console.log(`  events per delivery     ${pick((x) => x.events / x.batches).toFixed(1)}`);
  console.log(`  event-loop delay, ms    p99 ${pick((x) => x.loopDelayP99Ms).toFixed(1)}, max ${pick((x) => x.loopDelayMaxMs).toFixed(1)}  (a webhook's wait behind this work)`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..', '..');
  const templates = await captureEvents(path.join(repoRoot, 'ivr-flows'));
  const perCall = templates.map((t) => `${t.webhooks.length}/${t.webhooks.flat().length}`).join(' ');
  console.log(`captured ${templates.length} calls (webhooks/events each: ${perCall})`);
  // One unmeasured run warms the JIT and the file system.
  await run(templates, { ...a, webhooks: Math.min(a.webhooks, 5_000) }, 1, null);
  const unpaced: RunResult[] = [];
  const paced: RunResult[] = [];
  for (let i = 0; i < a.runs; i++) unpaced.push(await run(templates, a, 1_000_000 * (i + 1), null));
  for (let i = 0; i < a.runs; i++) paced.push(await run(templates, a, 50_000_000 + 1_000_000 * (i + 1), a.rate));
  report('as fast as possible, one webhook per event-loop turn:', unpaced);
  report(`paced at ${a.rate} webhooks/s:`, paced);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
