import type { ApiTokenRecord, AuditLink, AuditQuery, AuditRecord, IdentityStore, PendingSignIn, Role, SessionRecord, UserRecord } from '../../identity/model';
import { checkFollows } from '../audit-sequence';
import type { Db } from './database';
import { yieldToIo } from '../../yield-to-io';

type Statement = ReturnType<Db['prepare']>;

/** Audit entries read per page by auditRecords, and removed per transaction by pruneAudit. */
export const AUDIT_PAGE = 1000;

export interface IdentityTablesOptions {
  /** See AUDIT_PAGE (tests make it small to see several pages). */
  auditPageSize?: number;
}

interface UserRow {
  email: string;
  name: string;
  roles: string;
  disabled: number;
  source: UserRecord['source'];
  oidc_subject: string | null;
  password_hash: string | null;
  must_change_password: number;
  failed_sign_ins: number;
  locked_until: number | null;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  id_hash: string;
  email: string;
  via: SessionRecord['via'];
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string | null;
}

interface TokenRow {
  id: string;
  hash: string;
  email: string;
  name: string;
  created_at: string;
  expires_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

interface PendingRow {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  expires_at: number;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string | null;
  address: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

const USER_COLUMNS = 'email, name, roles, disabled, source, oidc_subject, password_hash, must_change_password, failed_sign_ins, locked_until, created_at, updated_at';
const USER_VALUES = '@email, @name, @roles, @disabled, @source, @oidc_subject, @password_hash, @must_change_password, @failed_sign_ins, @locked_until, @created_at, @updated_at';
const SESSION_COLUMNS = 'id_hash, email, via, created_at, last_seen_at, expires_at, address';
const TOKEN_COLUMNS = 'id, hash, email, name, created_at, expires_at, created_by, revoked_at, last_used_at';
const AUDIT_COLUMNS = 'seq, at, actor, action, object, address, details, prev_hash, hash';

/**
 * The identity tables' statements (see schema.ts): the embedded store's IdentityStore. Every
 * statement runs synchronously on the event loop, so a read-then-write in one transaction is atomic
 * for this process; `.immediate()` takes the write lock first, so it is for another process on the
 * same file as well.
 */
export class SqliteIdentityStore implements IdentityStore {
  private readonly pageSize: number;
  private readonly userByEmail;
  private readonly userBySubject;
  private readonly allUsers;
  private readonly upsertUser;
  private readonly insertUserIfNew;
  private readonly upsertSession;
  private readonly sessionById;
  private readonly touchSessionById;
  private readonly deleteSessionById;
  private readonly sessionIdsOf;
  private readonly deleteSessionsOfEmail;
  private readonly deleteExpired;
  private readonly upsertToken;
  private readonly tokenByHash;
  private readonly allTokens;
  private readonly tokensOf;
  private readonly revokeTokenById;
  private readonly touchTokenById;
  private readonly upsertPending;
  private readonly pendingById;
  private readonly deletePending;
  private readonly deleteExpiredPending;
  private readonly lastAudit;
  private readonly insertAudit;
  private readonly auditAfter;
  private readonly firstAuditFrom;
  private readonly lastOfPrefix;
  private readonly deleteAuditThrough;
  private readonly anchor;
  private readonly setAnchor;
  /** listAudit's statements, one per combination of filters. */
  private readonly listings = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** Throws once the store is closed. */
    private readonly check: () => void,
    opts: IdentityTablesOptions = {},
  ) {
    this.pageSize = opts.auditPageSize ?? AUDIT_PAGE;
    this.userByEmail = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`);
    this.userBySubject = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE oidc_subject = ? LIMIT 1`);
    this.allUsers = db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY email`);
    this.upsertUser = db.prepare(`INSERT OR REPLACE INTO users (${USER_COLUMNS}) VALUES (${USER_VALUES})`);
    this.insertUserIfNew = db.prepare(`INSERT OR IGNORE INTO users (${USER_COLUMNS}) VALUES (${USER_VALUES})`);

    this.upsertSession = db.prepare(`INSERT OR REPLACE INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.sessionById = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id_hash = ?`);
    this.touchSessionById = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
    this.deleteSessionById = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
    this.sessionIdsOf = db.prepare('SELECT id_hash FROM sessions WHERE email = ?').pluck();
    this.deleteSessionsOfEmail = db.prepare('DELETE FROM sessions WHERE email = ?');
    this.deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?');

    // An upsert on the id, not INSERT OR REPLACE: that would silently delete another token with the same hash.
    this.upsertToken = db.prepare(
      `INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, email = excluded.email, name = excluded.name, created_at = excluded.created_at,
         expires_at = excluded.expires_at, created_by = excluded.created_by, revoked_at = excluded.revoked_at, last_used_at = excluded.last_used_at`,
    );
    this.tokenByHash = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?`);
    this.allTokens = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id DESC`);
    this.tokensOf = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE email = ? ORDER BY created_at DESC, id DESC`);
    this.revokeTokenById = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.touchTokenById = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');

    this.upsertPending = db.prepare('INSERT OR REPLACE INTO pending_signins (state_hash, code_verifier, nonce, return_to, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.pendingById = db.prepare('SELECT state_hash, code_verifier, nonce, return_to, expires_at FROM pending_signins WHERE state_hash = ?');
    this.deletePending = db.prepare('DELETE FROM pending_signins WHERE state_hash = ?');
    this.deleteExpiredPending = db.prepare('DELETE FROM pending_signins WHERE expires_at <= ?');

    this.lastAudit = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.insertAudit = db.prepare(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.auditAfter = db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`);
    // By seq from the start, not by the at index: it reads just the prefix that pruning removes.
    this.firstAuditFrom = db.prepare('SELECT seq FROM audit WHERE at >= ? ORDER BY seq LIMIT 1').pluck();
    this.lastOfPrefix = db.prepare('SELECT seq, hash FROM (SELECT seq, hash FROM audit WHERE seq < ? ORDER BY seq LIMIT ?) ORDER BY seq DESC LIMIT 1');
    this.deleteAuditThrough = db.prepare('DELETE FROM audit WHERE seq <= ?');
    this.anchor = db.prepare('SELECT seq, hash FROM audit_anchor WHERE id = 1');
    this.setAnchor = db.prepare('INSERT OR REPLACE INTO audit_anchor (id, seq, hash) VALUES (1, ?, ?)');
  }

  async getUser(email: string): Promise<UserRecord | null> {
    this.check();
    return userOf(this.userByEmail.get(email) as UserRow | undefined);
  }

  async getUserBySubject(subject: string): Promise<UserRecord | null> {
    this.check();
    return userOf(this.userBySubject.get(subject) as UserRow | undefined);
  }

  async listUsers(): Promise<UserRecord[]> {
    this.check();
    return (this.allUsers.all() as UserRow[]).map((r) => userOf(r)!);
  }

  async putUser(user: UserRecord): Promise<void> {
    this.check();
    this.upsertUser.run(userRow(user));
  }

  async insertUser(user: UserRecord): Promise<boolean> {
    this.check();
    return this.insertUserIfNew.run(userRow(user)).changes === 1;
  }

  async putSession(s: SessionRecord): Promise<void> {
    this.check();
    this.upsertSession.run(s.idHash, s.email, s.via, s.createdAt, s.lastSeenAt, s.expiresAt, s.address);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    this.check();
    const r = this.sessionById.get(idHash) as SessionRow | undefined;
    return r ? { idHash: r.id_hash, email: r.email, via: r.via, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, address: r.address } : null;
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    this.check();
    this.touchSessionById.run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<boolean> {
    this.check();
    return this.deleteSessionById.run(idHash).changes === 1;
  }

  async deleteSessionsOf(email: string): Promise<string[]> {
    this.check();
    return this.db.transaction(() => {
      const ids = this.sessionIdsOf.all(email) as string[];
      this.deleteSessionsOfEmail.run(email);
      return ids;
    })();
  }

  async deleteExpiredSessions(now: number, idleBefore: number): Promise<number> {
    this.check();
    return this.deleteExpired.run(now, idleBefore).changes;
  }

  async putToken(t: ApiTokenRecord): Promise<void> {
    this.check();
    this.upsertToken.run(t.id, t.hash, t.email, t.name, t.createdAt, t.expiresAt, t.createdBy, t.revokedAt, t.lastUsedAt);
  }

  async getTokenByHash(hash: string): Promise<ApiTokenRecord | null> {
    this.check();
    const r = this.tokenByHash.get(hash) as TokenRow | undefined;
    return r ? tokenOf(r) : null;
  }

  async listTokens(email?: string): Promise<ApiTokenRecord[]> {
    this.check();
    const rows = (email === undefined ? this.allTokens.all() : this.tokensOf.all(email)) as TokenRow[];
    return rows.map(tokenOf);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    this.check();
    return this.revokeTokenById.run(at, id).changes === 1;
  }

  async touchToken(id: string, at: string): Promise<void> {
    this.check();
    this.touchTokenById.run(at, id);
  }

  async putPendingSignIn(p: PendingSignIn): Promise<void> {
    this.check();
    this.upsertPending.run(p.stateHash, p.codeVerifier, p.nonce, p.returnTo, p.expiresAt);
  }

  /** Also drops the sign-ins abandoned at the identity provider, so the table stays small without a job of its own. */
  async takePendingSignIn(stateHash: string, now: number): Promise<PendingSignIn | null> {
    this.check();
    return this.db.transaction(() => {
      const r = this.pendingById.get(stateHash) as PendingRow | undefined;
      if (r) this.deletePending.run(stateHash);
      this.deleteExpiredPending.run(now);
      if (!r || r.expires_at <= now) return null;
      return { stateHash: r.state_hash, codeVerifier: r.code_verifier, nonce: r.nonce, returnTo: r.return_to, expiresAt: r.expires_at };
    })();
  }

  async appendAudit(make: (last: AuditLink | null) => AuditRecord): Promise<AuditRecord> {
    this.check();
    return this.db
      .transaction(() => {
        const last = (this.lastAudit.get() as AuditLink | undefined) ?? (this.anchor.get() as AuditLink | undefined) ?? null;
        const entry = make(last);
        checkFollows(entry, last);
        this.insertAudit.run(entry.seq, entry.at, entry.actor, entry.action, entry.object, entry.address, entry.details ? JSON.stringify(entry.details) : null, entry.prevHash, entry.hash);
        return entry;
      })
      .immediate();
  }

  async listAudit(q: AuditQuery): Promise<AuditRecord[]> {
    this.check();
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: q.limit ?? 1000 };
    if (q.actor !== undefined) (where.push('actor = @actor'), (params.actor = q.actor));
    if (q.action !== undefined) (where.push('action = @action'), (params.action = q.action));
    if (q.object !== undefined) (where.push('object = @object'), (params.object = q.object));
    if (q.from !== undefined) (where.push('at >= @from'), (params.from = q.from));
    if (q.to !== undefined) (where.push('at < @to'), (params.to = q.to));
    if (q.afterSeq !== undefined) (where.push('seq > @afterSeq'), (params.afterSeq = q.afterSeq));
    if (q.beforeSeq !== undefined) (where.push('seq < @beforeSeq'), (params.beforeSeq = q.beforeSeq));
    const sql = `SELECT ${AUDIT_COLUMNS} FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq ${q.newestFirst ? 'DESC' : ''} LIMIT @limit`;
    let stmt = this.listings.get(sql);
    if (!stmt) this.listings.set(sql, (stmt = this.db.prepare(sql)));
    return (stmt.all(params) as AuditRow[]).map(auditOf);
  }

  /** A page per read: no statement is held open between pages, so appends go on meanwhile. */
  async *auditRecords(): AsyncIterable<AuditRecord[]> {
    for (let after = 0; ; ) {
      this.check();
      const page = (this.auditAfter.all(after, this.pageSize) as AuditRow[]).map(auditOf);
      if (!page.length) return;
      yield page;
      after = page[page.length - 1].seq;
    }
  }

  /**
   * The prefix is fixed first (everything before the first entry that is not older), then removed a
   * page of entries per transaction, each moving the anchor with it: every transaction leaves a chain
   * that verifies, and a first prune of a long trail does not hold the event loop (webhooks wait on
   * it) for the whole deletion.
   */
  async pruneAudit(before: string): Promise<{ removed: number; lastRemoved: AuditLink | null }> {
    this.check();
    const stop = this.db.transaction(() => (this.firstAuditFrom.get(before) as number | undefined) ?? ((this.lastAudit.get() as AuditLink | undefined)?.seq ?? 0) + 1)();
    let removed = 0;
    let lastRemoved: AuditLink | null = null;
    for (;;) {
      this.check();
      const chunk = this.db
        .transaction(() => {
          const last = this.lastOfPrefix.get(stop, this.pageSize) as AuditLink | undefined;
          if (!last) return null;
          const n = this.deleteAuditThrough.run(last.seq).changes;
          this.setAnchor.run(last.seq, last.hash);
          return { n, last: { seq: last.seq, hash: last.hash } };
        })
        .immediate();
      if (!chunk) break;
      removed += chunk.n;
      lastRemoved = chunk.last;
      if (chunk.n < this.pageSize) break;
      await yieldToIo();
    }
    return { removed, lastRemoved };
  }

  async auditAnchor(): Promise<AuditLink | null> {
    this.check();
    const r = this.anchor.get() as AuditLink | undefined;
    return r ? { seq: r.seq, hash: r.hash } : null;
  }
}

function userRow(u: UserRecord): UserRow {
  return {
    email: u.email,
    name: u.name,
    roles: JSON.stringify(u.roles),
    disabled: u.disabled ? 1 : 0,
    source: u.source,
    oidc_subject: u.oidcSubject,
    password_hash: u.passwordHash,
    must_change_password: u.mustChangePassword ? 1 : 0,
    failed_sign_ins: u.failedSignIns,
    locked_until: u.lockedUntil,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

function userOf(r: UserRow | undefined): UserRecord | null {
  if (!r) return null;
  return {
    email: r.email,
    name: r.name,
    roles: JSON.parse(r.roles) as Role[],
    disabled: r.disabled === 1,
    source: r.source,
    oidcSubject: r.oidc_subject,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password === 1,
    failedSignIns: r.failed_sign_ins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function tokenOf(r: TokenRow): ApiTokenRecord {
  return { id: r.id, hash: r.hash, email: r.email, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, createdBy: r.created_by, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at };
}

function auditOf(r: AuditRow): AuditRecord {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    object: r.object,
    address: r.address,
    details: r.details === null ? null : (JSON.parse(r.details) as AuditRecord['details']),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
