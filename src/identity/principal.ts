import type { Role } from './model';

/**
 * Who is making a request, however they proved it: a signed-in browser (session), a personal API
 * token, or one of the two service accounts the shared secrets became (API_TOKEN, API_STAFF_TOKEN).
 */
export interface Principal {
  kind: 'session' | 'token' | 'service';
  /** How the audit trail names them: `user:<email>` (by session or token alike), `service:API_TOKEN`. */
  actor: string;
  /** The personal token's public id (kind 'token'): the audit trail notes it beside the user. */
  tokenId?: string;
  /** The user behind a session or a token; null for a service account. */
  email: string | null;
  name: string;
  roles: readonly Role[];
  /** The session's id hash (kind 'session'): the live feed closes when this session ends. */
  sessionIdHash?: string;
  /** A local account that must choose a password before anything else. */
  mustChangePassword?: boolean;
}

export function hasRole(p: Principal | null | undefined, ...any: Role[]): boolean {
  return !!p && any.some((r) => p.roles.includes(r));
}
