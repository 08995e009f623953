import { startHarness, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

/**
 * GET /api/callbacks/assignees: whom reception's inbox offers to assign a callback to. Enabled users
 * with the reception role, by name and e-mail only; reception and admins may ask, analysts not.
 */
describe('the colleagues a callback can be assigned to', () => {
  let h: Harness;
  let reception: StaffMember;
  let admin: StaffMember;
  let analyst: StaffMember;

  beforeAll(async () => {
    h = await startHarness();
    reception = await staffMember(h, 'rita@kommun.se', ['reception']);
    await staffMember(h, 'bo@kommun.se', ['reception', 'analyst']);
    await staffMember(h, 'gone@kommun.se', ['reception']);
    await h.service.identity.users.change('gone@kommun.se', { disabled: true });
    admin = await staffMember(h, 'admin@kommun.se', ['admin']);
    analyst = await staffMember(h, 'analyst@kommun.se', ['analyst']);
  });
  afterAll(async () => h.close());

  test('enabled reception users, sorted by name, with nothing but name and e-mail', async () => {
    for (const who of [reception, admin]) {
      const res = await request(h, 'GET', '/api/callbacks/assignees', who.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        assignees: [
          { name: 'bo', email: 'bo@kommun.se' },
          { name: 'rita', email: 'rita@kommun.se' },
        ],
      });
    }
    expect((await request(h, 'GET', '/api/callbacks/assignees', analyst.token)).status).toBe(403);
  });
});
