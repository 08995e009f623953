import type { Role } from '../../src/identity/model';
import type { Harness } from './harness';

export interface StaffMember {
  email: string;
  roles: Role[];
  /** A personal API token of theirs (Bearer). */
  token: string;
}

/** A user with these roles and a personal token, made through the service's own identity use cases. */
export async function staffMember(h: Harness, email: string, roles: Role[]): Promise<StaffMember> {
  const { user } = await h.service.identity.users.create({ email, name: email.split('@')[0], roles });
  const { token } = await h.service.identity.tokens.create(user, 'test', 30, 'test');
  return { email: user.email, roles, token };
}

/** A local user who has chosen their password, signed in: the session cookie's value a browser would hold. */
export interface StaffSession {
  email: string;
  name: string;
  roles: Role[];
  cookieValue: string;
}

/**
 * A local user with these roles and an open session, made through the service's own identity use
 * cases; the password change a new account asks for is marked done, as if the user had chosen one.
 */
export async function staffSession(h: Harness, email: string, roles: Role[], name = email.split('@')[0]): Promise<StaffSession> {
  const { user } = await h.service.identity.users.create({ email, name, roles });
  const ready = { ...user, mustChangePassword: false };
  await h.service.store.identity.putUser(ready);
  const { cookieValue } = await h.service.identity.sessions.start(ready, 'local', null);
  return { email: ready.email, name: ready.name, roles, cookieValue };
}

/**
 * A new session for a staff member made earlier: for tests whose clock runs on (seeded days, held
 * calls) past the session's idle timeout between sign-in and use.
 */
export async function freshSession(h: Harness, staff: StaffSession): Promise<StaffSession> {
  const user = await h.service.identity.users.get(staff.email);
  if (!user) throw new Error(`freshSession: no user ${staff.email}`);
  const { cookieValue } = await h.service.identity.sessions.start(user, 'local', null);
  return { ...staff, cookieValue };
}

/** A local user as an admin invites one: the temporary password they sign in with first, and must change. */
export async function invitedStaff(h: Harness, email: string, roles: Role[], name: string): Promise<{ email: string; temporaryPassword: string }> {
  const { user, temporaryPassword } = await h.service.identity.users.create({ email, name, roles });
  return { email: user.email, temporaryPassword: temporaryPassword! };
}

/** A request with a bearer token (none: anonymous) and, for a body, JSON. */
export async function request(h: Harness, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answerOf(await fetch(h.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' }));
}

/** A browser's side of a session: the cookie, and the anti-forgery token that goes with it. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
}

/** POST /auth/signin as a browser would; the session cookie from Set-Cookie. */
export async function signIn(h: Harness, email: string, password: string): Promise<{ status: number; body: any; session: BrowserSession | null; setCookie: string | null }> {
  const res = await fetch(`${h.baseUrl}/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as any;
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.split(';')[0] ?? null;
  return { status: res.status, body, setCookie, session: cookie && res.status === 200 ? { cookie, csrf: body.csrfToken } : null };
}

/** A request made with a session, the CSRF header on (unless `csrf: false`). */
export async function withSession(h: Harness, s: BrowserSession, method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { cookie: s.cookie };
  if (opts.csrf !== false) headers['x-csrf-token'] = s.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answerOf(await fetch(h.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' }));
}

/** The status and the body, parsed when it is JSON. */
async function answerOf(res: Response): Promise<{ status: number; body: any }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
