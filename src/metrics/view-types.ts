import type { QueueFigures } from './queues';
import type { FallbackReason } from '../journey/events';
import type { FallbackOutcome } from '../journey/journey';
import type { Distribution } from './histogram';
import type { FallbackRescue } from './dims';

export type { Distribution } from './histogram';

/** A count and its share of the group it belongs to (0–1); the share is null for an empty group. */
export interface Share {
  count: number;
  share: number | null;
}

export type ScaleCounts = Record<'1' | '2' | '3' | '4' | '5', number>;

/** An SKR index (0–100, one decimal) with the answers it rests on; null without answers. */
export interface IndexValue {
  index: number | null;
  answers: number;
  counts: ScaleCounts;
}

export interface SurveyIndices {
  calls: number;
  bemotande: IndexValue;
  enkelhet: IndexValue;
}

export interface Summary {
  calls: number;
  /** Calls where a human (operator, department or person) answered. */
  answered: Share;
  answeredBy: { operator: number; department: number; person: number };
  /** Caller hung up before any human answered; shares are of all calls. */
  abandoned: { total: Share; inMenu: Share; whileRinging: Share; afterFallback: Share };
  /** Ended by the IVR (a message, the operator closed) without a human. */
  selfService: Share;
  /** Calls that met closed opening hours and reached no human. */
  outsideHours: Share;
  /** A technical fault sent the caller to the safe fallback. */
  errors: Share;
  /** From the call's start until the first human answered; answered calls only. */
  timeToHumanMs: Distribution;
  /** The same, for calls the operator answered first. */
  timeToOperatorMs: Distribution;
  /** Keys pressed in the whole call. */
  keyPresses: Distribution;
  /** Keys pressed until the transfer that a human answered (all keys when none did). */
  keyPressesBeforeHuman: Distribution;
  fallback: {
    /** Calls with at least one fallback, and their share of all calls. */
    calls: number;
    rate: number | null;
    occurrences: number;
    /** Per fallback: time from the fallback until a human answered or the call ended. */
    lostMs: Distribution;
    /** Per fallback: keys pressed from the fallback until the rescuing transfer or the end. */
    lostKeys: Distribution;
  };
  survey: { offered: number; declined: number; responded: number; completed: number; /** responded / offered */ responseRate: number | null };
  bemotande: IndexValue;
  enkelhet: IndexValue;
  /** Survey question "did you get an answer to your question?": yes / (yes + no). */
  firstContactResolution: { share: number | null; yes: number; answers: number };
  /** The survey split by whether the call went through any fallback. */
  byFallback: { with: SurveyIndices; without: SurveyIndices };
  /** Calls that ended without reaching a human ("fick ingen hjälp"). */
  noHelp: NoHelp;
}

/** Ended calls in which no human answered, however they ended. */
export interface NoHelp {
  /** How many, and their share of all calls. */
  calls: Share;
  /** Per call: from its start to its end, ring time included. */
  spentMs: Distribution;
  /** All their time together, ms. */
  spentTotalMs: number;
  /** Of that, the time phones rang that nobody answered, ms. */
  ringTotalMs: number;
  /** How they ended, by journey outcome (abandoned_in_menu, self_service, …): only outcomes that occurred. */
  byOutcome: Record<string, number>;
}

export type FallbackOutcomes = Record<Exclude<FallbackOutcome, 'in_progress'>, number>;

export interface FallbackRow {
  flowId: string;
  nodeId: string;
  /** Null when rows are grouped by node and reason only. */
  target: string | null;
  reason: FallbackReason;
  route: string | null;
  /** Only when rows are grouped by rescue: who answered after the fallback (backup, operator, person, department, none). */
  rescue?: FallbackRescue;
  occurrences: number;
  /** Distinct calls that went through it. */
  calls: number;
  /** Per occurrence: from the unanswered ring's start until a human answered or the call ended. */
  lostMs: Distribution;
  /** All the occurrences' time lost together, ms: the rows are ranked by it. */
  lostTotalMs: number;
  lostKeys: Distribution;
  /** What happened after each occurrence. */
  outcomes: FallbackOutcomes;
  /** Occurrences after which the caller hung up without reaching a human; share of occurrences. */
  abandoned: Share;
  /** Survey of the callers who went through this fallback vs the flow's other callers in the range. */
  through: SurveyIndices;
  notThrough: SurveyIndices;
  /** through − notThrough, index points; null when either side has no answers. */
  indexGap: { bemotande: number | null; enkelhet: number | null };
}

export interface NodeRow {
  flowId: string;
  nodeId: string;
  /** The node's type in the flow definition, when the flow is known. */
  type: string | null;
  /** What staff call it: the flow file's label, else derived from the node (see flow/node-label.ts). */
  label: string | null;
  entries: number;
  /** Distinct calls that entered it. */
  calls: number;
  /** Entries by calls that had been here before in the same call (loops, "back to the menu"). */
  repeats: number;
  /** How callers left: by the key they pressed, and by the node they went to. */
  exits: { byKey: Record<string, number>; byNext: Record<string, number> };
  /** Keys the node did not accept; byKey has single keys and "other" for longer input. */
  invalid: { total: number; byKey: Record<string, number> };
  timeouts: number;
  /** Calls whose caller hung up here without reaching a human. */
  hangups: number;
  keyPresses: number;
  timeInNodeMs: Distribution;
  /** For nodes that ring someone; null for the others. */
  transfers: { attempted: number; answered: number; noAnswer: number; busy: number; failed: number; canceled: number } | null;
}

export interface SkrReference {
  year: number;
  bemotande: number;
  enkelhet: number;
}

export interface SkrIndex extends IndexValue {
  /** index − the national reference, index points. */
  vsReference: number | null;
  /** SKR compares nationally only from this many answers. */
  comparable: boolean;
}

export interface SkrRow {
  key: string | number | null;
  label: string;
  calls: number;
  bemotande: SkrIndex;
  enkelhet: SkrIndex;
  /** The survey's "did you get an answer to your question?": yes among those who answered it (null with no answer). */
  gotAnswer: { share: number | null; answers: number };
}

/** KKiK's national figure for a direct answer to a simple question (mystery calls), to put beside gotAnswer. */
export interface KkikReference {
  year: number;
  directAnswerShare: number;
}

export interface SkrView {
  reference: SkrReference;
  references: SkrReference[];
  minAnswers: number;
  timeZone: string;
  overall: SkrRow;
  /** Per case category (ärendekategori), as SKR breaks results down since 2023. */
  byCategory: SkrRow[];
  kkik: KkikReference;
  /** 24 rows, local hour 0–23 of the call's start. */
  byHourOfDay: SkrRow[];
  /** 7 rows, Monday (1) first. */
  byWeekday: SkrRow[];
}

export type ChangeDirection = 'improved' | 'worsened' | 'unchanged';

export interface Change {
  /** Path into Summary, e.g. "fallback.lostMs.median". */
  metric: string;
  better: 'lower' | 'higher';
  a: number | null;
  b: number | null;
  /** b − a */
  delta: number | null;
  /** (b − a) / a */
  relative: number | null;
  direction: ChangeDirection | null;
  /** Two-sided test at 95 % for shares and indices; null where no test applies. */
  significant: boolean | null;
}

export interface CompareSide {
  label: string;
  kind: 'version' | 'period';
  flowVersion: string | null;
  from: string;
  to: string;
}

export interface CompareView {
  flowId: string;
  a: CompareSide;
  b: CompareSide;
  summary: { a: Summary; b: Summary };
  /** Fallbacks paired by node and reason, whatever route each version takes. */
  fallbacks: { nodeId: string; reason: FallbackReason; a: FallbackRow | null; b: FallbackRow | null }[];
  /** The fallbacks by who answered after them (a backup beside the operator), paired by node, reason and rescue. */
  rescues: { nodeId: string; reason: FallbackReason; rescue: FallbackRescue; a: FallbackRow | null; b: FallbackRow | null }[];
  nodes: { nodeId: string; a: NodeRow | null; b: NodeRow | null }[];
  changes: Change[];
  /** Each queue's contact-centre figures side by side, and what changed in them. */
  queues: { queue: string; a: QueueFigures | null; b: QueueFigures | null; changes: Change[] }[];
}
