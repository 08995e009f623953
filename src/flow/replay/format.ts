import type { Cost } from './cheapest';
import { describeModel } from './model';
import type { IntentGroup, ReplayReport } from './replay';

/**
 * The replay for people: one row per intent with key presses and menu time actual, before (the
 * same estimate on the version the calls were made on) and after (the candidate), the paths, the
 * totals, and what could not be replayed. The caller model is printed, so nobody mistakes the
 * estimate for a measurement.
 */
export function formatReplay(r: ReplayReport, opts: { title?: string } = {}): string {
  const out: string[] = [];
  out.push(opts.title ?? `Replay of ${r.calls} recorded ${plural(r.calls, 'call')} against ${r.candidate.source} (${r.candidate.id}@${r.candidate.version})`);
  out.push('');
  out.push('Caller model (an estimate, not a measurement):');
  for (const line of describeModel(r.model).split('\n')) out.push(`  ${line}`);
  out.push('');
  if (!r.groups.length) out.push('No call to replay.');
  else {
    const width = Math.max(6, ...r.groups.map((g) => g.label.length));
    out.push(`${'intent'.padEnd(width)}  calls  |  keys: actual  before → after  |  menu s: actual  before → after  |  ringing s: before → after`);
    for (const g of r.groups) out.push(row(g.label.padEnd(width), String(g.calls).padStart(5), g.actual, g.before, g.after));
    out.push('');
    out.push('Paths (cheapest; before on the version the calls were made on → after on the candidate):');
    for (const g of r.groups) {
      out.push(`  ${g.label}`);
      out.push(`    before: ${g.beforePath ? g.beforePath.join(' → ') : g.versionUnknown === g.calls ? 'flow version not available' : 'not possible'}`);
      out.push(`    after:  ${g.afterPath ? g.afterPath.join(' → ') : 'not possible in the candidate'}`);
      const notes = [
        g.notInCandidate ? `${g.notInCandidate} ${plural(g.notInCandidate, 'call')} the candidate cannot serve this way` : '',
        g.versionUnknown ? `${g.versionUnknown} ${plural(g.versionUnknown, 'call')} on a flow version not available` : '',
      ].filter(Boolean);
      if (notes.length) out.push(`    (${notes.join('; ')})`);
    }
  }
  out.push('');
  const t = r.totals;
  out.push(`Totals over the ${t.calls} ${plural(t.calls, 'call')} with all three figures:`);
  out.push(`  key presses  actual ${t.actual.keys}  before ${t.before.keys} → after ${t.after.keys}  (${signed(t.after.keys - t.before.keys, (n) => String(n))})`);
  out.push(`  menu time    actual ${s(t.actual.menuMs)} s  before ${s(t.before.menuMs)} s → after ${s(t.after.menuMs)} s  (${signed(t.after.menuMs - t.before.menuMs, (n) => `${s(n)} s`)})`);
  out.push(`  ringing      actual ${s(t.actual.ringMs)} s  before ${s(t.before.ringMs)} s → after ${s(t.after.ringMs)} s  (${signed(t.after.ringMs - t.before.ringMs, (n) => `${s(n)} s`)})`);
  const skipped = Object.entries(r.skipped);
  if (skipped.length) out.push(`Not replayed: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}`);
  return out.join('\n') + '\n';
}

function row(label: string, calls: string, actual: Cost | null, before: Cost | null, after: Cost | null): string {
  const k = (c: Cost | null) => (c ? c.keys.toFixed(1) : '–').padStart(5);
  const m = (c: Cost | null) => (c ? s(c.menuMs) : '–').padStart(6);
  const ring = (c: Cost | null) => (c ? s(c.ringMs) : '–').padStart(6);
  return `${label}  ${calls}  |  ${k(actual).padStart(12)}  ${k(before)} → ${k(after)}  |  ${m(actual).padStart(14)}  ${m(before)} → ${m(after)}  |  ${ring(before).padStart(17)} → ${ring(after)}`;
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
const signed = (n: number, show: (n: number) => string) => (n > 0 ? `+${show(n)}` : n < 0 ? `−${show(-n)}` : 'no change');
