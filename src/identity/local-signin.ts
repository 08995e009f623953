import type { IdentityStore, UserRecord } from './model';
import { hashPassword, passwordProblem, verifyPassword, type PasswordProblem } from './passwords';

export interface LockPolicy {
  /** Failed sign-ins in a row that lock the account. */
  maxFailures: number;
  /** How long the lock lasts (ms). */
  lockMs: number;
}

export const DEFAULT_LOCK_POLICY: LockPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

export type SignInResult =
  | { ok: true; user: UserRecord }
  /** `invalid` covers an unknown address, a wrong password and an account of the identity provider alike: the answer tells an attacker nothing. */
  | { ok: false; reason: 'invalid' | 'disabled' }
  | { ok: false; reason: 'locked'; retryAfterSec: number };

export type PasswordChangeResult = { ok: true; user: UserRecord } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'weak'; problem: PasswordProblem };

/**
 * Sign-in with a password for local accounts. Requests per address and per account are limited at
 * the route (express-rate-limit); this counts failures in a row on the account itself, in the store,
 * so the lock holds across instances and restarts.
 */
export class LocalSignIn {
  /** Verified against when the account does not exist, so an unknown address takes as long as a known one. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number,
    private readonly policy: LockPolicy = DEFAULT_LOCK_POLICY,
  ) {
    this.dummyHash = hashPassword('callpath: no such account');
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    const user = await this.store.getUser(normaliseEmail(email));
    if (!user || !user.passwordHash) {
      await verifyPassword(password, await this.dummyHash);
      return { ok: false, reason: 'invalid' };
    }
    const at = this.now();
    if (user.lockedUntil && user.lockedUntil > at) return { ok: false, reason: 'locked', retryAfterSec: Math.ceil((user.lockedUntil - at) / 1000) };
    const right = await verifyPassword(password, user.passwordHash);
    if (!right) {
      const failures = (user.lockedUntil && user.lockedUntil <= at ? 0 : user.failedSignIns) + 1;
      const locks = failures >= this.policy.maxFailures;
      await this.store.putUser({ ...user, failedSignIns: locks ? 0 : failures, lockedUntil: locks ? at + this.policy.lockMs : null, updatedAt: new Date(at).toISOString() });
      return locks ? { ok: false, reason: 'locked', retryAfterSec: Math.ceil(this.policy.lockMs / 1000) } : { ok: false, reason: 'invalid' };
    }
    if (user.disabled) return { ok: false, reason: 'disabled' };
    if (user.failedSignIns || user.lockedUntil) {
      const cleared = { ...user, failedSignIns: 0, lockedUntil: null, updatedAt: new Date(at).toISOString() };
      await this.store.putUser(cleared);
      return { ok: true, user: cleared };
    }
    return { ok: true, user };
  }

  async changePassword(user: UserRecord, current: string, next: string): Promise<PasswordChangeResult> {
    if (!user.passwordHash || !(await verifyPassword(current, user.passwordHash))) return { ok: false, reason: 'wrong-password' };
    const problem = passwordProblem(next, user.email) ?? (next === current ? 'unchanged' : null);
    if (problem) return { ok: false, reason: 'weak', problem };
    const changed: UserRecord = { ...user, passwordHash: await hashPassword(next), mustChangePassword: false, updatedAt: new Date(this.now()).toISOString() };
    await this.store.putUser(changed);
    return { ok: true, user: changed };
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
