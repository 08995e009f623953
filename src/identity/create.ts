import type { IdentityConfig } from '../config';
import { ApiTokens } from './api-tokens';
import { AuditTrail } from './audit-trail';
import { LocalSignIn } from './local-signin';
import type { IdentityStore } from './model';
import { Sessions } from './sessions';
import { Users } from './users';

/** Staff identity's use cases over one store, wired once for the service. */
export interface Identity {
  users: Users;
  sessions: Sessions;
  tokens: ApiTokens;
  localSignIn: LocalSignIn;
  audit: AuditTrail;
}

export function createIdentity(store: IdentityStore, config: Pick<IdentityConfig, 'sessionIdleMs' | 'sessionMaxMs'>, now: () => number): Identity {
  const sessions = new Sessions(store, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionMaxMs }, now);
  return {
    users: new Users(store, sessions, now),
    sessions,
    tokens: new ApiTokens(store, now),
    localSignIn: new LocalSignIn(store, now),
    audit: new AuditTrail(store, now),
  };
}

/** The session cookie's name: __Host- on https, which browsers bind to this host, path / and Secure. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-callpath_session' : 'callpath_session';
}
