import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CallEvent } from '../src/journey/events';
import type { Journey } from '../src/journey/journey';
import { projectJourney } from '../src/journey/projector';
import { EmbeddedStore } from '../src/store/embedded/embedded-store';
import type { RollupDelta } from '../src/store/store';
import { callEvents, sampleLoopGaps, sidOf } from './synthetic-calls';

/**
 * How long the embedded store's file rewrites hold the event loop: a journeys compaction, a rollups
 * compaction and a retention deletion over a store of synthetic calls, while a trickle of writes
 * stands in for the webhooks that the same process must keep answering (Twilio gives up after 15 s).
 *
 * Usage: node dist/bench/store-rewrite-bench.js [--calls N] [--rollupDocs N]
 * Prints figures only.
 */

interface Args {
  calls: number;
  rollupDocs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { calls: 200_000, rollupDocs: 50_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Args;
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = Number(argv[i + 1]);
  }
  return args;
}

const T0 = Date.parse('2025-03-02T08:00:00Z');
const MINUTE = 60_000;

function rollupDelta(i: number, n: number): RollupDelta {
  const hour = new Date(T0 + Math.floor(i / 50) * 3_600_000).toISOString().slice(0, 13);
  return { flowId: 'vaxel', flowVersion: 'v1', hour, dim: `node:n${i % 50}`, counts: { entered: n, exited: n } };
}

/** Runs `work` while webhook-like writes arrive every 2 ms; reports the longest stall of the loop. */
async function measure(label: string, store: EmbeddedStore, work: () => Promise<unknown>, nextSid: () => number): Promise<void> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let writes = 0;
  const trickle = setInterval(() => {
    const i = nextSid();
    const events = callEvents(sidOf(i), T0 + i * MINUTE);
    void store.appendEvents(events);
    void store.putJourneys([{ journey: projectJourney(sidOf(i), events), expectedEventCount: null }]);
    writes++;
  }, 2);
  // Let the trickle and the monitor settle before the work starts.
  await new Promise((r) => setTimeout(r, 200));
  h.reset();
  h.enable();
  // The histogram samples on a timer: a stall that ends just before disable() would go unrecorded.
  const stopGaps = sampleLoopGaps();
  const started = performance.now();
  await work();
  await settled(store);
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 50));
  const longest = stopGaps().longestMs;
  h.disable();
  clearInterval(trickle);
  console.log(
    `${label.padEnd(22)} rewrite ${ms.toFixed(0).padStart(6)} ms   longest stall ${Math.max(longest, h.max / 1e6).toFixed(1).padStart(7)} ms   p99 stall ${(h.percentile(99) / 1e6).toFixed(1).padStart(6)} ms   writes during it ${writes}`,
  );
}

/** Compactions run in the background: the rewrite lasts until they are done. */
const settled = (store: EmbeddedStore) => store.settled();

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-rewrite-bench-'));
  try {
    const store = EmbeddedStore.open(dir);
    let next = 0;
    const journeys: Journey[] = [];
    const t = performance.now();
    for (let i = 0; i < args.calls; i += 1000) {
      const events: CallEvent[] = [];
      for (let k = i; k < Math.min(args.calls, i + 1000); k++) {
        const ev = callEvents(sidOf(k), T0 + k * MINUTE);
        events.push(...ev);
        journeys.push(projectJourney(sidOf(k), ev));
      }
      await store.appendEvents(events);
    }
    next = args.calls;
    // Each journey written four times: the file is then just short of the compaction trigger (4× live).
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < journeys.length; i += 1000) {
        // The first round writes them, the later ones rewrite them over themselves.
        await store.putJourneys(journeys.slice(i, i + 1000).map((journey) => ({ journey, expectedEventCount: round ? journey.eventCount : null })));
      }
      await settled(store);
    }
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < args.rollupDocs; i += 1000) {
        const deltas: RollupDelta[] = [];
        for (let k = i; k < Math.min(args.rollupDocs, i + 1000); k++) deltas.push(rollupDelta(k, 1));
        await store.applyRollups(deltas);
      }
      await settled(store);
    }
    const sizeMiB = (f: string) => (fs.statSync(path.join(dir, f)).size / 2 ** 20).toFixed(0);
    console.log(
      `store: ${args.calls} calls, ${args.rollupDocs} rollup docs, built in ${((performance.now() - t) / 1000).toFixed(1)} s; ` +
        `events ${sizeMiB('events.jsonl')} MiB, journeys ${sizeMiB('journeys.jsonl')} MiB, rollups ${sizeMiB('rollups.jsonl')} MiB`,
    );
    const nextSid = () => next++;
    const lines = (f: string) => {
      let n = 0;
      const buf = Buffer.alloc(8 * 2 ** 20);
      const fd = fs.openSync(path.join(dir, f), 'r');
      for (let got; (got = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) for (let i = 0; i < got; i++) if (buf[i] === 0x0a) n++;
      fs.closeSync(fd);
      return n;
    };

    console.log(`journeys lines before: ${lines('journeys.jsonl')}`);
    // Past 4× the live journeys: the next write compacts the journeys file.
    await measure('journeys compaction', store, () => store.putJourneys(journeys.slice(0, 1000).map((journey) => ({ journey, expectedEventCount: journey.eventCount }))), nextSid);
    await measure('rollups compaction', store, () => store.applyRollups(Array.from({ length: 1000 }, (_, k) => rollupDelta(k, 1))), nextSid);
    // A month of a year's calls ages out: events and journeys files rewritten without them.
    const cutoff = new Date(T0 + Math.floor(args.calls / 12) * MINUTE).toISOString();
    await measure('retention deletion', store, () => store.deleteCallsBefore(cutoff), nextSid);
    console.log(`after: events ${sizeMiB('events.jsonl')} MiB, journeys ${sizeMiB('journeys.jsonl')} MiB (${lines('journeys.jsonl')} lines), rollups ${sizeMiB('rollups.jsonl')} MiB`);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
