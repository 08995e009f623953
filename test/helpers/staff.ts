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
