/**
 * The one catalogue of typed errors. Codes are stable: API clients, logs and tests match on them,
 * so a code is never renamed once shipped.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  FLOW_INVALID: 'FLOW_INVALID',
  FLOW_NOT_FOUND: 'FLOW_NOT_FOUND',
  FLOW_NODE_NOT_FOUND: 'FLOW_NODE_NOT_FOUND',
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
  WEBHOOK_PARAMS_INVALID: 'WEBHOOK_PARAMS_INVALID',
  API_UNAUTHORIZED: 'API_UNAUTHORIZED',
  API_FORBIDDEN: 'API_FORBIDDEN',
  API_BAD_REQUEST: 'API_BAD_REQUEST',
  API_NOT_FOUND: 'API_NOT_FOUND',
  API_CONFLICT: 'API_CONFLICT',
  /** A state-changing request made with the session cookie lacked the session's X-CSRF-Token. */
  API_CSRF: 'API_CSRF',
  /** A local account that must choose a new password first (POST /auth/password). */
  AUTH_PASSWORD_CHANGE_REQUIRED: 'AUTH_PASSWORD_CHANGE_REQUIRED',
  /** Wrong e-mail address or password (which of the two is not said). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** Too many failed sign-ins: the account is locked for a while (Retry-After says how long). */
  AUTH_LOCKED: 'AUTH_LOCKED',
  /** Too many sign-in attempts from one address or for one account within a minute. */
  AUTH_RATE_LIMITED: 'AUTH_RATE_LIMITED',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** The store is still being opened (the embedded store loading its files); webhooks are answered meanwhile. */
  STORE_LOADING: 'STORE_LOADING',
  /** The store could not be opened (an I/O error, a damaged file); nothing is stored until a restart. */
  STORE_LOAD_FAILED: 'STORE_LOAD_FAILED',
  OUTBOX_FULL: 'OUTBOX_FULL',
  /**
   * An erasure found events recorded before it still waiting to be stored (the store slow or down) and
   * erased nothing, so as to leave no part of the caller's data behind; the request can be repeated.
   */
  ERASURE_EVENTS_PENDING: 'ERASURE_EVENTS_PENDING',
  /** Rollup hours left by an interrupted group could not be recomputed: other writers kept moving them. Retried later. */
  ROLLUP_REPAIR_BUSY: 'ROLLUP_REPAIR_BUSY',
  /** The identity provider (OIDC_ISSUER_URL) cannot be reached or is not an OpenID provider; sign-in through it is down. */
  OIDC_UNAVAILABLE: 'OIDC_UNAVAILABLE',
  /** A sign-in through the identity provider was refused: the provider's error, a wrong state, a rejected code, no e-mail. */
  OIDC_SIGNIN_FAILED: 'OIDC_SIGNIN_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class CallpathError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CallpathError';
  }
}

/** One problem in one flow file: the file, the path inside it, and why. */
export interface FlowIssue {
  file: string;
  path: string;
  message: string;
}

export class FlowError extends CallpathError {
  constructor(readonly issues: FlowIssue[]) {
    super(ErrorCodes.FLOW_INVALID, issues.map((i) => `${i.file}: ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'FlowError';
  }
}

export class ConfigError extends CallpathError {
  constructor(readonly problems: string[]) {
    super(ErrorCodes.CONFIG_INVALID, `Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** An API error: the status and a message the caller can act on. */
export class ApiError extends CallpathError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

/** The store's files cannot be loaded: an I/O error, or a file damaged beyond a torn line or two. */
export class StoreLoadError extends CallpathError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCodes.STORE_LOAD_FAILED, message, details);
    this.name = 'StoreLoadError';
  }
}

/** An operation on a store that is not open yet (loading) or never will be (its load failed). */
export class StoreNotReadyError extends CallpathError {
  constructor(code: typeof ErrorCodes.STORE_LOADING | typeof ErrorCodes.STORE_LOAD_FAILED | typeof ErrorCodes.STORE_UNAVAILABLE, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'StoreNotReadyError';
  }
}

/** Rollups that need recomputing overlap writes in flight elsewhere, attempt after attempt; their intents stay for a later try. */
export class RollupRepairBusyError extends CallpathError {
  constructor(readonly scope: string) {
    super(ErrorCodes.ROLLUP_REPAIR_BUSY, `rollups of ${scope} kept changing under other instances' writes; the repair will be tried again`, { scope });
    this.name = 'RollupRepairBusyError';
  }
}

/** Events recorded before an erasure was asked for are not all stored yet: nothing was erased (see erasure.ts). */
export class ErasurePendingError extends CallpathError {
  constructor(readonly waiting: number) {
    super(
      ErrorCodes.ERASURE_EVENTS_PENDING,
      `${waiting} events recorded before this request are still waiting to be stored (the store is slow or unavailable; see GET /healthz). Nothing was erased, so that no part of this caller's data is left behind: repeat the request once they are stored.`,
      { waiting },
    );
    this.name = 'ErasurePendingError';
  }
}

/** Why a sign-in through the identity provider did not happen; `reason` is stable, for the sign-in page and the audit trail. */
export type OidcFailureReason =
  /** The provider could not be reached, or answered with something other than OpenID metadata or tokens. */
  | 'unavailable'
  /** The provider sent the user back with an error (e.g. access_denied: the user cancelled). */
  | 'provider_error'
  /** The callback's state is not the pending sign-in's: a forged, replayed or crossed callback. */
  | 'state_mismatch'
  /** The token endpoint refused the code (wrong PKCE verifier, code used or expired). */
  | 'code_rejected'
  /** The provider's answer does not verify: the id token's signature, nonce, issuer, audience or expiry, a callback without a code. */
  | 'response_invalid'
  /** The provider says who the user is, but not with an e-mail address, callpath's key for staff. */
  | 'email_missing';

export class OidcError extends CallpathError {
  constructor(
    code: typeof ErrorCodes.OIDC_UNAVAILABLE | typeof ErrorCodes.OIDC_SIGNIN_FAILED,
    readonly reason: OidcFailureReason,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { reason, ...details });
    this.name = 'OidcError';
  }
}
