import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { CallEvent } from '../src/journey/events';

/** The store benches' call ids: one per index, in order. */
export const sidOf = (i: number): string => `CA${i.toString(16).padStart(32, '0')}`;

/** A short call through the menu to a transfer, like the store contract's. */
export function callEvents(callSid: string, startMs: number): CallEvent[] {
  const base = { callSid, seq: 0 };
  return [
    { ...base, id: `${callSid}:a:0`, at: startMs, step: 0, type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: `k1:${callSid.slice(-12)}`, to: '+46101300000', language: 'sv-SE' },
    { ...base, id: `${callSid}:a:1`, at: startMs, step: 0, seq: 1, type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
    { ...base, id: `${callSid}:b:0`, at: startMs + 4000, step: 1, type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' },
    { ...base, id: `${callSid}:b:1`, at: startMs + 4000, step: 1, seq: 1, type: 'node.entered', nodeId: 'skola', nodeType: 'transfer' },
    { ...base, id: `${callSid}:z:0`, at: startMs + 9000, step: 99, type: 'call.ended', status: 'completed', durationSec: 9 },
  ] as CallEvent[];
}

/** What the loop sampler saw: the longest stall, and how much of it V8's garbage collector held the thread. */
export interface LoopGaps {
  longestMs: number;
  over50: number;
  /** GC pauses that fell within the longest stall, summed: a stall that is mostly GC is not the work's own. */
  gcInLongestMs: number;
  /** The longest single GC pause while sampling. */
  longestGcMs: number;
}

/**
 * Samples the event loop every millisecond until the returned function is called: the longest gap
 * between two samples is the longest stall (a histogram sampled on a timer can miss one that ends
 * just before it is read). GC pauses are observed alongside, so a stall can be told apart from GC.
 */
export function sampleLoopGaps(): () => LoopGaps {
  let longestMs = 0;
  let longest = { from: 0, to: 0 };
  let over50 = 0;
  let last = performance.now();
  const gcs: { from: number; to: number }[] = [];
  const note = (entries: PerformanceEntry[]) => {
    for (const e of entries) gcs.push({ from: e.startTime, to: e.startTime + e.duration });
  };
  const observer = new PerformanceObserver((list) => note(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    if (gap > longestMs) (longestMs = gap), (longest = { from: last, to: now });
    if (gap > 50) over50++;
    last = now;
  }, 1);
  return () => {
    clearInterval(timer);
    // Entries not yet handed to the callback (it runs in a later turn).
    note(observer.takeRecords());
    observer.disconnect();
    const overlap = (g: { from: number; to: number }) => Math.max(0, Math.min(g.to, longest.to) - Math.max(g.from, longest.from));
    return {
      longestMs,
      over50,
      gcInLongestMs: gcs.reduce((t, g) => t + overlap(g), 0),
      longestGcMs: gcs.reduce((m, g) => Math.max(m, g.to - g.from), 0),
    };
  };
}
