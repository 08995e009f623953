import type { FallbackReason } from '../journey/events';

/**
 * The dimensions a journey is rolled up by, one rollup each per flow version and hour. Names are
 * part of the stored data: renaming one needs `npm run rollups:rebuild`.
 *
 *   call                                     every ended call: outcomes, times, keys, survey
 *   withFallback                             calls that took at least one fallback (survey only)
 *   fallback:<node>|<target>|<reason>|<route> one fallback as the flow took it
 *   fallbackAt:<node>|<reason>               the same, whatever the target and route (for compare)
 *   fallbackRescue:<node>|<reason>|<rescue>  the same, by who answered after it: backup, operator, person,
 *                                            department, none (a backup beside the operator)
 *   node:<id>                                one IVR node: entries, exits, wrong keys, time spent
 *   category:<category>                      the case category ("" when the caller chose none)
 *   localHour:<0-23>, weekday:<1-7>          local time of the call's start (survey only)
 *   notice:<node>|<target>|<reason>          absence notices met: occurrences, and the survey once per call
 *   withNotice                               calls that met at least one notice (survey only)
 *   ringOut:<node>|<target>                  a person's phone rang out (no-answer): ringMs, for the time a notice saves
 *   rangOut                                  calls in which a person's phone rang out (survey only)
 *   sought:<kind>|<target>|<reason>|<route>  calls that sought a person or department, by the call's first fallback
 *                                            for it ("none|-" when it took none): calls and the survey
 *   repeat:<kind>|<target>|<reason>|<route>  of those, calls that sought it again within 7 days of an earlier call
 *                                            by the same caller, by the earlier call's first fallback for it
 */
export const DIM_CALL = 'call';
export const DIM_WITH_FALLBACK = 'withFallback';
export const FALLBACK_PREFIX = 'fallback:';
export const FALLBACK_AT_PREFIX = 'fallbackAt:';
export const FALLBACK_RESCUE_PREFIX = 'fallbackRescue:';
export const NODE_PREFIX = 'node:';
export const CATEGORY_PREFIX = 'category:';
export const LOCAL_HOUR_PREFIX = 'localHour:';
export const WEEKDAY_PREFIX = 'weekday:';
export const NOTICE_PREFIX = 'notice:';
export const DIM_WITH_NOTICE = 'withNotice';
export const RING_OUT_PREFIX = 'ringOut:';
export const DIM_RANG_OUT = 'rangOut';
export const SOUGHT_PREFIX = 'sought:';
export const REPEAT_PREFIX = 'repeat:';

export interface FallbackKey {
  nodeId: string;
  target: string;
  reason: FallbackReason;
  route: string;
}

/** Node ids, targets and routes are identifiers ([A-Za-z0-9_-]) and reasons are words: "|" never occurs in them. */
export const fallbackDim = (k: FallbackKey) => `${FALLBACK_PREFIX}${k.nodeId}|${k.target}|${k.reason}|${k.route}`;
export const fallbackAtDim = (nodeId: string, reason: FallbackReason) => `${FALLBACK_AT_PREFIX}${nodeId}|${reason}`;
export const fallbackRescueDim = (nodeId: string, reason: FallbackReason, rescue: FallbackRescue) => `${FALLBACK_RESCUE_PREFIX}${nodeId}|${reason}|${rescue}`;
export const nodeDim = (nodeId: string) => `${NODE_PREFIX}${nodeId}`;
export const categoryDim = (category: string | null) => `${CATEGORY_PREFIX}${category ?? ''}`;
export const localHourDim = (hour: number) => `${LOCAL_HOUR_PREFIX}${hour}`;
export const weekdayDim = (weekday: number) => `${WEEKDAY_PREFIX}${weekday}`;
export const noticeDim = (nodeId: string, target: string, reason: string) => `${NOTICE_PREFIX}${nodeId}|${target}|${reason}`;
export const ringOutDim = (nodeId: string, target: string) => `${RING_OUT_PREFIX}${nodeId}|${target}`;

/** A target sought, and a first fallback for it (null: none), as the sought: and repeat: dimensions name them. */
export interface SoughtKey {
  targetKind: string;
  target: string;
  firstFallback: { reason: FallbackReason; route: string } | null;
}
const soughtKey = (k: SoughtKey) => `${k.targetKind}|${k.target}|${k.firstFallback ? `${k.firstFallback.reason}|${k.firstFallback.route}` : 'none|-'}`;
export const soughtDim = (k: SoughtKey) => SOUGHT_PREFIX + soughtKey(k);
export const repeatDim = (k: SoughtKey) => REPEAT_PREFIX + soughtKey(k);

/** The key of a sought: or repeat: dimension (either prefix); null for any other. */
export function parseSoughtDim(dim: string): (SoughtKey & { kind: 'sought' | 'repeat' }) | null {
  const kind = dim.startsWith(SOUGHT_PREFIX) ? 'sought' : dim.startsWith(REPEAT_PREFIX) ? 'repeat' : null;
  if (!kind) return null;
  const [targetKind, target, reason, route] = dim.slice(kind === 'sought' ? SOUGHT_PREFIX.length : REPEAT_PREFIX.length).split('|');
  if (route === undefined) return null;
  return { kind, targetKind, target, firstFallback: reason === 'none' ? null : { reason: reason as FallbackReason, route } };
}

export function parseFallbackDim(dim: string): FallbackKey | null {
  if (!dim.startsWith(FALLBACK_PREFIX)) return null;
  const [nodeId, target, reason, route] = dim.slice(FALLBACK_PREFIX.length).split('|');
  if (route === undefined) return null;
  return { nodeId, target, reason: reason as FallbackReason, route };
}

/**
 * Who answered after a fallback: a backup rung for the person sought (a colleague or their group),
 * the operator, a person or department the caller sought anew, or nobody.
 */
export type FallbackRescue = 'backup' | 'operator' | 'person' | 'department' | 'none';

export function parseFallbackRescueDim(dim: string): { nodeId: string; reason: FallbackReason; rescue: FallbackRescue } | null {
  if (!dim.startsWith(FALLBACK_RESCUE_PREFIX)) return null;
  const [nodeId, reason, rescue] = dim.slice(FALLBACK_RESCUE_PREFIX.length).split('|');
  if (rescue === undefined) return null;
  return { nodeId, reason: reason as FallbackReason, rescue: rescue as FallbackRescue };
}

export function parseFallbackAtDim(dim: string): { nodeId: string; reason: FallbackReason } | null {
  if (!dim.startsWith(FALLBACK_AT_PREFIX)) return null;
  const [nodeId, reason] = dim.slice(FALLBACK_AT_PREFIX.length).split('|');
  if (reason === undefined) return null;
  return { nodeId, reason: reason as FallbackReason };
}

/**
 * Counter names inside a rollup. Histograms add "<name>:<bucket>" and "<name>:sum" (see
 * histogram.ts); families add "<family>:<member>". No name holds "." or starts with "$", so
 * MongoDB can $inc them as field names.
 */
export const C = {
  calls: 'calls',
  human: 'human',
  answeredBy: 'answeredBy',
  outcome: 'outcome',
  fallbackCalls: 'fallbackCalls',
  occurrences: 'occurrences',
  surveyOffered: 'surveyOffered',
  surveyDeclined: 'surveyDeclined',
  surveyResponded: 'surveyResponded',
  surveyCompleted: 'surveyCompleted',
  bemotande: 'bemotande',
  enkelhet: 'enkelhet',
  resolved: 'resolved',
  entries: 'entries',
  reentries: 'reentries',
  exitKey: 'key',
  exitNext: 'next',
  invalid: 'invalid',
  timeouts: 'timeouts',
  hangups: 'hangups',
  pressed: 'pressed',
  transfer: 'transfer',
  /** Ended calls in which no human answered ("fick ingen hjälp"). */
  noHuman: 'noHuman',
  /** Of those calls' time, ms spent hearing a phone ring that nobody answered (a sum). */
  noHumanRingMs: 'noHumanRingMs',
} as const;

/** Histogram names. */
export const H = {
  timeToHuman: 'timeToHuman',
  timeToOperator: 'timeToOperator',
  keyPresses: 'keyPresses',
  keysBeforeHuman: 'keysBeforeHuman',
  lostMs: 'lostMs',
  lostKeys: 'lostKeys',
  timeInNode: 'timeInNode',
  /** Calls no human answered: from the call's start to its end, ring time included. */
  noHumanMs: 'noHumanMs',
  /** How long a person's phone rang before nobody answered it (ringOut dims). */
  ringMs: 'ringMs',
} as const;

export const family = (name: string, member: string | number) => `${name}:${member}`;
