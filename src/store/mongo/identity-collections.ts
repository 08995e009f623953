import { Schema, type Connection, type Model } from 'mongoose';
import type { ApiTokenRecord, AuditLink, AuditQuery, AuditRecord, IdentityStore, PendingSignIn, SessionRecord, UserRecord } from '../../identity/model';
import { checkFollows } from '../audit-sequence';

/**
 * The Mongo store's IdentityStore and its collections. Each record's key is the document's _id (the
 * e-mail, the session's id hash, the token's id, the state's hash, the audit entry's seq), so the
 * key's uniqueness is the server's, on MongoDB and FerretDB alike. Writes go through the driver's
 * collection (as in mongo-store.ts): the documents are the records as they are, without mongoose's
 * casting; reads through the models, lean.
 */

const DUPLICATE_KEY = 11000;
/** Audit entries read per page by auditRecords. */
export const AUDIT_PAGE = 1000;
/** Appends that lose to another instance's in a row before appendAudit gives up (see appendAudit). */
const AUDIT_APPEND_ATTEMPTS = 50;
/** The one document of the audit anchor collection. */
const ANCHOR_ID = 'anchor';

type UserDoc = Omit<UserRecord, 'email'> & { _id: string };
type SessionDoc = Omit<SessionRecord, 'idHash'> & { _id: string };
type TokenDoc = Omit<ApiTokenRecord, 'id'> & { _id: string };
type PendingDoc = Omit<PendingSignIn, 'stateHash'> & { _id: string };
type AuditDoc = Omit<AuditRecord, 'seq'> & { _id: number };
type AnchorDoc = { _id: string; seq: number; hash: string };

const userSchema = new Schema<UserDoc>(
  {
    _id: String,
    name: String,
    roles: [String],
    disabled: Boolean,
    source: String,
    oidcSubject: String,
    passwordHash: String,
    mustChangePassword: Boolean,
    failedSignIns: Number,
    lockedUntil: Number,
    createdAt: String,
    updatedAt: String,
  },
  { versionKey: false, collection: 'users' },
);
// Sign-in through the identity provider finds the user by its `sub`.
userSchema.index({ oidcSubject: 1 });

const sessionSchema = new Schema<SessionDoc>(
  { _id: String, email: String, via: String, createdAt: Number, lastSeenAt: Number, expiresAt: Number, address: String },
  { versionKey: false, collection: 'sessions' },
);
// Ending a user's sessions (disabled, password changed). Expiry scans them all: a few hundred at most.
sessionSchema.index({ email: 1 });

const tokenSchema = new Schema<TokenDoc>(
  { _id: String, hash: String, email: String, name: String, createdAt: String, expiresAt: String, createdBy: String, revokedAt: String, lastUsedAt: String },
  { versionKey: false, collection: 'apitokens' },
);
// Every scripted request finds its token by the bearer token's hash; two tokens never share one.
tokenSchema.index({ hash: 1 }, { unique: true });
tokenSchema.index({ email: 1, createdAt: -1 });

const pendingSchema = new Schema<PendingDoc>(
  { _id: String, codeVerifier: String, nonce: String, returnTo: String, expiresAt: Number },
  { versionKey: false, collection: 'pendingsignins' },
);

const auditSchema = new Schema<AuditDoc>(
  { _id: Number, at: String, actor: String, action: String, object: String, address: String, details: Schema.Types.Mixed, prevHash: String, hash: String },
  { versionKey: false, collection: 'audit', minimize: false },
);
// The seq is the _id: unique, so two appends of the same seq cannot both land. Listings filter by
// one of these and page by seq; retention and the time filter go by `at`.
auditSchema.index({ at: 1 });
auditSchema.index({ actor: 1, _id: 1 });
auditSchema.index({ action: 1, _id: 1 });
auditSchema.index({ object: 1, _id: 1 });

const anchorSchema = new Schema<AnchorDoc>({ _id: String, seq: Number, hash: String }, { versionKey: false, collection: 'auditanchor' });

export interface IdentityModels {
  User: Model<UserDoc>;
  Session: Model<SessionDoc>;
  Token: Model<TokenDoc>;
  Pending: Model<PendingDoc>;
  Audit: Model<AuditDoc>;
  AuditAnchor: Model<AnchorDoc>;
}

/** Registers the identity models on the store's connection; their indexes are built by createIdentityIndexes. */
export function registerIdentityModels(conn: Connection): IdentityModels {
  return {
    User: conn.model<UserDoc>('StaffUser', userSchema),
    Session: conn.model<SessionDoc>('StaffSession', sessionSchema),
    Token: conn.model<TokenDoc>('ApiToken', tokenSchema),
    Pending: conn.model<PendingDoc>('PendingSignIn', pendingSchema),
    Audit: conn.model<AuditDoc>('AuditEntry', auditSchema),
    AuditAnchor: conn.model<AnchorDoc>('AuditAnchor', anchorSchema),
  };
}

export async function createIdentityIndexes(m: IdentityModels): Promise<void> {
  await Promise.all([m.User.createIndexes(), m.Session.createIndexes(), m.Token.createIndexes(), m.Pending.createIndexes(), m.Audit.createIndexes(), m.AuditAnchor.createIndexes()]);
}

export interface MongoIdentityOptions {
  /** Options of every bounded request (see OPERATION_TIMEOUT_MS in mongo-store.ts). */
  op: { timeoutMS?: number };
  /** See AUDIT_PAGE (tests make it small to see several pages). */
  auditPageSize?: number;
}

export class MongoIdentityStore implements IdentityStore {
  private readonly op: { timeoutMS?: number };
  private readonly pageSize: number;
  /** This process's appends, one after another (see appendAudit). */
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly m: IdentityModels,
    opts: MongoIdentityOptions,
  ) {
    this.op = opts.op;
    this.pageSize = opts.auditPageSize ?? AUDIT_PAGE;
  }

  async getUser(email: string): Promise<UserRecord | null> {
    const d = await this.m.User.findById(email).setOptions(this.op).lean<UserDoc>();
    return d ? userOf(d) : null;
  }

  async getUserBySubject(subject: string): Promise<UserRecord | null> {
    const d = await this.m.User.findOne({ oidcSubject: subject }).setOptions(this.op).lean<UserDoc>();
    return d ? userOf(d) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const docs = await this.m.User.find({}).sort({ _id: 1 }).setOptions(this.op).lean<UserDoc[]>();
    return docs.map(userOf);
  }

  async putUser(user: UserRecord): Promise<void> {
    const { email, ...rest } = user;
    await this.m.User.collection.replaceOne({ _id: email } as never, rest, { upsert: true, ...this.op });
  }

  async insertUser(user: UserRecord): Promise<boolean> {
    const { email, ...rest } = user;
    try {
      await this.m.User.collection.insertOne({ _id: email, ...rest } as never, this.op);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async putSession(session: SessionRecord): Promise<void> {
    const { idHash, ...rest } = session;
    await this.m.Session.collection.replaceOne({ _id: idHash } as never, rest, { upsert: true, ...this.op });
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const d = await this.m.Session.findById(idHash).setOptions(this.op).lean<SessionDoc>();
    return d ? sessionOf(d) : null;
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    await this.m.Session.collection.updateOne({ _id: idHash } as never, { $set: { lastSeenAt } }, this.op);
  }

  async deleteSession(idHash: string): Promise<boolean> {
    const r = await this.m.Session.collection.deleteOne({ _id: idHash } as never, this.op);
    return r.deletedCount === 1;
  }

  /** The sessions found are the ones deleted: one started meanwhile is neither (nor is it reported as ended). */
  async deleteSessionsOf(email: string): Promise<string[]> {
    const docs = await this.m.Session.find({ email }, { _id: 1 }).setOptions(this.op).lean<{ _id: string }[]>();
    const ids = docs.map((d) => d._id);
    if (ids.length) await this.m.Session.collection.deleteMany({ _id: { $in: ids } } as never, this.op);
    return ids;
  }

  async deleteExpiredSessions(now: number, idleBefore: number): Promise<number> {
    const r = await this.m.Session.collection.deleteMany({ $or: [{ expiresAt: { $lte: now } }, { lastSeenAt: { $lt: idleBefore } }] }, this.op);
    return r.deletedCount;
  }

  async putToken(token: ApiTokenRecord): Promise<void> {
    const { id, ...rest } = token;
    await this.m.Token.collection.replaceOne({ _id: id } as never, rest, { upsert: true, ...this.op });
  }

  async getTokenByHash(hash: string): Promise<ApiTokenRecord | null> {
    const d = await this.m.Token.findOne({ hash }).setOptions(this.op).lean<TokenDoc>();
    return d ? tokenOf(d) : null;
  }

  async listTokens(email?: string): Promise<ApiTokenRecord[]> {
    const docs = await this.m.Token.find(email === undefined ? {} : { email })
      .sort({ createdAt: -1, _id: -1 })
      .setOptions(this.op)
      .lean<TokenDoc[]>();
    return docs.map(tokenOf);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const r = await this.m.Token.collection.updateOne({ _id: id, revokedAt: null } as never, { $set: { revokedAt: at } }, this.op);
    return r.modifiedCount === 1;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.m.Token.collection.updateOne({ _id: id } as never, { $set: { lastUsedAt: at } }, this.op);
  }

  async putPendingSignIn(pending: PendingSignIn): Promise<void> {
    const { stateHash, ...rest } = pending;
    await this.m.Pending.collection.replaceOne({ _id: stateHash } as never, rest, { upsert: true, ...this.op });
  }

  /**
   * findOneAndDelete: of two callbacks with the same state, one gets it. Also drops the sign-ins
   * abandoned at the identity provider, so the collection stays small without a TTL index (which
   * FerretDB lacks) or a job of its own.
   */
  async takePendingSignIn(stateHash: string, now: number): Promise<PendingSignIn | null> {
    const d = await this.m.Pending.collection.findOneAndDelete({ _id: stateHash } as never, this.op);
    await this.m.Pending.collection.deleteMany({ expiresAt: { $lte: now } }, this.op);
    if (!d || (d.expiresAt as number) <= now) return null;
    return { stateHash, codeVerifier: d.codeVerifier as string, nonce: d.nonce as string, returnTo: d.returnTo as string, expiresAt: d.expiresAt as number };
  }

  /**
   * No transactions (FerretDB has none): the entry goes in with its seq as _id, and an append that
   * read the same last link as another's loses on the duplicate key, reads the new end and tries
   * again. This process's appends wait for each other, so the retries are for appends of other
   * instances only: a burst of audited requests here costs one round trip pair each, not a race that
   * grows with the square of the burst.
   */
  appendAudit(make: (last: AuditLink | null) => AuditRecord): Promise<AuditRecord> {
    const appended = this.appending.then(() => this.appendRetrying(make));
    this.appending = appended.catch(() => undefined);
    return appended;
  }

  private async appendRetrying(make: (last: AuditLink | null) => AuditRecord): Promise<AuditRecord> {
    for (let attempt = 1; ; attempt++) {
      const last = await this.lastLink();
      const entry = make(last);
      checkFollows(entry, last);
      try {
        await this.m.Audit.collection.insertOne(auditDoc(entry) as never, this.op);
        return entry;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (attempt === AUDIT_APPEND_ATTEMPTS) throw new Error(`audit entry not appended: another instance appended first ${attempt} times in a row`, { cause: err });
      }
    }
  }

  /**
   * The last entry, or the anchor when pruning removed every entry. Pruning writes the anchor before
   * it deletes, so a trail found empty has its anchor in place already.
   */
  private async lastLink(): Promise<AuditLink | null> {
    return (await this.linkOfFirst({}, -1)) ?? this.auditAnchor();
  }

  async listAudit(q: AuditQuery): Promise<AuditRecord[]> {
    const filter: Record<string, unknown> = {};
    if (q.actor !== undefined) filter.actor = q.actor;
    if (q.action !== undefined) filter.action = q.action;
    if (q.object !== undefined) filter.object = q.object;
    const at: Record<string, string> = {};
    if (q.from !== undefined) at.$gte = q.from;
    if (q.to !== undefined) at.$lt = q.to;
    if (Object.keys(at).length) filter.at = at;
    const seq: Record<string, number> = {};
    if (q.afterSeq !== undefined) seq.$gt = q.afterSeq;
    if (q.beforeSeq !== undefined) seq.$lt = q.beforeSeq;
    if (Object.keys(seq).length) filter._id = seq;
    const docs = await this.m.Audit.find(filter).sort({ _id: q.newestFirst ? -1 : 1 }).limit(q.limit ?? 1000).setOptions(this.op).lean<AuditDoc[]>();
    return docs.map(auditOf);
  }

  async *auditRecords(): AsyncIterable<AuditRecord[]> {
    for (let after = 0; ; ) {
      const docs = await this.m.Audit.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(this.pageSize).setOptions(this.op).lean<AuditDoc[]>();
      if (!docs.length) return;
      yield docs.map(auditOf);
      after = docs[docs.length - 1]._id;
    }
  }

  /**
   * Finds the prefix (the entries before the first that is not older), moves the anchor to its last
   * entry and only then deletes it. Without transactions the two writes can be parted by a crash:
   * this order leaves entries that are at or before the anchor, each still linked to the one before,
   * and the first after the anchor linked to it, so the trail still verifies from the anchor (and the
   * next prune removes the leftovers). The other order would leave a first entry whose previous link
   * is nowhere to be found: a broken chain, which is what tampering looks like.
   */
  async pruneAudit(before: string): Promise<{ removed: number; lastRemoved: AuditLink | null }> {
    // Bounded by the end as it is now: an entry appended meanwhile is not looked at, let alone removed.
    const end = await this.linkOfFirst({}, -1);
    if (!end) return { removed: 0, lastRemoved: null };
    const firstKept = await this.linkOfFirst({ at: { $gte: before }, _id: { $lte: end.seq } }, 1);
    const link = firstKept ? await this.linkOfFirst({ _id: { $lt: firstKept.seq } }, -1) : end;
    if (!link) return { removed: 0, lastRemoved: null };
    await this.moveAnchor(link);
    const r = await this.m.Audit.collection.deleteMany({ _id: { $lte: link.seq } } as never, this.op);
    // A prune running at the same time may have removed them first.
    return r.deletedCount ? { removed: r.deletedCount, lastRemoved: link } : { removed: 0, lastRemoved: null };
  }

  /** The link of the first entry matching `filter` in this seq order (1: lowest seq, -1: highest); null when none matches. */
  private async linkOfFirst(filter: Record<string, unknown>, order: 1 | -1): Promise<AuditLink | null> {
    const [d] = await this.m.Audit.find(filter, { hash: 1 }).sort({ _id: order }).limit(1).setOptions(this.op).lean<{ _id: number; hash: string }[]>();
    return d ? { seq: d._id, hash: d.hash } : null;
  }

  /** Sets the anchor unless it is at `link` or further already (a prune at the same time went further). */
  private async moveAnchor(link: AuditLink): Promise<void> {
    try {
      await this.m.AuditAnchor.collection.updateOne({ _id: ANCHOR_ID, seq: { $lt: link.seq } } as never, { $set: { seq: link.seq, hash: link.hash } }, { upsert: true, ...this.op });
    } catch (err) {
      // The anchor exists and is not behind: the upsert's insert collided with it.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async auditAnchor(): Promise<AuditLink | null> {
    const d = await this.m.AuditAnchor.findById(ANCHOR_ID).setOptions(this.op).lean<AnchorDoc>();
    return d ? { seq: d.seq, hash: d.hash } : null;
  }
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === DUPLICATE_KEY;
}

function userOf(d: UserDoc): UserRecord {
  return {
    email: d._id,
    name: d.name,
    roles: [...d.roles],
    disabled: d.disabled,
    source: d.source,
    oidcSubject: d.oidcSubject ?? null,
    passwordHash: d.passwordHash ?? null,
    mustChangePassword: d.mustChangePassword,
    failedSignIns: d.failedSignIns,
    lockedUntil: d.lockedUntil ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function sessionOf(d: SessionDoc): SessionRecord {
  return { idHash: d._id, email: d.email, via: d.via, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, expiresAt: d.expiresAt, address: d.address ?? null };
}

function tokenOf(d: TokenDoc): ApiTokenRecord {
  return {
    id: d._id,
    hash: d.hash,
    email: d.email,
    name: d.name,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    createdBy: d.createdBy,
    revokedAt: d.revokedAt ?? null,
    lastUsedAt: d.lastUsedAt ?? null,
  };
}

function auditDoc(e: AuditRecord): AuditDoc {
  const { seq, ...rest } = e;
  return { _id: seq, ...rest };
}

function auditOf(d: AuditDoc): AuditRecord {
  return {
    seq: d._id,
    at: d.at,
    actor: d.actor,
    action: d.action,
    object: d.object ?? null,
    address: d.address ?? null,
    details: d.details ?? null,
    prevHash: d.prevHash,
    hash: d.hash,
  };
}
