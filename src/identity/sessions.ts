import { createHmac } from 'node:crypto';
import type { IdentityStore, SessionRecord, UserRecord } from './model';
import { newSecret, secretHash } from './secrets';

export interface SessionPolicy {
  /** A session unused this long ends (ms). */
  idleMs: number;
  /** A session ends this long after sign-in, however busy (ms). */
  absoluteMs: number;
}

/** lastSeenAt is written at most this often: a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface OpenSession {
  record: SessionRecord;
  user: UserRecord;
}

/**
 * Server-side sessions. The browser holds a random id in a cookie; the store holds its hash, the
 * user and the times. Ending a session deletes it, so a copied cookie stops working at once.
 */
export class Sessions {
  private readonly ended = new Set<(idHashes: string[]) => void>();

  constructor(
    private readonly store: IdentityStore,
    private readonly policy: SessionPolicy,
    private readonly now: () => number,
  ) {}

  async start(user: UserRecord, via: SessionRecord['via'], address: string | null): Promise<{ cookieValue: string; record: SessionRecord }> {
    const cookieValue = newSecret();
    const at = this.now();
    const record: SessionRecord = { idHash: secretHash(cookieValue), email: user.email, via, createdAt: at, lastSeenAt: at, expiresAt: at + this.policy.absoluteMs, address };
    await this.store.putSession(record);
    return { cookieValue, record };
  }

  /** The session and its user, or null when it is unknown, expired, idle too long, or its user is disabled. */
  async resolve(cookieValue: string): Promise<OpenSession | null> {
    const idHash = secretHash(cookieValue);
    const record = await this.store.getSession(idHash);
    if (!record) return null;
    const at = this.now();
    if (!this.isLive(record, at)) {
      await this.end(idHash);
      return null;
    }
    const user = await this.store.getUser(record.email);
    if (!user || user.disabled) {
      await this.end(idHash);
      return null;
    }
    if (at - record.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.store.touchSession(idHash, at);
      record.lastSeenAt = at;
    }
    return { record, user };
  }

  /**
   * Whether a session found earlier is still open (the live feed asks every minute); a board that is
   * watched counts as use, so it moves lastSeenAt on like a request.
   */
  async isOpen(idHash: string): Promise<boolean> {
    const record = await this.store.getSession(idHash);
    if (!record || !this.isLive(record)) {
      if (record) await this.end(idHash);
      return false;
    }
    const user = await this.store.getUser(record.email);
    if (!user || user.disabled) return false;
    const at = this.now();
    if (at - record.lastSeenAt >= TOUCH_EVERY_MS) await this.store.touchSession(idHash, at);
    return true;
  }

  /** Whether a session found earlier is still within its idle timeout and lifetime (the live feed re-checks with this). */
  isLive(record: SessionRecord, at = this.now()): boolean {
    return at < record.expiresAt && at - record.lastSeenAt < this.policy.idleMs;
  }

  async end(idHash: string): Promise<void> {
    if (await this.store.deleteSession(idHash)) this.notify([idHash]);
  }

  /** Ends every session of a user: disabled, a role changed, a password reset. */
  async endAllOf(email: string): Promise<number> {
    const ended = await this.store.deleteSessionsOf(email);
    if (ended.length) this.notify(ended);
    return ended.length;
  }

  removeExpired(): Promise<number> {
    const at = this.now();
    return this.store.deleteExpiredSessions(at, at - this.policy.idleMs);
  }

  /** Tells listeners (the live feed) which sessions ended on this instance. */
  onEnded(fn: (idHashes: string[]) => void): () => void {
    this.ended.add(fn);
    return () => this.ended.delete(fn);
  }

  private notify(idHashes: string[]): void {
    for (const fn of this.ended) fn(idHashes);
  }
}

/**
 * The anti-forgery token of a session: derived from the session id, so nothing more is stored, and
 * unknowable to another site, which cannot read the cookie. Sent by the dashboard as X-CSRF-Token on
 * every state-changing request made with the cookie.
 */
export function csrfTokenFor(cookieValue: string): string {
  return createHmac('sha256', cookieValue).update('callpath csrf').digest('base64url');
}
