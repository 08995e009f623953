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
  const res = await fetch(h.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
