import { startHarness, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

const ANNA = '+46101304711';

/** GET /api/people: the directory with each person's notice, for the dashboard's Hänvisningar and "Min hänvisning". */
describe('the directory’s people with their notices', () => {
  let h: Harness;
  let reception: StaffMember;
  let anna: StaffMember;
  let analyst: StaffMember;
  beforeAll(async () => {
    h = await startHarness();
    reception = await staffMember(h, 'reception@exempelstad.se', ['reception']);
    anna = await staffMember(h, 'Anna.Lind@exempelstad.se', ['analyst']);
    analyst = await staffMember(h, 'analys@exempelstad.se', ['analyst']);
  });
  afterAll(async () => h.close());

  test('reception sees everyone, each with their notice and what a caller hears of it in Swedish and English', async () => {
    const set = await request(h, 'PUT', `/api/notices/${encodeURIComponent(ANNA)}`, reception.token, { reason: 'meeting', until: '2026-03-02T14:00:00+01:00' });
    expect(set.status).toBe(200);
    expect(set.body.heard).toEqual({ sv: 'Anna Lind är på möte till klockan 14.', en: 'Anna Lind is in a meeting until 2 pm.' });
    const res = await request(h, 'GET', '/api/people', reception.token);
    expect(res.status).toBe(200);
    const names = res.body.people.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Anna Lind', 'Johan Berg', 'Sara Holm', 'Erik Nyström']));
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'sv')));
    const a = res.body.people.find((p: { name: string }) => p.name === 'Anna Lind');
    expect(a).toMatchObject({
      number: ANNA,
      flows: [{ flowId: 'vaxel', extension: '4711' }],
      own: false,
      notice: { reason: 'meeting', until: '2026-03-02T13:00:00.000Z', setBy: 'user:reception@exempelstad.se', heard: { sv: 'Anna Lind är på möte till klockan 14.' } },
    });
    expect(res.body.people.find((p: { name: string }) => p.name === 'Johan Berg').notice).toBeNull();
    await request(h, 'DELETE', `/api/notices/${encodeURIComponent(ANNA)}`, reception.token);
  });

  test('a person in the directory sees only themselves (their e-mail in any case); someone in no directory sees nobody', async () => {
    const own = await request(h, 'GET', '/api/people', anna.token);
    expect(own.status).toBe(200);
    expect(own.body.people).toEqual([expect.objectContaining({ name: 'Anna Lind', number: ANNA, own: true, notice: null })]);
    expect((await request(h, 'GET', '/api/people', analyst.token)).body.people).toEqual([]);
    expect((await request(h, 'GET', '/api/people')).status).toBe(401);
  });
});
