import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallEvent } from '../src/journey/events';
import type { Journey } from '../src/journey/journey';
import { projectJourney } from '../src/journey/projector';
import { EmbeddedStore } from '../src/store/embedded/embedded-store';
import { callEvents, sampleLoopGaps, sidOf } from './synthetic-calls';

/**
 * How long the embedded store takes to open at start-up, and how long the asynchronous load the
 * service uses holds the event loop meanwhile (the webhooks answered during the load wait at most
 * that long). Then how long close() takes while a journeys compaction runs (it gives the compaction
 * up), against how long that compaction takes to the end.
 *
 * Usage: node --expose-gc dist/bench/store-load-bench.js [--calls N] [--chunkKiB N]
 * Prints figures only.
 */

const T0 = Date.parse('2025-03-02T08:00:00Z');
const MINUTE = 60_000;

function parseArgs(argv: string[]): { calls: number; chunkKiB: number } {
  const args = { calls: 200_000, chunkKiB: 256 };
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
  const build = EmbeddedStore.open(dir);
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
  // Each journey four times, as a store just short of its compaction trigger (4× live) holds them.
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < journeys.length; i += 1000) {
      await build.putJourneys(journeys.slice(i, i + 1000).map((journey) => ({ journey, expectedEventCount: round ? journey.eventCount : null })));
    }
    await build.settled();
  }
  await build.close();
  return journeys.slice(0, 1000);
}

async function main(): Promise<void> {
  const { calls, chunkKiB } = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-load-bench-'));
  try {
    const journeys = await buildStore(dir, calls);
    global.gc?.();
    const mib = (f: string) => fs.statSync(path.join(dir, f)).size / 2 ** 20;
    console.log(`store: ${calls} calls; events ${mib('events.jsonl').toFixed(0)} MiB, journeys ${mib('journeys.jsonl').toFixed(0)} MiB`);

    const load = await longestStall(() => EmbeddedStore.load(dir, { chunkBytes: chunkKiB * 1024 }));
    console.log(
      `load (asynchronous, now)     ${(load.ms / 1000).toFixed(1).padStart(6)} s   longest stall ${load.stallMs.toFixed(0).padStart(6)} ms   stalls over 50 ms: ${load.over50}   (${load.result.loadReport?.calls} calls, ${load.result.loadReport?.journeys} journeys, ${chunkKiB} KiB chunks)`,
    );
    const store = load.result;
    // One more write passes 4× the live journeys: a compaction starts in the background.
    await store.putJourneys(journeys.slice(0, 1000).map((journey) => ({ journey, expectedEventCount: journey.eventCount })));
    await new Promise((r) => setTimeout(r, 200));
    const t = performance.now();
    await store.close();
    console.log(`close during a journeys compaction: ${(performance.now() - t).toFixed(0)} ms (compaction given up)`);

    const again = EmbeddedStore.open(dir);
    const full = performance.now();
    await again.settled();
    console.log(`the same compaction to the end:     ${(performance.now() - full).toFixed(0)} ms (what close waited for before)`);
    await again.close();
    global.gc?.();

    const sync = await longestStall(async () => EmbeddedStore.open(dir));
    console.log(`open (synchronous, before)   ${(sync.ms / 1000).toFixed(1).padStart(6)} s   longest stall ${sync.stallMs.toFixed(0).padStart(6)} ms`);
    await sync.result.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
