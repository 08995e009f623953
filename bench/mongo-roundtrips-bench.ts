import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { Ingestor } from '../src/ingest/ingestor';
import { Outbox } from '../src/ingest/outbox';
import type { CallEvent } from '../src/journey/events';
import { createLogger } from '../src/log';
import { createRollupContribution, DEFAULT_TIME_ZONE } from '../src/metrics/contribution';
import { MongoStore } from '../src/store/mongo/mongo-store';
import { seededRandom } from './random';
import { captureEventTemplates, syntheticYear } from './year-traffic';

/**
 * Round trips to MongoDB per ended call on the Mongo store, counted exactly with the driver's command
 * monitoring (one command sent is one round trip), and FerretDB's catch-up after a backlog.
 *
 * Calls are realistic synthetic ones (200 templates played through the real flow, then spread over a
 * weekday of a large municipality's year, as the metrics bench does). Three runs, each on a fresh
 * database of one FerretDB started here (scripts/ferretdb.sh; its first build takes minutes):
 * - whole calls: every call's events at once, in deliveries of about 500 events, as the metrics bench
 *   loads its year (and as the outbox delivers a backlog);
 * - webhook by webhook: each call's events split where the step or time changes (one webhook each),
 *   calls starting at random (Poisson) so that `--in-progress` are in progress on average, each webhook
 *   at its own time; one delivery holds what arrives within 20 ms of its first webhook (the outbox's
 *   linger), at most 500 events. The deliveries are then ingested back to back, as fast as the store
 *   takes them: the round trips are those of the live pace, the rate is the most this store sustains
 *   with deliveries that small. Fewer calls than the other runs (`--webhook-calls`): FerretDB scans a
 *   whole collection for each of a delivery's reads, so this run's time grows with their square.
 * - catch-up: the webhooks of the calls, in that order, fed to an Outbox (journal: null) faster than
 *   the store ingests (`--feed-factor` times the whole-calls run's event rate in its first tenth, on a
 *   database as empty as this one is at the start) for `--load-seconds`, then no
 *   more: how long until the outbox is empty, and events stored per second meanwhile.
 * Each ingests through Ingestor with the real rollups (createRollupContribution). The round trips are
 * exact and do not depend on the machine; the rates and times are of one run on a shared machine.
 * "ms each" is a command's time from sending to answer on its connection. FerretDB is used with one
 * connection (maxPoolSize=1), as the tests use it: commands sent together queue in the driver first.
 *
 * Usage: node dist/bench/mongo-roundtrips-bench.js [--calls N] [--webhook-calls N] [--in-progress N]
 *   [--load-seconds S] [--feed-factor F] [--uri URI (an existing server instead of starting FerretDB)]
 * Prints figures only.
 */
interface Args {
  calls: number;
  /** Calls of the webhook-by-webhook run: FerretDB scans whole collections per delivery, so its time grows with the square of this. */
  webhookCalls: number;
  inProgress: number;
  loadSeconds: number;
  feedFactor: number;
  uri: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { calls: 5_000, webhookCalls: 200, inProgress: 200, loadSeconds: 30, feedFactor: 2, uri: null };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--calls') a.calls = Number(v);
    else if (argv[i] === '--webhook-calls') a.webhookCalls = Number(v);
    else if (argv[i] === '--in-progress') a.inProgress = Number(v);
    else if (argv[i] === '--load-seconds') a.loadSeconds = Number(v);
    else if (argv[i] === '--feed-factor') a.feedFactor = Number(v);
    else if (argv[i] === '--uri') a.uri = v;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

const YEAR = 2025;
/** Calls of a large municipality's year (as the year bench); the bench takes a weekday's worth of them. */
const YEAR_CALLS = 1_000_000;
/** A Monday morning, 08:00 in Stockholm: the calls taken start here. */
const FROM = Date.parse('2025-03-03T07:00:00Z');
const BATCH_EVENTS = 500;
const LINGER_MS = 20;

/** `count` calls of the synthetic year from FROM on, each its events in order. */
function takeCalls(templates: Parameters<typeof syntheticYear>[0], count: number, seed: number): CallEvent[][] {
  const out: CallEvent[][] = [];
  for (const call of syntheticYear(templates, { year: YEAR, calls: YEAR_CALLS, timeZone: DEFAULT_TIME_ZONE, seed })) {
    if (call[0].at < FROM) continue;
    out.push(call);
    if (out.length === count) break;
  }
  return out;
}

/** Whole calls in deliveries of about BATCH_EVENTS events (a call is never split). */
function wholeCallDeliveries(calls: CallEvent[][]): CallEvent[][] {
  const out: CallEvent[][] = [];
  let batch: CallEvent[] = [];
  for (const call of calls) {
    batch.push(...call);
    if (batch.length >= BATCH_EVENTS) {
      out.push(batch);
      batch = [];
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

/** A call's webhooks: its events split where the step or the time changes, or the position within a request starts again. */
function webhooksOf(call: CallEvent[]): CallEvent[][] {
  const out: CallEvent[][] = [];
  for (const e of call) {
    const last = out.at(-1)?.at(-1);
    if (!last || last.step !== e.step || last.at !== e.at || e.seq <= last.seq) out.push([e]);
    else out.at(-1)!.push(e);
  }
  return out;
}

interface Webhook {
  at: number;
  events: CallEvent[];
}

/**
 * Every webhook of the calls in time order, the calls moved to start as a Poisson process with
 * `inProgress` calls in progress on average (Little's law: starts per second = in progress / mean length).
 */
function webhookStream(calls: CallEvent[][], inProgress: number, seed: number): { webhooks: Webhook[]; startsPerSec: number; meanCallSec: number } {
  const rand = seededRandom(seed);
  const meanCallMs = calls.reduce((s, c) => s + (c[c.length - 1].at - c[0].at), 0) / calls.length;
  const startsPerMs = inProgress / meanCallMs;
  const webhooks: Webhook[] = [];
  let t = FROM;
  for (const call of calls) {
    t += -Math.log(1 - rand()) / startsPerMs;
    const shift = t - call[0].at;
    for (const w of webhooksOf(call)) {
      const events = w.map((e) => ({ ...e, at: e.at + shift }));
      webhooks.push({ at: events[0].at, events });
    }
  }
  webhooks.sort((a, b) => a.at - b.at);
  return { webhooks, startsPerSec: startsPerMs * 1000, meanCallSec: meanCallMs / 1000 };
}

/** The outbox's deliveries at that pace: what arrives within LINGER_MS of a delivery's first webhook, at most BATCH_EVENTS events. */
function lingerDeliveries(webhooks: Webhook[]): CallEvent[][] {
  const out: CallEvent[][] = [];
  let batch: CallEvent[] = [];
  let opened = -Infinity;
  for (const w of webhooks) {
    if (batch.length && (w.at - opened >= LINGER_MS || batch.length >= BATCH_EVENTS)) {
      out.push(batch);
      batch = [];
    }
    if (!batch.length) opened = w.at;
    batch.push(...w.events);
  }
  if (batch.length) out.push(batch);
  return out;
}

/** Commands sent while counting, by command and collection, and how long their answers took. */
class CommandCounter {
  counting = false;
  readonly counts = new Map<string, number>();
  readonly ms = new Map<string, number>();
  private readonly open = new Map<number, string>();

  readonly onCommand = (e: mongoose.mongo.CommandStartedEvent | mongoose.mongo.CommandSucceededEvent | mongoose.mongo.CommandFailedEvent): void => {
    if ('command' in e) {
      if (!this.counting) return;
      const collection = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
      const key = `${e.commandName} ${typeof collection === 'string' ? collection : ''}`.trim();
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.open.set(e.requestId, key);
      return;
    }
    const key = this.open.get(e.requestId);
    if (key === undefined) return;
    this.open.delete(e.requestId);
    this.ms.set(key, (this.ms.get(key) ?? 0) + e.duration);
  };

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
}

/** Which store call sends each command. */
const SENT_BY: Record<string, string> = {
  'insert events': 'appendEvents',
  'find journeys': 'getJourneys',
  'find events': 'eventsForCalls',
  'getMore events': 'eventsForCalls (further batches)',
  'insert journeys': 'putJourneys (new calls)',
  'update journeys': 'putJourneys (calls stored before)',
  'delete rollupintents': 'writeRollupIntents (clears)',
  'update rollupintents': 'writeRollupIntents (intent)',
  'update rollups': 'applyRollups',
};

function printCounts(counter: CommandCounter, endedCalls: number): void {
  const rows = [...counter.counts].sort((a, b) => b[1] - a[1]);
  console.log(`    ${'command'.padEnd(22)} ${'per call'.padStart(8)} ${'ms each'.padStart(8)}   sent by`);
  for (const [key, n] of rows) {
    const ms = (counter.ms.get(key) ?? 0) / n;
    console.log(`    ${key.padEnd(22)} ${(n / endedCalls).toFixed(2).padStart(8)} ${ms.toFixed(1).padStart(8)}   ${SENT_BY[key] ?? ''}`);
  }
  console.log(`    ${'all commands'.padEnd(22)} ${(counter.total / endedCalls).toFixed(2).padStart(8)}`);
}

interface Db {
  store: MongoStore;
  counter: CommandCounter;
  done: () => Promise<void>;
}

/**
 * A fresh database. `patient`: requests may take as long as they take (the runs that call the ingestor
 * directly have no outbox to retry a request the store's usual 20 s limit gave up: FerretDB's scans
 * grow with the database); without it, the store's default.
 */
async function openDb(uri: string, name: string, patient: boolean): Promise<Db> {
  const u = new URL(uri);
  u.pathname = `/callpath_roundtrips_${name}_${process.pid}`;
  const counter = new CommandCounter();
  const store = await MongoStore.connect(u.toString(), createLogger('silent'), { onCommand: counter.onCommand, ...(patient ? { operationTimeoutMS: 3_600_000 } : {}) });
  return {
    store,
    counter,
    done: async () => {
      await store.close();
      const c = await mongoose.createConnection(u.toString()).asPromise();
      await c.dropDatabase();
      await c.close();
    },
  };
}

const newIngestor = (store: MongoStore) => new Ingestor({ store, contribution: createRollupContribution({ timeZone: DEFAULT_TIME_ZONE }), instanceId: 'bench' });

/** Ingests the deliveries one after the other; counts the commands from the first to the intents' last clear. Returns events per second in the first tenth of the deliveries. */
async function ingestDeliveries(label: string, db: Db, deliveries: CallEvent[][], endedCalls: number): Promise<number> {
  const ingestor = newIngestor(db.store);
  const events = deliveries.reduce((s, d) => s + d.length, 0);
  const tenth = Math.max(1, Math.floor(deliveries.length / 10));
  let firstTenthMs = 0;
  let firstTenthEvents = 0;
  let lastTenthMs = 0;
  db.counter.counting = true;
  const t0 = performance.now();
  for (let i = 0; i < deliveries.length; i++) {
    const t = performance.now();
    await ingestor.ingest(deliveries[i]);
    if (i < tenth) {
      firstTenthMs += performance.now() - t;
      firstTenthEvents += deliveries[i].length;
    }
    if (i >= deliveries.length - tenth) lastTenthMs += performance.now() - t;
  }
  await ingestor.close();
  const s = (performance.now() - t0) / 1000;
  db.counter.counting = false;
  console.log(label);
  console.log(`  ${endedCalls} calls, ${events} events, ${deliveries.length} deliveries (${(events / deliveries.length).toFixed(1)} events, ${(endedCalls / deliveries.length).toFixed(2)} ended calls each)`);
  console.log(`  ingested in ${s.toFixed(1)} s: ${(endedCalls / s).toFixed(1)} calls/s, ${(events / s).toFixed(0)} events/s`);
  console.log(`  ms per delivery         ${((s * 1000) / deliveries.length).toFixed(1)}: ${(firstTenthMs / tenth).toFixed(1)} in the first tenth, ${(lastTenthMs / tenth).toFixed(1)} in the last (the store fills)`);
  console.log(`  round trips per ended call, by command and collection:`);
  printCounts(db.counter, endedCalls);
  return firstTenthEvents / (firstTenthMs / 1000);
}

/**
 * Feeds the webhooks to an Outbox delivering to the ingestor, `rate` webhooks a second for
 * `seconds`, then stops feeding and waits until the outbox is empty.
 */
async function catchUp(db: Db, webhooks: Webhook[], rate: number, seconds: number): Promise<void> {
  const ingestor = newIngestor(db.store);
  const outbox = new Outbox((events) => ingestor.ingest(events), { journal: null, maxInMemory: 10_000_000, log: createLogger('silent') });
  let sent = 0;
  let events = 0;
  let ended = 0;
  db.counter.counting = true;
  const t0 = performance.now();
  const loadMs = seconds * 1000;
  for (;;) {
    await new Promise<void>((r) => setTimeout(r, 1));
    const elapsed = performance.now() - t0;
    const due = Math.min(webhooks.length, Math.floor((Math.min(elapsed, loadMs) / 1000) * rate));
    while (sent < due) {
      const w = webhooks[sent++].events;
      events += w.length;
      for (const e of w) if (e.type === 'call.ended') ended++;
      outbox.enqueue(w);
    }
    if (elapsed >= loadMs || sent === webhooks.length) break;
  }
  const tStop = performance.now();
  const atStop = outbox.stats();
  const storedDuringLoad = atStop.delivered;
  const commandsAtStop = db.counter.total;
  while (outbox.stats().pending > 0) await new Promise<void>((r) => setTimeout(r, 5));
  const tEmpty = performance.now();
  const backlog = events - storedDuringLoad;
  await ingestor.close();
  db.counter.counting = false;
  const { delivered: deliveredAfter, failures } = outbox.stats();
  await outbox.stop();
  const loadS = (tStop - t0) / 1000;
  const catchS = (tEmpty - tStop) / 1000;
  console.log(`catch-up: the webhooks of calls in progress fed to an Outbox (journal: null) on an empty database at ${rate.toFixed(0)} webhooks/s for ${loadS.toFixed(1)} s, then none:`);
  console.log(`  fed ${sent} webhooks, ${events} events, ${ended} calls ended (${(events / loadS).toFixed(0)} events/s)`);
  console.log(`  stored while fed        ${storedDuringLoad} events (${(storedDuringLoad / loadS).toFixed(0)} events/s); backlog at stop ${backlog} events`);
  console.log(`  outbox empty after      ${catchS.toFixed(1)} s from the stop: ${(backlog / catchS).toFixed(0)} events/s stored during the catch-up`);
  console.log(`  all stored              ${deliveredAfter === events ? 'yes' : `no (${deliveredAfter} of ${events})`}; ${failures} failed deliveries (retried)`);
  console.log(`  round trips             ${(db.counter.total / ended).toFixed(2)} per ended call in all (${((db.counter.total - commandsAtStop) / Math.max(1, backlog)).toFixed(3)} per event during the catch-up)`);
  printCounts(db.counter, ended);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function ferretdb(repoRoot: string, runDir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [path.join(repoRoot, 'scripts/ferretdb.sh'), ...args], { env: { ...process.env, FERRETDB_RUN_DIR: runDir } }, (err, stdout, stderr) =>
      err ? reject(new Error(`ferretdb.sh ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..', '..');
  let runDir: string | null = null;
  let uri = a.uri;
  const stopFerret = async () => {
    if (!runDir) return;
    const dir = runDir;
    runDir = null;
    await ferretdb(repoRoot, dir, 'stop').catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stopFerret().finally(() => process.exit(130)));
  try {
    if (!uri) {
      runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-roundtrips-'));
      // One connection, as the tests use FerretDB: with more, its concurrent writes to one document lose updates (tools/ferretdb/README.md).
      uri = `${await ferretdb(repoRoot, runDir, 'start', String(await freePort()))}?maxPoolSize=1`;
    }
    const templates = await captureEventTemplates(path.join(repoRoot, 'ivr-flows'), 200, 20250101);
    const calls = takeCalls(templates, a.calls, 20250102);
    const events = calls.reduce((s, c) => s + c.length, 0);
    const webhooks = calls.reduce((s, c) => s + webhooksOf(c).length, 0);
    console.log(`${calls.length} calls from ${new Date(calls[0][0].at).toISOString()}: ${(events / calls.length).toFixed(1)} events and ${(webhooks / calls.length).toFixed(1)} webhooks per call; ${a.uri ? 'given server' : 'FerretDB (SQLite) started here, maxPoolSize=1'}`);

    /** Events per second while the database was nearly empty, as it is when the catch-up run starts. */
    let wholeEventsPerSec: number;
    {
      const db = await openDb(uri, 'whole', true);
      wholeEventsPerSec = await ingestDeliveries(`whole calls, deliveries of about ${BATCH_EVENTS} events:`, db, wholeCallDeliveries(calls), calls.length);
      await db.done();
    }
    {
      const db = await openDb(uri, 'webhooks', true);
      const some = calls.slice(0, a.webhookCalls);
      const stream = webhookStream(some, a.inProgress, 7);
      const deliveries = lingerDeliveries(stream.webhooks);
      const label = `webhook by webhook: ${a.inProgress} calls in progress (a call starts every ${(1 / stream.startsPerSec).toFixed(2)} s, lasts ${stream.meanCallSec.toFixed(0)} s on average), a delivery of what arrives within ${LINGER_MS} ms:`;
      await ingestDeliveries(label, db, deliveries, some.length);
      await db.done();
    }
    {
      const db = await openDb(uri, 'catchup', false);
      const stream = webhookStream(calls, a.inProgress, 8);
      const eventsPerWebhook = events / stream.webhooks.length;
      await catchUp(db, stream.webhooks, (a.feedFactor * wholeEventsPerSec) / eventsPerWebhook, a.loadSeconds);
      await db.done();
    }
  } finally {
    await stopFerret();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
