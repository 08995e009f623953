import type http from 'node:http';
import type { Sessions } from '../identity/sessions';
import type { LiveViewers } from '../live/hub';
import { ACCESS_RULES } from './access-rules';
import { identify, principalOfToken, type GuardDeps } from './guard';

/** The live board's viewers, recognised as the guard recognises any request; its role is the table's. */
export function liveViewers(deps: GuardDeps & { sessions: Sessions }): LiveViewers {
  const access = ACCESS_RULES['GET /live'].access;
  const role = Array.isArray(access) ? access[0] : 'reception';
  return {
    role,
    async fromUpgrade(req: http.IncomingMessage) {
      // A bearer on the upgrade (tools) is ignored here: tools send the token as the first message or ?token=.
      const { principal } = await identify({ cookie: req.headers.cookie }, deps);
      return principal && { roles: principal.roles, sessionIdHash: principal.sessionIdHash };
    },
    async fromToken(token: string) {
      try {
        const p = await principalOfToken(token, deps);
        return { roles: p.roles };
      } catch {
        return null;
      }
    },
    sessionOpen: (idHash) => deps.sessions.isOpen(idHash),
  };
}
