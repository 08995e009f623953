import { match, type MatchFunction } from 'path-to-regexp';
import type { Role } from '../identity/model';

/**
 * Who may use what: every route of the service (REST, the live socket, pages) with the roles that may
 * use it. A request whose route has no rule here is refused, and test/api/access-rules.test.ts walks
 * every registered route with each role and with none, so a route added without a rule fails the
 * build instead of opening.
 *
 *  - reception: the live board and its queue, a call's timeline and callers' spoken comments (personal
 *               data, on the audit trail);
 *  - analyst:   statistics, comparisons, reports and the CSV, none of which carries personal data;
 *  - admin:     flows, users and tokens, the register extract and erasure, the audit trail.
 * `public`: anyone (the pages' shells, which hold no data, health checks, sign-in); `signed-in`: any role.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface AccessRule {
  access: Access;
  /** The user named by this path parameter (an e-mail address) may use the route for themselves too. */
  selfParam?: string;
  /**
   * Any signed-in user may use the route for what is theirs, which only the route can tell (what the
   * path names is not an e-mail address): the guard lets them through, and the route answers 403
   * unless `owner` says it is theirs. `owner` names the rule the route applies.
   */
  selfByRoute?: { owner: string };
}

const R = (...roles: Role[]): AccessRule => ({ access: roles });
const PUBLIC: AccessRule = { access: 'public' };
const SIGNED_IN: AccessRule = { access: 'signed-in' };
const STATISTICS = R('analyst');

export const ACCESS_RULES: Readonly<Record<string, AccessRule>> = {
  // Health: load balancers and probes, no data beyond the flows' versions.
  'GET /healthz': PUBLIC,
  'GET /livez': PUBLIC,
  'GET /readyz': PUBLIC,

  // Pages and their assets: shells that hold no data (every figure comes from the API below).
  'GET /': PUBLIC,
  'GET /signin': PUBLIC,
  'GET /report': PUBLIC,
  'GET /assets/echarts.min.js': PUBLIC,
  'GET /assets/*file': PUBLIC,

  // Signing in and out (auth-routes.ts).
  'GET /auth/options': PUBLIC,
  'POST /auth/signin': PUBLIC,
  'POST /auth/signout': SIGNED_IN,
  'POST /auth/password': SIGNED_IN,
  'GET /auth/oidc/start': PUBLIC,
  'GET /auth/oidc/callback': PUBLIC,

  // The live board (WebSocket upgrade).
  'GET /live': R('reception'),

  'GET /api/session': SIGNED_IN,

  // Calls: the list behind a figure (callers' pseudonyms shown to admins only), and one call's
  // timeline or journey (reception, on the audit trail).
  'GET /api/calls': R('reception', 'analyst'),
  'GET /api/calls/:callSid/timeline': R('reception'),
  'GET /api/calls/:callSid': R('reception'),

  // Callers' spoken comments beside their calls' paths and scores: the words may name people and cases,
  // so reception and admins only (not the analysts' statistics), every read on the audit trail.
  'GET /api/comments': R('reception', 'admin'),

  // Flows: the list and labels name menus, which every view shows; lint, picture and reload are the admins'.
  'GET /api/flows': SIGNED_IN,
  'GET /api/dashboard/labels': SIGNED_IN,
  'GET /api/flows/:id/lint': R('admin', 'analyst'),
  'GET /api/flows/:id/mermaid': R('admin', 'analyst'),
  'POST /api/admin/flows/reload': R('admin'),

  // Statistics, comparisons, reports and their CSV.
  'GET /api/dashboard/wait-histogram': STATISTICS,
  'GET /api/dashboard/trend': STATISTICS,
  'GET /api/dashboard/flow-graph': R('analyst', 'admin'),
  'GET /api/metrics/summary': STATISTICS,
  'GET /api/metrics/summary.csv': STATISTICS,
  'GET /api/metrics/fallbacks': STATISTICS,
  'GET /api/metrics/fallbacks.csv': STATISTICS,
  'GET /api/metrics/nodes': STATISTICS,
  'GET /api/metrics/nodes.csv': STATISTICS,
  'GET /api/metrics/queues': STATISTICS,
  'GET /api/metrics/queues.csv': STATISTICS,
  'GET /api/metrics/queues/:queue/heatmap': STATISTICS,
  'GET /api/metrics/skr': STATISTICS,
  'GET /api/metrics/skr.csv': STATISTICS,
  'GET /api/metrics/compare': STATISTICS,
  'GET /api/metrics/compare.csv': STATISTICS,
  'GET /api/calls.csv': STATISTICS,

  // A resident's register extract and erasure (GDPR art. 15 and 17).
  'POST /api/privacy/caller-data': R('admin'),
  'POST /api/privacy/caller-data/erase': R('admin'),

  // Users, their tokens, the audit trail.
  'GET /api/users': R('admin'),
  'POST /api/users': R('admin'),
  'PATCH /api/users/:email': R('admin'),
  'POST /api/users/:email/password-reset': R('admin'),
  'GET /api/users/:email/tokens': { access: ['admin'], selfParam: 'email' },
  'POST /api/users/:email/tokens': { access: ['admin'], selfParam: 'email' },
  'DELETE /api/users/:email/tokens/:id': { access: ['admin'], selfParam: 'email' },
  'GET /api/audit': R('admin'),
  'GET /api/audit.csv': R('admin'),

  // Absence notices (api/notices.ts): reception and admins set anyone's; a person listed in a
  // directory with their e-mail sets their own (checked by the route: the path names a number).
  'GET /api/notices': R('reception', 'admin'),
  'PUT /api/notices/:number': { access: ['reception', 'admin'], selfByRoute: { owner: "the directory person's email" } },
  'DELETE /api/notices/:number': { access: ['reception', 'admin'], selfByRoute: { owner: "the directory person's email" } },
  'GET /api/metrics/notices': STATISTICS,
  'GET /api/metrics/repeat-callers': STATISTICS,
  // The directory's people with their notices: everyone for reception and admins; anyone else signed in
  // gets only themselves (the route filters by e-mail), to find and set their own notice.
  'GET /api/people': SIGNED_IN,

  // Callbacks (api/callbacks.ts): reception's inbox, the number masked; the clear number one request at
  // a time, on the audit trail; assigning, a try and done. Not analysts: they get the figures only.
  'GET /api/callbacks': R('reception', 'admin'),
  'GET /api/callbacks/counts': R('reception', 'admin'),
  // Whom a callback can be assigned to: names and e-mails of the enabled reception users, nothing more.
  'GET /api/callbacks/assignees': R('reception', 'admin'),
  'GET /api/callbacks/:id/number': R('reception', 'admin'),
  'POST /api/callbacks/:id/assign': R('reception', 'admin'),
  'POST /api/callbacks/:id/tried': R('reception', 'admin'),
  'POST /api/callbacks/:id/done': R('reception', 'admin'),
  'GET /api/metrics/callbacks': STATISTICS,
};

export interface MatchedRule {
  key: string;
  rule: AccessRule;
  params: Record<string, string>;
}

type Compiled = { key: string; method: string; rule: AccessRule; test: MatchFunction<Record<string, string | string[]>> };

/** The rule for a request's method and path (HEAD as GET), or null when none is written. */
export function accessRuleMatcher(rules: Readonly<Record<string, AccessRule>> = ACCESS_RULES): (method: string, path: string) => MatchedRule | null {
  const compiled: Compiled[] = Object.entries(rules).map(([key, rule]) => {
    const [method, pattern] = key.split(' ');
    return { key, method, rule, test: match(pattern, { decode: decodeURIComponent }) };
  });
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method;
    for (const c of compiled) {
      if (c.method !== m) continue;
      const found = c.test(path);
      if (found) {
        const params = Object.fromEntries(Object.entries(found.params).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : String(v)]));
        return { key: c.key, rule: c.rule, params };
      }
    }
    return null;
  };
}

/** Whether a principal with these roles (and this e-mail) may use a matched route. */
export function allows(m: MatchedRule, roles: readonly Role[] | null, email: string | null): boolean {
  const { access, selfParam } = m.rule;
  if (access === 'public') return true;
  if (!roles) return false;
  if (access === 'signed-in') return true;
  if (access.some((r) => roles.includes(r))) return true;
  // The route decides (and answers 403 for what is not theirs).
  if (m.rule.selfByRoute) return true;
  return !!selfParam && !!email && m.params[selfParam]?.toLowerCase() === email;
}
