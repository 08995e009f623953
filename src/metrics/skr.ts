import { SKR_MIN_ANSWERS } from '../journey/scoring';
import type { RollupDoc } from '../store/store';
import { C, CATEGORY_PREFIX, DIM_CALL, family, LOCAL_HOUR_PREFIX, WEEKDAY_PREFIX } from './dims';
import { WEEKDAY_NAMES } from './local-time';
import { mergeBy, surveyIndices, type Counters } from './measures';
import type { IndexValue, KkikReference, SkrIndex, SkrReference, SkrRow, SkrView } from './view-types';

/** SKR's national phone averages (servicemätningen): 63 municipalities in 2022, 95 in 2025. */
export const DEFAULT_SKR_REFERENCES: readonly SkrReference[] = [
  { year: 2022, bemotande: 82.1, enkelhet: 73.5 },
  { year: 2025, bemotande: 84.9, enkelhet: 77.1 },
];

/**
 * Kommunernas Kvalitet i Korthet: in its mystery calls, 53 % of callers got a direct answer to a simple
 * question (2018, the national mean; municipalities ranged from 18 to 94 %). The nearest national
 * figure to the survey's own "did you get an answer" question, which residents answer themselves.
 */
export const KKIK_DIRECT_ANSWER: KkikReference = { year: 2018, directAnswerShare: 0.53 };

function gotAnswer(c: Counters): SkrRow['gotAnswer'] {
  const yes = c[family(C.resolved, 'yes')] ?? 0;
  const answers = yes + (c[family(C.resolved, 'no')] ?? 0);
  return { share: answers ? yes / answers : null, answers };
}

function skrIndex(v: IndexValue, reference: number): SkrIndex {
  const vsReference = v.index === null ? null : Math.round((v.index - reference) * 10) / 10;
  return { ...v, vsReference, comparable: v.answers >= SKR_MIN_ANSWERS };
}

function row(key: SkrRow['key'], label: string, c: Counters, ref: SkrReference): SkrRow {
  const s = surveyIndices(c);
  return { key, label, calls: s.calls, bemotande: skrIndex(s.bemotande, ref.bemotande), enkelhet: skrIndex(s.enkelhet, ref.enkelhet), gotAnswer: gotAnswer(c) };
}

export interface SkrOptions {
  /** The reference to compare with; the latest of `references` when absent. */
  year?: number;
  references: readonly SkrReference[];
  timeZone: string;
}

/** Picks the reference of a year, or the latest; null when the year is not configured. */
export function pickReference(references: readonly SkrReference[], year?: number): SkrReference | null {
  if (year !== undefined) return references.find((r) => r.year === year) ?? null;
  return [...references].sort((a, b) => b.year - a.year)[0] ?? null;
}

/** The SKR comparison: overall, by case category, by local hour of day and by weekday. */
export function skrFromRollups(docs: readonly RollupDoc[], opts: SkrOptions): SkrView {
  const reference = pickReference(opts.references, opts.year);
  if (!reference) throw new RangeError(`no SKR reference for ${opts.year}`);
  const merged = mergeBy(docs);
  const byPrefix = (prefix: string) => [...merged].filter(([dim]) => dim.startsWith(prefix)).map(([dim, c]) => [dim.slice(prefix.length), c] as const);
  const hours = new Map(byPrefix(LOCAL_HOUR_PREFIX).map(([h, c]) => [Number(h), c]));
  const days = new Map(byPrefix(WEEKDAY_PREFIX).map(([d, c]) => [Number(d), c]));
  const categories = byPrefix(CATEGORY_PREFIX)
    .map(([cat, c]) => row(cat || null, cat || '(ingen kategori)', c, reference))
    .sort((a, b) => b.calls - a.calls || String(a.key).localeCompare(String(b.key)));
  return {
    reference,
    references: [...opts.references].sort((a, b) => a.year - b.year),
    minAnswers: SKR_MIN_ANSWERS,
    timeZone: opts.timeZone,
    overall: row(null, 'alla samtal', merged.get(DIM_CALL) ?? {}, reference),
    byCategory: categories,
    kkik: KKIK_DIRECT_ANSWER,
    byHourOfDay: Array.from({ length: 24 }, (_, h) => row(h, `${String(h).padStart(2, '0')}–${String((h + 1) % 24).padStart(2, '0')}`, hours.get(h) ?? {}, reference)),
    byWeekday: WEEKDAY_NAMES.map((name, i) => row(i + 1, name, days.get(i + 1) ?? {}, reference)),
  };
}
