import WebSocket from 'ws';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, signIn, withSession, type BrowserSession } from '../helpers/staff';

/** Opens the live board as a browser does: the session cookie goes with the upgrade, nothing is sent. */
function watch(h: Harness, s: BrowserSession) {
  const ws = new WebSocket(h.baseUrl.replace('http', 'ws') + '/live', { headers: { cookie: s.cookie } });
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  const hello = new Promise<any>((resolve) => ws.on('message', (d) => JSON.parse(d.toString()).type === 'hello' && resolve(JSON.parse(d.toString()))));
  return { ws, messages, closed, hello };
}

async function userWith(h: Harness, email: string, roles: string[]): Promise<BrowserSession> {
  const invited = await request(h, 'POST', '/api/users', API_TOKEN, { email, name: email.split('@')[0], roles });
  const s = (await signIn(h, email, invited.body.temporaryPassword)).session!;
  await withSession(h, s, 'POST', '/auth/password', { current: invited.body.temporaryPassword, next: 'ett långt nytt lösenord' });
  return s;
}

describe('the live board and sessions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  test('a reception session opens the board with its cookie; signing out closes it at once with 4401', async () => {
    const s = await userWith(h, 'lena@kommun.se', ['reception']);
    const board = watch(h, s);
    expect(await board.hello).toMatchObject({ roles: ['reception'] });
    expect((await withSession(h, s, 'POST', '/auth/signout')).status).toBe(204);
    expect((await board.closed).code).toBe(4401);
  });

  test('disabling the user closes their board', async () => {
    const s = await userWith(h, 'omar@kommun.se', ['reception']);
    const board = watch(h, s);
    await board.hello;
    await request(h, 'PATCH', '/api/users/omar@kommun.se', API_TOKEN, { disabled: true });
    expect((await board.closed).code).toBe(4401);
  });

  test('an analyst is refused the board with 4403, and no board is sent', async () => {
    const s = await userWith(h, 'eva@kommun.se', ['analyst']);
    const board = watch(h, s);
    expect((await board.closed).code).toBe(4403);
    expect(board.messages.filter((m) => m.type === 'snapshot')).toEqual([]);
    expect(board.messages).toContainEqual(expect.objectContaining({ type: 'error', code: 'API_FORBIDDEN' }));
  });

  test('a session that has ended by its lifetime closes its board at the next check', async () => {
    const s = await userWith(h, 'kim@kommun.se', ['reception']);
    const board = watch(h, s);
    await board.hello;
    await h.service.live.checkSessions();
    expect(board.ws.readyState).toBe(WebSocket.OPEN);
    h.clock.advance(13 * 3_600_000);
    // The hub checks every minute; the test asks for the check rather than wait a minute.
    await h.service.live.checkSessions();
    expect((await board.closed).code).toBe(4401);
  });
});
