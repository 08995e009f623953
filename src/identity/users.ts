import { randomInt } from 'node:crypto';
import { normaliseEmail } from './local-signin';
import type { IdentityStore, Role, UserRecord } from './model';
import { ROLES } from './model';
import { hashPassword } from './passwords';
import type { Sessions } from './sessions';

export class UserError extends Error {
  constructor(
    readonly kind: 'exists' | 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export interface NewUser {
  email: string;
  name: string;
  roles: Role[];
  /** 'oidc': signs in through the identity provider only (no password here). Default 'local'. */
  source?: UserRecord['source'];
}

export interface UserChange {
  name?: string;
  roles?: Role[];
  disabled?: boolean;
}

/** Words a temporary password is made of: easy to read out over the phone, long enough to be strong. */
const WORDS = ['gran', 'tall', 'björk', 'sjö', 'älv', 'fjäll', 'skog', 'äng', 'vik', 'ö', 'mosse', 'å', 'kust', 'dal', 'ås', 'hed', 'lund', 'strand', 'bro', 'torg'];

/** A one-time password for a new or reset account: four words and a number, changed at first sign-in. */
export function temporaryPassword(): string {
  const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]);
  return `${words.join('-')}-${randomInt(10, 100)}`;
}

export function sortedRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

/**
 * Staff accounts: created by an admin (or by the first sign-in through the identity provider),
 * changed, disabled. A change of roles or a disabling ends the user's sessions, so it applies at once.
 */
export class Users {
  constructor(
    private readonly store: IdentityStore,
    private readonly sessions: Sessions,
    private readonly now: () => number,
  ) {}

  get(email: string): Promise<UserRecord | null> {
    return this.store.getUser(normaliseEmail(email));
  }

  list(): Promise<UserRecord[]> {
    return this.store.listUsers();
  }

  /** A local account gets a temporary password, returned this once, to be changed at first sign-in. */
  async create(n: NewUser): Promise<{ user: UserRecord; temporaryPassword: string | null }> {
    const source = n.source ?? 'local';
    const password = source === 'local' ? temporaryPassword() : null;
    const at = new Date(this.now()).toISOString();
    const user: UserRecord = {
      email: normaliseEmail(n.email),
      name: n.name.trim(),
      roles: sortedRoles(n.roles),
      disabled: false,
      source,
      oidcSubject: null,
      passwordHash: password ? await hashPassword(password) : null,
      mustChangePassword: source === 'local',
      failedSignIns: 0,
      lockedUntil: null,
      createdAt: at,
      updatedAt: at,
    };
    if (!(await this.store.insertUser(user))) throw new UserError('exists', `A user with the e-mail address ${user.email} exists already`);
    return { user, temporaryPassword: password };
  }

  async change(email: string, c: UserChange): Promise<UserRecord> {
    const user = await this.mustGet(email);
    const roles = c.roles ? sortedRoles(c.roles) : user.roles;
    const changed: UserRecord = { ...user, name: c.name?.trim() ?? user.name, roles, disabled: c.disabled ?? user.disabled, updatedAt: new Date(this.now()).toISOString() };
    await this.store.putUser(changed);
    const rolesChanged = roles.join() !== user.roles.join();
    if (rolesChanged || (changed.disabled && !user.disabled)) await this.sessions.endAllOf(user.email);
    return changed;
  }

  /** A new temporary password for a local account (forgotten, or locked out): its sessions end. */
  async resetPassword(email: string): Promise<{ user: UserRecord; temporaryPassword: string }> {
    const user = await this.mustGet(email);
    if (user.source !== 'local') throw new UserError('invalid', `${user.email} signs in through the identity provider and has no password here`);
    const password = temporaryPassword();
    const changed: UserRecord = { ...user, passwordHash: await hashPassword(password), mustChangePassword: true, failedSignIns: 0, lockedUntil: null, updatedAt: new Date(this.now()).toISOString() };
    await this.store.putUser(changed);
    await this.sessions.endAllOf(user.email);
    return { user: changed, temporaryPassword: password };
  }

  /**
   * The user behind a sign-in through the identity provider: found by its subject, else by e-mail
   * (an account an admin created beforehand), else created. The roles come from the provider's claim
   * each time, so a change of group there applies at the next sign-in; other sessions then end.
   */
  async fromIdentityProvider(subject: string, email: string, name: string, roles: Role[]): Promise<UserRecord> {
    const at = new Date(this.now()).toISOString();
    const existing = (await this.store.getUserBySubject(subject)) ?? (await this.store.getUser(normaliseEmail(email)));
    if (!existing) {
      const user: UserRecord = { email: normaliseEmail(email), name, roles: sortedRoles(roles), disabled: false, source: 'oidc', oidcSubject: subject, passwordHash: null, mustChangePassword: false, failedSignIns: 0, lockedUntil: null, createdAt: at, updatedAt: at };
      await this.store.putUser(user);
      return user;
    }
    const next = sortedRoles(roles);
    const changed: UserRecord = { ...existing, name: name || existing.name, roles: next, oidcSubject: subject, updatedAt: at };
    await this.store.putUser(changed);
    if (next.join() !== existing.roles.join()) await this.sessions.endAllOf(existing.email);
    return changed;
  }

  private async mustGet(email: string): Promise<UserRecord> {
    const user = await this.get(email);
    if (!user) throw new UserError('not-found', `No user ${normaliseEmail(email)}`);
    return user;
  }
}

/** A user as the API shows it: never the password hash or the identity provider's subject. */
export function userView(u: UserRecord, now: number) {
  return {
    email: u.email,
    name: u.name,
    roles: u.roles,
    disabled: u.disabled,
    source: u.source,
    mustChangePassword: u.mustChangePassword,
    locked: !!u.lockedUntil && u.lockedUntil > now,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
