import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallEvent } from '../src/journey/events';
import type { Journey } from '../src/journey/journey';
import { projectJourney } from '../src/journey/projector';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { callEvents, sampleLoopGaps, sidOf } from './synthetic-calls';

/**
 * How long the embedded store takes to open at start-up and answer its first reads (the newest
 * calls, as the dashboard's list asks), and how long that holds the event loop; then the longest
 * event-loop stall while retention deletes every stored call (webhooks wait at most that long).
 *
 * Usage: node --expose-gc dist/bench/store-load-bench.js [--calls N]
 * Prints figures only.
 */

const T0 = Date.parse('2025-03-02T08:00:00Z');
const MINUTE = 60_000;

function parseArgs(argv: string[]): { calls: number } {
  const args = { calls: 200_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof typeof args;
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = Number(argv[i + 1]);
  }
  return args;
}

/** Runs `work`, sampling the event loop every millisecond: the longest gap between two samples is the longest stall. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; stallMs: number; over50: number }> {
  const stop = sampleLoopGaps();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 20));
  const { longestMs, over50 } = stop();
  return { result, ms, stallMs: longestMs, over50 };
}

/** A store folder of `calls` calls, built and closed; nothing of it stays in memory. */
async function buildStore(dir: string, calls: number): Promise<Journey[]> {
  const build = SqliteStore.open(dir);
  const journeys: Journey[] = [];
  for (let i = 0; i < calls; i += 1000) {
    const events: CallEvent[] = [];
    for (let k = i; k < Math.min(calls, i + 1000); k++) {
      const ev = callEvents(sidOf(k), T0 + k * MINUTE);
      events.push(...ev);
      journeys.push(projectJourney(sidOf(k), ev));
    }
    await build.appendEvents(events);
  }
  for (let i = 0; i < journeys.length; i += 1000) {
    await build.putJourneys(journeys.slice(i, i + 1000).map((journey) => ({ journey, expectedEventCount: null })));
  }
  await build.close();
  return journeys.slice(0, 1000);
}

async function main(): Promise<void> {
  const { calls } = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-load-bench-'));
  try {
    await buildStore(dir, calls);
    global.gc?.();
    const mib = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size / 2 ** 20 : 0);
    console.log(`store: ${calls} calls; database ${mib('callpath.sqlite').toFixed(0)} MiB, WAL ${mib('callpath.sqlite-wal').toFixed(0)} MiB`);
    const open = await longestStall(async () => {
      const store = SqliteStore.open(dir);
      await store.listJourneys({ limit: 50 });
      return store;
    });
    console.log(`open and first read   ${open.ms.toFixed(1).padStart(8)} ms   longest stall ${open.stallMs.toFixed(0).padStart(6)} ms`);
    // Retention's hourly run on a day when every stored call has expired: the worst case it meets.
    const cutoff = new Date(T0 + (calls + 1) * MINUTE).toISOString();
    const retention = await longestStall(() => open.result.deleteCallsBefore(cutoff));
    console.log(
      `retention of ${retention.result.journeys} calls ${(retention.ms / 1000).toFixed(1).padStart(6)} s   longest stall ${retention.stallMs.toFixed(0).padStart(6)} ms   stalls over 50 ms: ${retention.over50}   (goal: under 20 ms)`,
    );
    await open.result.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
