import type { Journey } from '../journey/journey';
import type { QueueFigures } from '../metrics/queues';
import type { CompareView, FallbackRow, NodeRow, SkrRow, SkrView, Summary } from '../metrics/view-types';
import { csvLine, keyValueCsv, tableCsv, type Cell } from './csv';

/** The CSV form of each metrics view and of journeys. */

export const summaryCsv = (s: Summary) => keyValueCsv(s);

export const fallbacksCsv = (rows: FallbackRow[]) => tableCsv(rows);

export const queuesCsv = (rows: QueueFigures[]) => tableCsv(rows);

const NO_TRANSFERS = { attempted: null, answered: null, noAnswer: null, busy: null, failed: null, canceled: null };

/** Nodes that ring no one get empty transfer cells, so every row has the same columns. */
export const nodesCsv = (rows: NodeRow[]) => tableCsv(rows.map((r) => ({ ...r, transfers: r.transfers ?? NO_TRANSFERS })));

export function skrCsv(v: SkrView): string {
  const section = (name: string, rows: SkrRow[]) => rows.map((r) => ({ section: name, ...r }));
  const rows = [section('overall', [v.overall]), section('category', v.byCategory), section('hourOfDay', v.byHourOfDay), section('weekday', v.byWeekday)].flat();
  return tableCsv(rows, { referenceYear: v.reference.year, minAnswers: v.minAnswers, timeZone: v.timeZone });
}

export function compareCsv(v: CompareView): string {
  return tableCsv(v.changes, { flowId: v.flowId, a: v.a.label, b: v.b.label });
}

/**
 * One row per call. Pseudonymised: no phone number, not even the number called; the caller's keyed
 * hash only for the admin role (it links a caller's calls), left out for staff.
 */
const JOURNEY_COLUMNS = [
  'callSid',
  'flowId',
  'flowVersion',
  'startedAt',
  'endedAt',
  'durationMs',
  'outcome',
  'answeredBy',
  'timeToHumanMs',
  'timeToOperatorMs',
  'keyPresses',
  'keyPressesBeforeHuman',
  'invalidInputs',
  'timeouts',
  'category',
  'language',
  'path',
  'fallbacks',
  'fallbackLostMs',
  'fallbackLostKeys',
  'fallbackRoutes',
  'surveyOffered',
  'bemotande',
  'enkelhet',
  'resolved',
  'surveyCompleted',
] as const;

export function journeyCsvHeader(withCaller: boolean): string {
  return csvLine(withCaller ? [...JOURNEY_COLUMNS, 'callerPseudonym'] : [...JOURNEY_COLUMNS]);
}

export function journeyCsvLine(j: Journey, withCaller: boolean): string {
  const sum = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
  const row: Record<(typeof JOURNEY_COLUMNS)[number], Cell> = {
    callSid: j.callSid,
    flowId: j.flowId,
    flowVersion: j.flowVersion,
    startedAt: j.startedAt,
    endedAt: j.endedAt,
    durationMs: j.durationMs,
    outcome: j.outcome,
    answeredBy: j.answeredBy,
    timeToHumanMs: j.timeToHumanMs,
    timeToOperatorMs: j.timeToOperatorMs,
    keyPresses: j.keyPresses,
    keyPressesBeforeHuman: j.keyPressesBeforeHuman,
    invalidInputs: j.invalidInputs,
    timeouts: j.timeouts,
    category: j.category,
    language: j.language,
    path: j.path.join('>'),
    fallbacks: j.fallbacks.length,
    fallbackLostMs: j.fallbacks.length ? sum(j.fallbacks.map((f) => f.lostMs)) : null,
    fallbackLostKeys: j.fallbacks.length ? sum(j.fallbacks.map((f) => f.lostKeyPresses)) : null,
    fallbackRoutes: j.fallbacks.map((f) => `${f.nodeId}|${f.target}|${f.reason}|${f.route}`).join(' '),
    surveyOffered: j.survey.offered,
    bemotande: j.survey.bemotande,
    enkelhet: j.survey.enkelhet,
    resolved: j.survey.answered === null ? null : j.survey.answered ? 'yes' : 'no',
    surveyCompleted: j.survey.completed,
  };
  const cells: Cell[] = JOURNEY_COLUMNS.map((c) => row[c]);
  if (withCaller) cells.push(j.caller);
  return csvLine(cells);
}
