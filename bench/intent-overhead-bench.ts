import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ingestor } from '../src/ingest/ingestor';
import type { CallEvent } from '../src/journey/events';
import { createLogger } from '../src/log';
import { createRollupContribution, DEFAULT_TIME_ZONE } from '../src/metrics/contribution';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import type { Store } from '../src/store/store';

/**
 * What the rollup intents cost on the ingest path: the same deliveries ingested with the intents
 * written, and with their writes made free (the store call answers at once, nothing stored), on the
 * embedded store and, with --mongo URI, on MongoDB. Deliveries are outbox-sized (about 500 events)
 * from 200 calls in progress at once, so most groups hold ended calls, as under load.
 *
 * Usage: node dist/bench/intent-overhead-bench.js [--calls N] [--runs N] [--mongo URI] [--mongo-calls N]
 * Prints figures only.
 */
interface Args {
  calls: number;
  runs: number;
  mongo: string | null;
  /** Calls on MongoDB (FerretDB on SQLite stores some hundred events a second). */
  mongoCalls: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { calls: 20_000, runs: 3, mongo: null, mongoCalls: 400 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--calls') a.calls = Number(argv[i + 1]);
    else if (argv[i] === '--runs') a.runs = Number(argv[i + 1]);
    else if (argv[i] === '--mongo') a.mongo = argv[i + 1];
    else if (argv[i] === '--mongo-calls') a.mongoCalls = Number(argv[i + 1]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

/** One webhook's events per entry: a menu choice, a transfer, the end (the shape of most calls). */
function callWebhooks(n: number, start: number): CallEvent[][] {
  const callSid = 'CA' + n.toString(16).padStart(32, '0');
  const e = (id: string, at: number, step: number, seq: number, rest: object) => ({ id: `${callSid}:${id}`, callSid, at, step, seq, ...rest }) as CallEvent;
  return [
    [
      e('a0', start, 0, 0, { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: `k1:c${n % 997}`, to: '+46101300000', language: 'sv-SE' }),
      e('a1', start, 0, 1, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }),
    ],
    [
      e('b0', start + 6000, 1, 0, { type: 'input.digits', nodeId: 'main', digits: String(1 + (n % 4)), purpose: 'menu' }),
      e('b1', start + 6000, 1, 1, { type: 'node.entered', nodeId: `dept${n % 4}`, nodeType: 'transfer' }),
    ],
    [e('z0', start + 60_000, 99, 0, { type: 'call.ended', status: 'completed', durationSec: 60 })],
  ];
}

/** Deliveries of about 500 events from 200 calls in progress, interleaved webhook by webhook. */
function deliveries(calls: number): CallEvent[][] {
  const base = Date.parse('2026-03-02T07:00:00Z');
  const out: CallEvent[][] = [];
  let batch: CallEvent[] = [];
  const active: CallEvent[][][] = [];
  let next = 0;
  while (next < calls || active.length) {
    while (active.length < 200 && next < calls) {
      active.push(callWebhooks(next, base + next * 180));
      next++;
    }
    for (let i = active.length - 1; i >= 0; i--) {
      batch.push(...active[i].shift()!);
      if (!active[i].length) active.splice(i, 1);
      if (batch.length >= 500) {
        out.push(batch);
        batch = [];
      }
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

interface Result {
  ms: number;
  intentWrites: number;
  groups: number;
}

async function run(store: Store, batches: CallEvent[][], intents: boolean): Promise<Result> {
  let intentWrites = 0;
  let groups = 0;
  const timed: Store = Object.create(store);
  timed.writeRollupIntents = async (put, clear) => {
    intentWrites++;
    if (intents) await store.writeRollupIntents(put, clear);
  };
  timed.putJourneys = async (w) => (groups++, store.putJourneys(w));
  const ingestor = new Ingestor({ store: timed, contribution: createRollupContribution({ timeZone: DEFAULT_TIME_ZONE }), instanceId: 'bench' });
  const t0 = performance.now();
  for (const b of batches) await ingestor.ingest(b);
  await ingestor.close();
  return { ms: performance.now() - t0, intentWrites, groups };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label: string, open: () => Promise<{ store: Store; done: () => Promise<void> }>, a: Args): Promise<void> {
  const calls = label === 'embedded' ? a.calls : Math.min(a.calls, a.mongoCalls);
  const batches = deliveries(calls);
  const results: Record<'with' | 'without', Result[]> = { with: [], without: [] };
  for (let r = 0; r < a.runs; r++) {
    for (const mode of ['with', 'without'] as const) {
      const { store, done } = await open();
      results[mode].push(await run(store, batches, mode === 'with'));
      await done();
    }
  }
  const w = median(results.with.map((x) => x.ms));
  const wo = median(results.without.map((x) => x.ms));
  const one = results.with[0];
  console.log(`${label}: ${calls} calls, ${batches.length} deliveries, ${one.groups} journey writes, ${one.intentWrites} intent writes (median of ${a.runs})`);
  console.log(`  ms per delivery   with intents ${(w / batches.length).toFixed(2)}, intent writes free ${(wo / batches.length).toFixed(2)}`);
  console.log(`  µs per call       with intents ${((w * 1000) / calls).toFixed(1)}, intent writes free ${((wo * 1000) / calls).toFixed(1)}  (+${(((w - wo) / wo) * 100).toFixed(1)} %)`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  await measure(
    'embedded',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-intents-'));
      const store = SqliteStore.open(dir);
      return { store, done: async () => (await store.close(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
    a,
  );
  if (a.mongo) {
    const { MongoStore } = await import('../src/store/mongo/mongo-store');
    const mongoose = (await import('mongoose')).default;
    let n = 0;
    await measure(
      'mongo',
      async () => {
        const u = new URL(a.mongo!);
        u.pathname = `/callpath_bench_intents_${process.pid}_${++n}`;
        const store = await MongoStore.connect(u.toString(), createLogger('silent'));
        return {
          store,
          done: async () => {
            await store.close();
            const c = await mongoose.createConnection(u.toString()).asPromise();
            await c.dropDatabase();
            await c.close();
          },
        };
      },
      a,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
