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

/**
 * Samples the event loop every millisecond until the returned function is called: the longest gap
 * between two samples is the longest stall (a histogram sampled on a timer can miss one that ends
 * just before it is read).
 */
export function sampleLoopGaps(): () => { longestMs: number; over50: number } {
  let longestMs = 0;
  let over50 = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    longestMs = Math.max(longestMs, gap);
    if (gap > 50) over50++;
    last = now;
  }, 1);
  return () => {
    clearInterval(timer);
    return { longestMs, over50 };
  };
}
