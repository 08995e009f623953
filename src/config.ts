import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors';
import { isLoopbackUrl, OIDC_CALLBACK_PATH, OIDC_DEFAULT_LABEL, OIDC_DEFAULT_ROLE_CLAIM, OIDC_REQUIRED_KEYS, parseRoleMap, type OidcSettings } from './identity/oidc-settings';
import { isValidTimeZone } from './metrics/local-time';
import { DEFAULT_SKR_REFERENCES } from './metrics/skr';
import { parseCallbackKeys, type CallbackKey } from './reception/callback-seal';
import type { SkrReference } from './metrics/view-types';

/**
 * The one place that reads process.env. Everything else receives a Config.
 * Every bad key is reported at once, so an operator fixes the environment in one go.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: z.url().optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_SIGNATURE_VALIDATION: bool.default(true),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  API_STAFF_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  STORE: z.enum(['embedded', 'mongo']).optional(),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  DATA_DIR: z.string().default('./data'),
  FLOWS_DIR: z.string().default('./ivr-flows'),
  DEFAULT_FLOW: z.string().optional(),
  /** Most key presses allowed to reach the operator from anywhere in a flow (flow:lint, start-up warnings). */
  FLOW_LINT_MAX_OPERATOR_KEYS: z.coerce.number().int().min(0).max(99).optional(),
  PSEUDONYM_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[^,]{16,}(,[A-Za-z0-9_-]+:[^,]{16,})*$/, 'must be "id:secret[,id:secret...]" with secrets of 16+ characters, current key first')
    .optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** How long callers' spoken comments are kept (personal data: names, case details); their calls stay for RETENTION_DAYS. */
  COMMENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Keys that seal callback numbers (AES-256-GCM): "id:base64-of-32-bytes[,id:…]", current first. */
  CALLBACK_KEYS: z
    .string()
    .superRefine((spec, ctx) => {
      try {
        parseCallbackKeys(spec);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    })
    .optional(),
  /** How long a callback (its number sealed) is kept after it is done or expires. */
  CALLBACK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  OUTBOX_MAX_EVENTS: z.coerce.number().int().min(100).default(200_000),
  /** Journal and ingest in a thread of their own (default: when the machine has more than one core). */
  INGEST_THREAD: bool.optional(),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEV_MODE: bool.default(false),
  /** A dashboard session unused this long ends (the live board open in a tab keeps it in use). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** A session ends this long after sign-in however busy: a working day by default. */
  SESSION_MAX_HOURS: z.coerce.number().min(1).max(24 * 14).default(12),
  /** How long the audit trail is kept; older entries are pruned from its start (the rest still verifies). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(365),
  /** The municipality's time zone for hour-of-day and weekday metrics; changing it needs `npm run rollups:rebuild`. */
  TIME_ZONE: z.string().default('Europe/Stockholm').refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/Stockholm'),
  /** National SKR phone indices to compare with: "year:bemötande:enkelhet[,...]"; defaults to 2022 and 2025. */
  /** Ring a queue's operators (Twilio REST API, calls.create) when a caller joins and none is on a call. */
  RING_OPERATORS: bool.default(false),
  /** The Twilio account the REST API is called with (with TWILIO_AUTH_TOKEN); only RING_OPERATORS needs it. */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be the account SID, AC followed by 32 hex digits').optional(),
  /** Where alerts are posted (JSON with a Teams/Slack `text`), signed with ALERT_WEBHOOK_SECRET; absent, the live board only. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ALERT_WAIT_MINUTES: z.coerce.number().min(0.5).max(120).default(5),
  ALERT_QUEUE_LENGTH: z.coerce.number().int().min(1).max(1000).default(5),
  ALERT_NO_ANSWER_STREAK: z.coerce.number().int().min(2).max(100).default(3),
  ALERT_SERVICE_LEVEL_MIN_CALLS: z.coerce.number().int().min(1).max(1000).default(5),
  SKR_REFERENCE: z
    .string()
    .regex(/^\d{4}:\d{1,3}(\.\d+)?:\d{1,3}(\.\d+)?(,\d{4}:\d{1,3}(\.\d+)?:\d{1,3}(\.\d+)?)*$/, 'must be "year:bemotande:enkelhet[,...]", e.g. 2025:84.9:77.1')
    .optional(),
  /**
   * Staff sign-in through the municipality's OpenID Connect provider: issuer, client id, secret and
   * role map all together, or none of them (see identity/oidc-settings.ts).
   */
  OIDC_ISSUER_URL: z
    .url()
    .refine(isHttpsOrLoopback, 'must be an https URL (plain http only for a loopback address such as http://127.0.0.1:8080)')
    .optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** The claim carrying the user's groups: `groups` (Entra ID, most providers) or a dotted path such as realm_access.roles (Keycloak). */
  OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a claim name or a dotted path such as realm_access.roles')
    .default(OIDC_DEFAULT_ROLE_CLAIM),
  OIDC_ROLE_MAP: z
    .string()
    .transform((spec, ctx) => {
      const { roleMap, problems } = parseRoleMap(spec);
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return roleMap;
    })
    .optional(),
  /** The sign-in button's text. */
  OIDC_LABEL: z.string().trim().min(1).max(80).default(OIDC_DEFAULT_LABEL),
});

/** Whether a URL (checked as a URL elsewhere) uses https, or plain http on a loopback address (a test's or a developer's provider). */
function isHttpsOrLoopback(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url));
}

export interface PseudonymKey {
  id: string;
  secret: string;
}

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  twilioAuthToken: string;
  validateSignatures: boolean;
  apiToken?: string;
  staffToken?: string;
  store: 'embedded' | 'mongo';
  mongoUri?: string;
  dataDir: string;
  flowsDir: string;
  defaultFlow?: string;
  flowLintMaxOperatorKeys?: number;
  pseudonymKeys: PseudonymKey[];
  retentionDays: number;
  /** Spoken comments are deleted after this many days, or with their call when that goes first. */
  commentRetentionDays: number;
  /** Seal callback numbers; the first seals new ones, all open the old (empty: callbacks refused). */
  callbackKeys: CallbackKey[];
  /** Days a callback is kept after it is done or expires. */
  callbackRetentionDays: number;
  outboxMaxEvents: number;
  /** The outbox and the ingestor run in a worker thread (see ingest/thread). */
  ingestThread: boolean;
  /** Per client address; webhooks are not limited (Twilio's traffic is the calls themselves). */
  apiRateLimitPerMinute: number;
  logLevel: string;
  devMode: boolean;
  timeZone: string;
  skrReferences: SkrReference[];
  ringOperators: { enabled: boolean; accountSid?: string };
  alerts: { webhookUrl?: string; webhookSecret?: string; waitMinutes: number; queueLength: number; noAnswerStreak: number; serviceLevelMinCalls: number };
  identity: IdentityConfig;
  /** Set when staff sign in through the municipality's identity provider. */
  oidc?: OidcSettings;
}

export interface IdentityConfig {
  sessionIdleMs: number;
  sessionMaxMs: number;
  auditRetentionDays: number;
  /** Cookies are Secure (and __Host- named) whenever the public URL is https. */
  secureCookies: boolean;
}

/** Only used when DEV_MODE=true and nothing else is given, so the demo starts with no set-up. */
const DEV_PSEUDONYM_KEY: PseudonymKey = { id: 'dev', secret: 'callpath-development-key-not-for-production' };

/** Seals callback numbers in DEV_MODE when CALLBACK_KEYS is not set: a fixed key, for demos only. */
const DEV_CALLBACK_KEY: CallbackKey = { id: 'dev', key: Buffer.from('callpath-dev-callback-key-32byte', 'utf8') };

/** Development defaults, shared with the virtual caller so a local demo works with no set-up. */
export const DEV_TWILIO_AUTH_TOKEN = 'dev-twilio-auth-token';
export const DEV_API_TOKEN = 'dev-api-token-change-me';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in an .env file or compose default) means "not set".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const store = e.STORE ?? (e.MONGODB_URI ? 'mongo' : 'embedded');
  if (store === 'mongo' && !e.MONGODB_URI) problems.push('MONGODB_URI: required when STORE=mongo');
  if (e.TWILIO_SIGNATURE_VALIDATION && !e.TWILIO_AUTH_TOKEN && !e.DEV_MODE) {
    problems.push('TWILIO_AUTH_TOKEN: required while TWILIO_SIGNATURE_VALIDATION is on');
  }
  if (e.TWILIO_SIGNATURE_VALIDATION && !e.PUBLIC_BASE_URL && !e.DEV_MODE) {
    problems.push('PUBLIC_BASE_URL: required while TWILIO_SIGNATURE_VALIDATION is on (the URL Twilio calls, as signed)');
  }
  if (!e.API_TOKEN && !e.DEV_MODE) problems.push('API_TOKEN: required (or set DEV_MODE=true for a local demo)');
  if (!e.PSEUDONYM_KEYS && !e.DEV_MODE) problems.push('PSEUDONYM_KEYS: required (or set DEV_MODE=true for a local demo)');
  if (e.RING_OPERATORS && !e.TWILIO_ACCOUNT_SID) problems.push('TWILIO_ACCOUNT_SID: required with RING_OPERATORS (the REST API is called with it and TWILIO_AUTH_TOKEN)');
  if (e.ALERT_WEBHOOK_URL && !e.ALERT_WEBHOOK_SECRET) problems.push('ALERT_WEBHOOK_SECRET: required with ALERT_WEBHOOK_URL (the receiver checks the signature made with it)');
  problems.push(...oidcKeyProblems(set, e));
  if (problems.length) throw new ConfigError(problems);

  const keys = e.PSEUDONYM_KEYS
    ? e.PSEUDONYM_KEYS.split(',').map((pair) => {
        const i = pair.indexOf(':');
        return { id: pair.slice(0, i), secret: pair.slice(i + 1) };
      })
    : [DEV_PSEUDONYM_KEY];

  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN ?? (e.DEV_MODE ? DEV_TWILIO_AUTH_TOKEN : ''),
    validateSignatures: e.TWILIO_SIGNATURE_VALIDATION,
    apiToken: e.API_TOKEN ?? (e.DEV_MODE ? DEV_API_TOKEN : undefined),
    staffToken: e.API_STAFF_TOKEN,
    store,
    mongoUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    flowsDir: path.resolve(e.FLOWS_DIR),
    defaultFlow: e.DEFAULT_FLOW,
    flowLintMaxOperatorKeys: e.FLOW_LINT_MAX_OPERATOR_KEYS,
    pseudonymKeys: keys,
    retentionDays: e.RETENTION_DAYS,
    commentRetentionDays: e.COMMENT_RETENTION_DAYS,
    callbackKeys: e.CALLBACK_KEYS ? parseCallbackKeys(e.CALLBACK_KEYS) : e.DEV_MODE ? [DEV_CALLBACK_KEY] : [],
    callbackRetentionDays: e.CALLBACK_RETENTION_DAYS,
    outboxMaxEvents: e.OUTBOX_MAX_EVENTS,
    ingestThread: e.INGEST_THREAD ?? os.availableParallelism() > 1,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    devMode: e.DEV_MODE,
    timeZone: e.TIME_ZONE,
    skrReferences: parseSkrReferences(e.SKR_REFERENCE),
    ringOperators: { enabled: e.RING_OPERATORS, accountSid: e.TWILIO_ACCOUNT_SID },
    alerts: {
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookSecret: e.ALERT_WEBHOOK_SECRET,
      waitMinutes: e.ALERT_WAIT_MINUTES,
      queueLength: e.ALERT_QUEUE_LENGTH,
      noAnswerStreak: e.ALERT_NO_ANSWER_STREAK,
      serviceLevelMinCalls: e.ALERT_SERVICE_LEVEL_MIN_CALLS,
    },
    identity: {
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: e.SESSION_MAX_HOURS * 3_600_000,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS,
      secureCookies: publicBaseUrl.startsWith('https:'),
    },
    oidc:
      e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET && e.OIDC_ROLE_MAP
        ? {
            issuer: e.OIDC_ISSUER_URL,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            roleClaim: e.OIDC_ROLE_CLAIM,
            roleMap: e.OIDC_ROLE_MAP,
            label: e.OIDC_LABEL,
            redirectUrl: `${publicBaseUrl}${OIDC_CALLBACK_PATH}`,
          }
        : undefined,
  };
}

/**
 * Sign-in through the identity provider is all or nothing: any OIDC_ key set asks for it, and then
 * the missing required ones are named. Half a configuration would otherwise pass silently and show
 * a sign-in button that cannot work.
 */
function oidcKeyProblems(set: Record<string, unknown>, e: z.infer<typeof EnvSchema>): string[] {
  const given = Object.keys(set).filter((key) => key.startsWith('OIDC_') && key in EnvSchema.shape);
  if (!given.length) return [];
  const required = OIDC_REQUIRED_KEYS.join(', ');
  const problems = OIDC_REQUIRED_KEYS.filter((key) => !(key in set)).map(
    (key) => `${key}: required with ${given.join(', ')} (sign-in through the identity provider needs ${required} together)`,
  );
  // The redirect URL registered at the provider is built from it; localhost would only do for a demo.
  if (!e.PUBLIC_BASE_URL && !e.DEV_MODE) problems.push(`PUBLIC_BASE_URL: required for sign-in through the identity provider (the redirect URL registered there is PUBLIC_BASE_URL + ${OIDC_CALLBACK_PATH})`);
  return problems;
}

function parseSkrReferences(spec: string | undefined): SkrReference[] {
  if (!spec) return [...DEFAULT_SKR_REFERENCES];
  return spec.split(',').map((item) => {
    const [year, bemotande, enkelhet] = item.split(':').map(Number);
    return { year, bemotande, enkelhet };
  });
}

/** What the admin tools (flow:lint, flow:replay) need: where flows and data are. They never need the service's secrets. */
export type ToolConfig = Pick<Config, 'store' | 'mongoUri' | 'dataDir' | 'flowsDir' | 'flowLintMaxOperatorKeys' | 'timeZone'>;

export function loadToolConfig(env: NodeJS.ProcessEnv = process.env): ToolConfig {
  const parsed = EnvSchema.pick({ STORE: true, MONGODB_URI: true, DATA_DIR: true, FLOWS_DIR: true, FLOW_LINT_MAX_OPERATOR_KEYS: true, TIME_ZONE: true }).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const store = e.STORE ?? (e.MONGODB_URI ? 'mongo' : 'embedded');
  if (store === 'mongo' && !e.MONGODB_URI) throw new ConfigError(['MONGODB_URI: required when STORE=mongo']);
  return {
    store,
    mongoUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    flowsDir: path.resolve(e.FLOWS_DIR),
    flowLintMaxOperatorKeys: e.FLOW_LINT_MAX_OPERATOR_KEYS,
    timeZone: e.TIME_ZONE,
  };
}
