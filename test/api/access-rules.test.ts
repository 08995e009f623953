import express from 'express';
import { ACCESS_RULES, accessRuleMatcher, allows } from '../../src/api/access-rules';
import { registeredRoutes } from '../../src/api/route-list';
import { ROLES, type Role } from '../../src/identity/model';
import { startHarness, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

const SAMPLE_PARAMS: Record<string, string> = {
  callSid: 'CA' + '0'.repeat(32),
  id: 'vaxel',
  queue: 'vaxeln',
  email: 'someone-else@kommun.se',
  file: 'css/dashboard.css',
};

/** A concrete path for a route pattern, its parameters filled with sample values. */
function samplePath(pattern: string): string {
  return pattern.replace(/[:*](\w+)/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? 'x');
}

/** Routes served outside Express: the live board's WebSocket upgrade (tested in test/identity/live-session.test.ts). */
const OUTSIDE_EXPRESS = ['GET /live', 'GET /assets/*file'];

describe('every route has an access rule, and the rule is what the service enforces', () => {
  let h: Harness;
  const staff = {} as Record<Role, StaffMember>;
  beforeAll(async () => {
    h = await startHarness();
    for (const role of ROLES) staff[role] = await staffMember(h, `${role}@kommun.se`, [role]);
  });
  afterAll(async () => h.close());

  test('each registered route is in the table, and each rule in the table is a route', () => {
    const routes = h.service.handler.routes().map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !ACCESS_RULES[r]);
    expect(missing).toEqual([]);
    const stale = Object.keys(ACCESS_RULES).filter((k) => !routes.includes(k) && !OUTSIDE_EXPRESS.includes(k));
    expect(stale).toEqual([]);
  });

  test('with each role and with none, each route answers as its rule says', async () => {
    const wrong: string[] = [];
    for (const { method, path } of h.service.handler.routes()) {
      const key = `${method} ${path}`;
      const rule = ACCESS_RULES[key];
      const url = samplePath(path);
      const body = method === 'GET' ? undefined : {};
      const anonymous = await request(h, method, url, undefined, body);
      if (rule.access === 'public' ? [401, 403].includes(anonymous.status) : anonymous.status !== 401) wrong.push(`${key} anonymous: ${anonymous.status}`);
      for (const role of ROLES) {
        const m = accessRuleMatcher()(method, url)!;
        const may = allows(m, [role], staff[role].email);
        const res = await request(h, method, url, staff[role].token, body);
        const refused = res.status === 401 || res.status === 403;
        if (may === refused) wrong.push(`${key} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('reception gets 403 on the register extract and on flow reload; an admin does not', async () => {
    const extract = await request(h, 'POST', '/api/privacy/caller-data', staff.reception.token, { number: '+46701234567' });
    expect(extract).toMatchObject({ status: 403, body: { error: { code: 'API_FORBIDDEN' } } });
    expect((await request(h, 'POST', '/api/admin/flows/reload', staff.reception.token, {})).status).toBe(403);
    expect((await request(h, 'POST', '/api/privacy/caller-data', staff.admin.token, { number: '+46701234567' })).status).toBe(200);
    expect((await request(h, 'POST', '/api/admin/flows/reload', staff.admin.token, {})).status).toBe(200);
  });

  test("a user may create and list their own tokens, not another's", async () => {
    const own = await request(h, 'POST', `/api/users/${staff.reception.email}/tokens`, staff.reception.token, { name: 'skript', expiresInDays: 30 });
    expect(own.status).toBe(201);
    expect(own.body.token).toMatch(/^cpt_/);
    const others = await request(h, 'POST', `/api/users/${staff.analyst.email}/tokens`, staff.reception.token, { name: 'skript', expiresInDays: 30 });
    expect(others.status).toBe(403);
  });

  test('a path no route serves is a 404 even for an admin, and a route added without a rule is refused', async () => {
    expect((await request(h, 'GET', '/api/nothing-here', staff.admin.token)).status).toBe(404);
    const match = accessRuleMatcher();
    expect(match('GET', '/api/metrics/new-figure')).toBeNull();
    // As the walk above would see it: a route on an app the table does not know.
    const app = express();
    app.get('/api/metrics/new-figure', (_req, res) => void res.json({}));
    const unknown = registeredRoutes(app).filter((r) => !ACCESS_RULES[`${r.method} ${r.path}`]);
    expect(unknown).toEqual([{ method: 'GET', path: '/api/metrics/new-figure' }]);
  });
});
