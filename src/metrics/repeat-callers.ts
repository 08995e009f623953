import type { FallbackReason } from '../journey/events';
import type { RollupDoc } from '../store/store';
import { C, family, parseSoughtDim } from './dims';
import { mergeBy, ratio, share, type Counters } from './measures';
import type { Share } from './view-types';

/** The survey's "did you get an answer to your question?" (SKR question `answered`). */
export interface AnsweredQuestion {
  yes: number;
  answers: number;
  /** yes / answers; null without answers. */
  share: number | null;
}

export interface RepeatByFallback {
  /** null: no fallback (the person or department answered, or the caller left before one). */
  firstFallback: { reason: FallbackReason; route: string } | null;
  /** Calls in the range that sought the target and took this first fallback for it. */
  calls: number;
  /** Repeat calls in the range whose earlier call took this first fallback for the target. */
  repeats: number;
  /** repeats / calls: how often this first answer was followed by another call within the window. */
  repeatShare: number | null;
}

export interface RepeatCallerRow {
  targetKind: string;
  /** The person's directory extension or the department's target id. */
  target: string;
  /** Calls in the range that sought this target. */
  calls: number;
  /** Of those, calls by a caller who had sought it in an earlier call started within the 7 days before. */
  repeats: Share;
  answered: AnsweredQuestion;
  byFirstFallback: RepeatByFallback[];
}

export interface RepeatCallersView {
  windowDays: number;
  calls: number;
  repeats: Share;
  answered: AnsweredQuestion;
  rows: RepeatCallerRow[];
}

function answered(c: Counters): AnsweredQuestion {
  const yes = c[family(C.resolved, 'yes')] ?? 0;
  const answers = yes + (c[family(C.resolved, 'no')] ?? 0);
  return { yes, answers, share: ratio(yes, answers) };
}

const fallbackKey = (f: RepeatByFallback['firstFallback']) => (f ? `${f.reason}|${f.route}` : 'none');

/**
 * The repeat callers of a range (the first-contact-resolution proxy) per person or department sought,
 * from the sought: and repeat: rollups, beside the survey's "answered" question for the same calls. A
 * repeat is counted in the hour its own (later) call started; a call sought by several targets counts
 * once for each. Across every flow and version read: a caller may reach the same person through either.
 */
export function repeatCallersFromRollups(docs: readonly RollupDoc[], windowDays = 7): RepeatCallersView {
  const rows = new Map<string, RepeatCallerRow & { survey: Counters; fallbacks: Map<string, RepeatByFallback> }>();
  for (const [dim, c] of mergeBy(docs)) {
    const k = parseSoughtDim(dim);
    if (!k) continue;
    const id = `${k.targetKind}|${k.target}`;
    let row = rows.get(id);
    if (!row) {
      row = { targetKind: k.targetKind, target: k.target, calls: 0, repeats: share(0, 0), answered: answered({}), byFirstFallback: [], survey: {}, fallbacks: new Map() };
      rows.set(id, row);
    }
    const fk = fallbackKey(k.firstFallback);
    let f = row.fallbacks.get(fk);
    if (!f) row.fallbacks.set(fk, (f = { firstFallback: k.firstFallback, calls: 0, repeats: 0, repeatShare: null }));
    const n = c[C.calls] ?? 0;
    if (k.kind === 'sought') {
      f.calls += n;
      for (const [name, v] of Object.entries(c)) row.survey[name] = (row.survey[name] ?? 0) + v;
    } else f.repeats += n;
  }
  const out: RepeatCallerRow[] = [];
  for (const { survey, fallbacks, ...row } of rows.values()) {
    const byFirstFallback = [...fallbacks.values()]
      .filter((f) => f.calls || f.repeats)
      .map((f) => ({ ...f, repeatShare: ratio(f.repeats, f.calls) }))
      .sort((a, b) => b.calls - a.calls || b.repeats - a.repeats || fallbackKey(a.firstFallback).localeCompare(fallbackKey(b.firstFallback)));
    const calls = byFirstFallback.reduce((s, f) => s + f.calls, 0);
    const repeats = byFirstFallback.reduce((s, f) => s + f.repeats, 0);
    if (!calls && !repeats) continue;
    out.push({ ...row, calls, repeats: share(repeats, calls), answered: answered(survey), byFirstFallback });
  }
  out.sort((a, b) => b.calls - a.calls || b.repeats.count - a.repeats.count || `${a.targetKind}|${a.target}`.localeCompare(`${b.targetKind}|${b.target}`));
  const calls = out.reduce((s, r) => s + r.calls, 0);
  const repeats = out.reduce((s, r) => s + r.repeats.count, 0);
  const yes = out.reduce((s, r) => s + r.answered.yes, 0);
  const answers = out.reduce((s, r) => s + r.answered.answers, 0);
  return { windowDays, calls, repeats: share(repeats, calls), answered: { yes, answers, share: ratio(yes, answers) }, rows: out };
}
