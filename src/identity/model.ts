/**
 * Staff identity: who may use callpath, how they proved it, and the record of what they did.
 * Pure types; the store keeps them (store/sqlite/identity-tables.ts, store/mongo/identity-collections.ts).
 */

/** What a person does at work, not a level: a user can hold several (see access-rules.ts). */
export const ROLES = ['reception', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A member of staff. The e-mail address (lower case) is the key, as it is in the identity provider. */
export interface UserRecord {
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  /** 'local': signs in with a password kept here; 'oidc': through the municipality's identity provider. */
  source: 'local' | 'oidc';
  /** The identity provider's `sub` once the user has signed in through it. */
  oidcSubject: string | null;
  /** scrypt hash (see passwords.ts); null for users of the identity provider. */
  passwordHash: string | null;
  /** Set for a new local account and after an admin's reset: the next sign-in must choose a password. */
  mustChangePassword: boolean;
  /** Failed sign-ins in a row (reset by a successful one) and, after too many, the end of the lock (epoch ms). */
  failedSignIns: number;
  lockedUntil: number | null;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
}

/**
 * A signed-in browser. The cookie holds a random id; only its SHA-256 is stored, so a copy of the
 * database opens no session.
 */
export interface SessionRecord {
  idHash: string;
  email: string;
  via: 'local' | 'oidc';
  /** Epoch ms. A session ends at expiresAt (absolute lifetime) or after the idle timeout since lastSeenAt. */
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string | null;
}

/** A personal API token for scripts: `Authorization: Bearer <token>`. Only its SHA-256 is stored. */
export interface ApiTokenRecord {
  /** Public id, shown in listings and the audit trail (never the token). */
  id: string;
  hash: string;
  /** The user it acts as. */
  email: string;
  name: string;
  /** ISO times; revokedAt null while valid. */
  createdAt: string;
  expiresAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * A sign-in through the identity provider between the redirect and the callback, kept server-side
 * so that any instance can finish it. Keyed by the SHA-256 of the `state` parameter.
 */
export interface PendingSignIn {
  stateHash: string;
  codeVerifier: string;
  nonce: string;
  /** Where to go after sign-in: a path on this service only. */
  returnTo: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * One entry of the audit trail. `hash` is SHA-256 over the entry's content and `prevHash` (see
 * audit-chain.ts), so a changed, removed or reordered entry breaks the chain from there on.
 */
export interface AuditRecord {
  /** 1, 2, 3 ... without gaps (pruning removes from the start only). */
  seq: number;
  /** ISO time. */
  at: string;
  /** `user:<email>` (details.token names a personal token used), `service:API_TOKEN`, `service:API_STAFF_TOKEN`, `system`, or `anonymous`. */
  actor: string;
  /** What happened, e.g. `call.timeline.read`, `signin.failed` (see audit-actions.ts). */
  action: string;
  /** What it happened to: a call id, a pseudonym, a user's e-mail, a flow id; never a phone number. */
  object: string | null;
  /** The client's address as the service saw it. */
  address: string | null;
  /** A few facts without personal data (a count, a reason code). */
  details: Record<string, string | number | boolean> | null;
  prevHash: string;
  hash: string;
}

/** The last entry of the chain (or of what pruning removed): the link the next entry carries. */
export interface AuditLink {
  seq: number;
  hash: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  object?: string;
  /** ISO bounds on `at`: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Only entries with seq greater than this (paging oldest first). */
  afterSeq?: number;
  /** Only entries with seq less than this (paging newest first). */
  beforeSeq?: number;
  /** Newest first, as an admin reading the trail wants it; oldest first by default. */
  newestFirst?: boolean;
  /** Default 1000. */
  limit?: number;
}

/** Where the identity data is kept: the service's store, embedded or MongoDB alike. */
export interface IdentityStore {
  getUser(email: string): Promise<UserRecord | null>;
  getUserBySubject(subject: string): Promise<UserRecord | null>;
  /** Ordered by e-mail. */
  listUsers(): Promise<UserRecord[]>;
  /** Creates or replaces the user with this e-mail. */
  putUser(user: UserRecord): Promise<void>;
  /** Creates the user only if none has this e-mail; returns whether it did. */
  insertUser(user: UserRecord): Promise<boolean>;

  putSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  /** Returns whether there was such a session. */
  deleteSession(idHash: string): Promise<boolean>;
  /** Ends every session of a user; returns the ended sessions' id hashes. */
  deleteSessionsOf(email: string): Promise<string[]>;
  /** Removes sessions past their absolute lifetime or idle since before `idleBefore`; returns how many. */
  deleteExpiredSessions(now: number, idleBefore: number): Promise<number>;

  putToken(token: ApiTokenRecord): Promise<void>;
  getTokenByHash(hash: string): Promise<ApiTokenRecord | null>;
  /** A user's tokens (or all), newest first. */
  listTokens(email?: string): Promise<ApiTokenRecord[]>;
  /** Marks it revoked at `at`; returns false when there is no such token or it was revoked before. */
  revokeToken(id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;

  putPendingSignIn(pending: PendingSignIn): Promise<void>;
  /** Returns and removes it (a state is used once); null when unknown or expired at `now`. */
  takePendingSignIn(stateHash: string, now: number): Promise<PendingSignIn | null>;

  /**
   * Appends the entry `make` builds from the last link (null for the first entry ever, or the link
   * pruning left), atomically: two appends at once, from this process or another instance, never
   * get the same seq or the same previous link (the store retries `make` when another won).
   */
  appendAudit(make: (last: AuditLink | null) => AuditRecord): Promise<AuditRecord>;
  /** Matching entries in seq order (descending with newestFirst). */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Every entry in seq order, a page at a time (for verification). */
  auditRecords(): AsyncIterable<AuditRecord[]>;
  /**
   * Removes the entries before `before` (ISO) from the start of the chain and keeps the link of the
   * last one removed, so the rest still verifies; returns how many went and that link.
   */
  pruneAudit(before: string): Promise<{ removed: number; lastRemoved: AuditLink | null }>;
  /** The link the first kept entry continues from: the last removed by pruning, or null. */
  auditAnchor(): Promise<AuditLink | null>;
}
