import { randomBytes } from 'node:crypto';
import type { ApiTokenRecord, IdentityStore, UserRecord } from './model';
import { newSecret, secretHash } from './secrets';

/** Personal tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'cpt_';
/** A token lives at most a year: one that outlives its purpose expires on its own. */
export const MAX_TOKEN_DAYS = 366;

/** lastUsedAt is written at most this often per token. */
const TOUCH_EVERY_MS = 5 * 60_000;

/**
 * Personal API tokens for scripts and integrations: created for a user, shown once, stored as a
 * hash, with a name and an expiry, revocable. A token acts as its user with the user's roles now,
 * so disabling the user or taking a role away applies to their tokens at once.
 */
export class ApiTokens {
  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number,
  ) {}

  async create(user: UserRecord, name: string, expiresInDays: number, createdBy: string): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = TOKEN_PREFIX + newSecret();
    const at = this.now();
    const record: ApiTokenRecord = {
      id: randomBytes(6).toString('hex'),
      hash: secretHash(token),
      email: user.email,
      name,
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + expiresInDays * 86_400_000).toISOString(),
      createdBy,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.store.putToken(record);
    return { token, record };
  }

  /** The token's record and user when it is valid now: known, not revoked or expired, its user enabled. */
  async resolve(token: string): Promise<{ record: ApiTokenRecord; user: UserRecord } | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const record = await this.store.getTokenByHash(secretHash(token));
    const at = this.now();
    if (!record || record.revokedAt || Date.parse(record.expiresAt) <= at) return null;
    const user = await this.store.getUser(record.email);
    if (!user || user.disabled) return null;
    if (!record.lastUsedAt || at - Date.parse(record.lastUsedAt) >= TOUCH_EVERY_MS) await this.store.touchToken(record.id, new Date(at).toISOString());
    return { record, user };
  }

  list(email?: string): Promise<ApiTokenRecord[]> {
    return this.store.listTokens(email);
  }

  revoke(id: string): Promise<boolean> {
    return this.store.revokeToken(id, new Date(this.now()).toISOString());
  }
}

/** A token as listings show it: never its hash. */
export function tokenView(t: ApiTokenRecord) {
  return { id: t.id, email: t.email, name: t.name, createdAt: t.createdAt, expiresAt: t.expiresAt, createdBy: t.createdBy, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt };
}
