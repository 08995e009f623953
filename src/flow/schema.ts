import { z } from 'zod';
import { isValidTimeZone } from '../metrics/local-time';
import { parseDays, parseIntervals } from './opening-hours';

/**
 * The IVR flow file format (ivr-flows/*.yaml or *.json). Objects are strict so that a typo in a key
 * is an error at start-up rather than a silently ignored setting.
 */
export const LanguageCode = z.string().regex(/^[a-z]{2}-[A-Z]{2}$/, 'must be a language tag like sv-SE');
const NodeId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, _ or -');
const Digit = z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #');
const PhoneNumber = z.string().regex(/^(\+[1-9][0-9]{6,14}|sip:[^\s]+|client:[A-Za-z0-9_-]+)$/, 'must be E.164 (+46...), sip: or client:');

/** A text said to the caller: one string in the default language, or one per language. */
export const Prompt = z.union([z.string().min(1), z.record(LanguageCode, z.string().min(1))]);
export type Prompt = z.infer<typeof Prompt>;

/** Where a fallback or exhausted retry goes: a node id, optionally with a sentence said first. */
export const Route = z.union([NodeId, z.strictObject({ next: NodeId, say: Prompt.optional() })]);
export type Route = z.infer<typeof Route>;

/** The node a route leads to. */
export const routeNext = (r: Route): string => (typeof r === 'string' ? r : r.next);
/** The sentence a route says on the way, if any. */
export const routeSay = (r: Route | undefined): Prompt | undefined => (r === undefined || typeof r === 'string' ? undefined : r.say);

const Seconds = (min: number, max: number, def: number) => z.number().int().min(min).max(max).default(def);

/** A short name for the node where people read about it (dashboard, reports); absent, one is derived from the node. */
const Label = { label: z.string().min(1).max(80).optional() };

const MessageNode = z.strictObject({
  ...Label,
  type: z.literal('message'),
  say: Prompt,
  next: NodeId.optional(),
  category: z.string().optional(),
});

const MenuNode = z.strictObject({
  ...Label,
  type: z.literal('menu'),
  prompt: Prompt,
  routes: z.record(Digit, NodeId).refine((r) => Object.keys(r).length > 0, 'a menu needs at least one route'),
  timeoutSeconds: Seconds(1, 60, 5),
  maxRetries: z.number().int().min(0).max(5).default(2),
  invalidPrompt: Prompt.optional(),
  noInputPrompt: Prompt.optional(),
  onExhausted: Route.optional(),
  category: z.string().optional(),
  /** Set false only where the flow's operatorKey must not apply (e.g. a menu that is itself the operator queue). */
  operatorKey: z.boolean().default(true),
});

const LanguageNode = z.strictObject({
  ...Label,
  type: z.literal('language'),
  prompt: Prompt,
  options: z.record(Digit, LanguageCode),
  timeoutSeconds: Seconds(1, 60, 5),
  next: NodeId,
});

const Fallbacks = {
  onNoAnswer: Route,
  onBusy: Route.optional(),
  onFailed: Route.optional(),
};

/** Where a caller goes who meets the person's absence notice instead of a ring; absent, onNoAnswer. */
const NoticeRoute = { onNotice: Route.optional() };

const TransferNode = z.strictObject({
  ...Label,
  type: z.literal('transfer'),
  target: NodeId,
  say: Prompt.optional(),
  timeoutSeconds: Seconds(5, 600, 25),
  category: z.string().optional(),
  ...Fallbacks,
  ...NoticeRoute,
});

/** Person search by extension: the caller keys the extension and is put through to that person. */
const DirectoryNode = z.strictObject({
  ...Label,
  type: z.literal('directory'),
  prompt: Prompt,
  digits: z.number().int().min(1).max(8),
  timeoutSeconds: Seconds(1, 60, 8),
  maxRetries: z.number().int().min(0).max(5).default(2),
  invalidPrompt: Prompt.optional(),
  connectingPrompt: Prompt.optional(),
  ringSeconds: Seconds(5, 600, 25),
  onExhausted: Route.optional(),
  category: z.string().optional(),
  ...Fallbacks,
  ...NoticeRoute,
});

/**
 * Rings the backup of the person last sought (the call's state keeps who that was): a colleague's
 * extension or their department's group (see Person.backup). A menu route that leads here is offered
 * by the engine itself ("För att nå en kollega på bygglov, tryck 1."), and only when that person has
 * a backup; a fallback route that leads here rings the backup straight away.
 */
const BackupNode = z.strictObject({
  ...Label,
  type: z.literal('backup'),
  /** Said before the ring; absent, a built-in sentence naming where the backup works. */
  say: Prompt.optional(),
  timeoutSeconds: Seconds(5, 600, 25),
  /** Where a caller goes whose person has no backup; absent, the flow's operator (else a goodbye). */
  noBackup: Route.optional(),
  ...Fallbacks,
});

/** Time ranges as opening-hours.ts reads them, or a custom issue at their key saying why not. */
const Hours = z.string().superRefine((text, ctx) => {
  try {
    parseIntervals(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
const TimeZone = z.string().superRefine((zone, ctx) => {
  if (!isValidTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${zone}": use an IANA name like Europe/Stockholm` });
});

/**
 * Open or closed now: the caller goes on to `next` within the hours, else along `closed`. Weekdays
 * absent from `open` are closed; Swedish public holidays (and julafton, midsommarafton, nyårsafton)
 * are closed unless `holidays: none`; `special` dates override everything.
 */
const HoursNode = z.strictObject({
  ...Label,
  type: z.literal('hours'),
  timeZone: TimeZone.default('Europe/Stockholm'),
  open: z
    .record(z.string(), Hours)
    .superRefine((open, ctx) => {
      const seen = new Map<number, string>();
      for (const key of Object.keys(open)) {
        let days: number[];
        try {
          days = parseDays(key);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: [key], message: (err as Error).message });
          continue;
        }
        for (const d of days) {
          if (seen.has(d)) ctx.addIssue({ code: 'custom', path: [key], message: `overlaps "${seen.get(d)}": give each weekday its hours once` });
          else seen.set(d, key);
        }
      }
    }),
  holidays: z.enum(['sweden', 'none']).default('sweden'),
  dayBeforeHoliday: Hours.optional(),
  special: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD'), Hours).default({}),
  next: NodeId,
  closed: Route,
});

/**
 * The caller waits in a Twilio queue (`<Enqueue>`) for whoever answers it (the operators in
 * `queues`), hearing their place at each announcement. Leaving the queue is a route: a key the
 * node offers, the longest wait it allows, the queue being full.
 */
const QueueNode = z.strictObject({
  ...Label,
  type: z.literal('queue'),
  /** The queue in `queues` the caller joins. */
  queue: NodeId,
  /** Said once, before joining. */
  say: Prompt.optional(),
  /** Seconds between announcements of the caller's place; hold music or silence in between. */
  announceEverySeconds: Seconds(10, 300, 30),
  /** Played between announcements (an MP3 or WAV URL Twilio can fetch); absent, silence. */
  holdMusic: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL Twilio can fetch' }).optional(),
  /** The longest a caller is kept waiting, then taken out of the queue along `onMaxWait`. */
  maxWaitSeconds: Seconds(30, 3600, 300),
  onMaxWait: Route,
  /** Twilio refused the caller: the queue holds its maximum (QueueResult=queue-full), or failed. */
  onFull: Route,
  /** Keys that take the caller out of the queue to another route, e.g. a callback request. */
  keys: z.record(Digit, NodeId).default({}),
  /** Says what the keys do; spoken after each announcement. Needed when there are keys. */
  keysPrompt: Prompt.optional(),
  category: z.string().optional(),
});

/**
 * The caller asks to be called back: on the number they call from, read back by its last digits for
 * confirmation, or on one they key in (a withheld number goes straight to keying). The request names
 * whom the caller sought last in the call, and the caller hears the flow's `callback` promise.
 */
const CallbackNode = z.strictObject({
  ...Label,
  type: z.literal('callback'),
  /** Said first, before the number is read back ("Vi ringer gärna upp dig."). */
  say: Prompt.optional(),
  timeoutSeconds: Seconds(1, 60, 10),
  maxRetries: z.number().int().min(0).max(5).default(2),
  /** Where the caller goes once the request is made; absent, a goodbye and the call ends. */
  next: NodeId.optional(),
  /** A wrong key, silence or an unusable number too many times; absent, the operator (else goodbye). */
  onExhausted: Route.optional(),
  category: z.string().optional(),
});

const SurveyNode = z.strictObject({ ...Label, type: z.literal('survey') });

const HangupNode = z.strictObject({ ...Label, type: z.literal('hangup'), say: Prompt.optional() });

export const FlowNode = z.discriminatedUnion('type', [
  MessageNode,
  MenuNode,
  LanguageNode,
  TransferNode,
  DirectoryNode,
  SurveyNode,
  HangupNode,
  HoursNode,
  QueueNode,
  BackupNode,
  CallbackNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type NodeType = FlowNode['type'];
export type MenuNode = z.infer<typeof MenuNode>;
export type TransferNode = z.infer<typeof TransferNode>;
export type DirectoryNode = z.infer<typeof DirectoryNode>;
export type LanguageNode = z.infer<typeof LanguageNode>;
export type MessageNode = z.infer<typeof MessageNode>;
export type HangupNode = z.infer<typeof HangupNode>;
export type HoursNode = z.infer<typeof HoursNode>;
export type QueueNode = z.infer<typeof QueueNode>;
export type BackupNode = z.infer<typeof BackupNode>;
export type CallbackNode = z.infer<typeof CallbackNode>;

export const TargetKind = z.enum(['operator', 'department', 'person']);
export type TargetKind = z.infer<typeof TargetKind>;

const Target = z.strictObject({
  label: z.string().min(1),
  number: PhoneNumber,
  kind: TargetKind,
  category: z.string().optional(),
});
export type Target = z.infer<typeof Target>;

const Person = z.strictObject({
  name: z.string().min(1),
  number: PhoneNumber,
  category: z.string().optional(),
  /** The person's own sign-in address: signed in as it, they may set their own absence notice. */
  email: z.email().transform((e) => e.toLowerCase()).optional(),
  /**
   * Who answers when they cannot: a colleague (another extension of this directory) or their
   * department's group (a key in `targets`). Rung by a `backup` node.
   */
  backup: z.string().regex(/^([0-9]{1,8}|[A-Za-z][A-Za-z0-9_-]*)$/, 'must be an extension of the directory or a target id').optional(),
  /**
   * Their calendar's iCalendar (.ics) address: read every 5 minutes, away from the webhooks, and a busy
   * event now becomes their notice unless one was set by hand (see reception/calendar-feeds.ts). The
   * address usually holds a secret: it is never logged whole nor shown by the API.
   */
  calendar: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an iCalendar (.ics) feed' }).optional(),
});
export type Person = z.infer<typeof Person>;

const Operator = z.strictObject({ name: z.string().min(1).max(80), number: PhoneNumber });
export type Operator = z.infer<typeof Operator>;

/**
 * A queue callers wait in and the people who answer it. An operator takes the next caller by
 * calling `agentNumber` from their own number (recognised in `operators`; anyone else is refused).
 */
const QueueConfig = z.strictObject({
  label: z.string().min(1).max(80),
  /** The Twilio number operators call to take the next caller; its webhook is /twilio/agent. */
  agentNumber: PhoneNumber,
  operators: z.record(NodeId, Operator).refine((o) => Object.keys(o).length > 0, 'a queue needs at least one operator'),
  /** Twilio's queue name; absent, the key in `queues`. */
  name: z.string().min(1).max(64).optional(),
  /** What the operator's leg says before the caller is put through; absent, a built-in sentence. */
  connectingPrompt: Prompt.optional(),
  /** The contact-centre target: `share` of callers answered within `seconds`. */
  serviceLevel: z.strictObject({ seconds: Seconds(5, 600, 60), share: z.number().gt(0).max(1).default(0.8) }).default({ seconds: 60, share: 0.8 }),
  /** Callers who hang up within this many seconds are counted apart as short abandons. */
  shortAbandonSeconds: Seconds(0, 60, 5),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

export const SurveyQuestionId = z.enum(['bemotande', 'enkelhet', 'answered']);
export type SurveyQuestionId = z.infer<typeof SurveyQuestionId>;

/** Twilio's speech recognition stops listening after 60 seconds of speech (Gather's maxSpeechTime). */
export const TWILIO_MAX_SPEECH_SECONDS = 60;

const SurveyComment = z.strictObject({
  enabled: z.boolean().default(false),
  /** Seconds the caller has to begin speaking before the comment counts as none. */
  timeoutSeconds: Seconds(1, 15, 5),
  /** The longest the caller may speak (Gather's maxSpeechTime); Twilio's recogniser allows 60 at most. */
  maxSeconds: Seconds(5, TWILIO_MAX_SPEECH_SECONDS, 30),
});

const SurveyConfig = z.strictObject({
  offer: z.union([z.enum(['always', 'never']), z.strictObject({ sample: z.number().min(0).max(1) })]).default('always'),
  questions: z.array(SurveyQuestionId).min(1).default(['bemotande', 'enkelhet']),
  timeoutSeconds: Seconds(2, 30, 8),
  /**
   * opt-out: the intro says how to decline (* or hanging up) and the questions follow;
   * opt-in: the caller is asked first and only a 1 starts the questions.
   */
  consent: z.enum(['opt-out', 'opt-in']).default('opt-out'),
  /**
   * After the questions, the caller may say a short comment (a speech Gather in the call's language).
   * Off by default: the words are personal data with their own retention (COMMENT_RETENTION_DAYS).
   */
  comment: SurveyComment.default({ enabled: false, timeoutSeconds: 5, maxSeconds: 30 }),
  /** Overrides of the built-in SKR wording, per question and language. */
  prompts: z
    .partialRecord(z.enum(['intro', 'consent', 'surveyInvalid', 'thanks', 'bemotande', 'enkelhet', 'answered', 'comment', 'commentThanks']), Prompt)
    .optional(),
});
export type SurveyConfig = z.infer<typeof SurveyConfig>;

/** Working hours as an hours node gives them, for the callback promise. */
const CallbackHours = z.strictObject({
  /** Absent: the municipality's TIME_ZONE. */
  timeZone: TimeZone.optional(),
  open: HoursNode.shape.open,
  holidays: z.enum(['sweden', 'none']).default('sweden'),
  dayBeforeHoliday: Hours.optional(),
  special: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD'), Hours).default({}),
});

/**
 * What a callback promises and when reception's working hours run: `within: { hours: 4 }` (four
 * working hours) or `byNextWorkingDay: '12:00'`. `hours` are the hours of an hours node of the flow
 * (its id) or given here; absent, weekdays 08:00–16:00 with Swedish holidays closed. An open request
 * expires `expireAfterDays` after its deadline.
 */
const CallbackConfig = z.strictObject({
  promise: z
    .union([
      z.strictObject({ within: z.strictObject({ hours: z.number().gt(0).max(240) }) }),
      z.strictObject({ byNextWorkingDay: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time of day like 12:00') }),
    ])
    .optional(),
  hours: z.union([NodeId, CallbackHours]).optional(),
  expireAfterDays: z.number().int().min(1).max(60).default(5),
});
export type CallbackConfig = z.infer<typeof CallbackConfig>;

export const FlowFile = z.strictObject({
  id: NodeId,
  name: z.string().min(1),
  numbers: z.array(PhoneNumber).default([]),
  default: z.boolean().default(false),
  languages: z
    .strictObject({
      default: LanguageCode.default('sv-SE'),
      voices: z.record(LanguageCode, z.string().min(1)).default({ 'sv-SE': 'Polly.Astrid' }),
    })
    .default({ default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid' } }),
  /** The key that reaches the operator from every menu, and the node it leads to. */
  operator: z.strictObject({ key: Digit, node: NodeId }).optional(),
  survey: SurveyConfig.default({
    offer: 'always',
    questions: ['bemotande', 'enkelhet'],
    timeoutSeconds: 8,
    consent: 'opt-out',
    comment: { enabled: false, timeoutSeconds: 5, maxSeconds: 30 },
  }),
  targets: z.record(NodeId, Target),
  directory: z.record(z.string().regex(/^[0-9]{1,8}$/, 'extensions are digits'), Person).default({}),
  queues: z.record(NodeId, QueueConfig).default({}),
  /** The promise a callback node gives (see CallbackConfig). */
  callback: CallbackConfig.optional(),
  start: NodeId,
  nodes: z.record(NodeId, FlowNode),
});
export type FlowFile = z.infer<typeof FlowFile>;

/** A validated flow as the engine uses it: the file plus where it came from and its content version. */
export interface Flow extends FlowFile {
  version: string;
  source: string;
}
