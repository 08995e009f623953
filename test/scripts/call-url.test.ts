import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { VirtualCaller } from '../../src/sim/virtual-caller';
import { API_TOKEN, AUTH_TOKEN, startHarness } from '../helpers/harness';

/**
 * The virtual caller works against the name a user types for the service, not only the one in
 * PUBLIC_BASE_URL; and where a signature fails only for the URL, development mode says which URLs.
 */
test('npm run call -- --url with another name for the service signs for PUBLIC_BASE_URL and the call goes through', async () => {
  const h = await startHarness();
  try {
    // The harness's PUBLIC_BASE_URL names 127.0.0.1; the user types localhost.
    const typed = h.baseUrl.replace('127.0.0.1', 'localhost');
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'call', '--', '--url', typed, '--digits', '1', '--speed', '1000', '--talk', '1'], {
      cwd: path.join(__dirname, '../..'),
      env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, API_TOKEN, PUBLIC_BASE_URL: '' },
    });
    expect(stdout).toMatch(/^200 \/twilio\/voice/m);
    expect(stdout).not.toMatch(/^403 /m);
    expect(stdout).toMatch(/ended: /);
  } finally {
    await h.close();
  }
}, 60_000);

test('in development mode a webhook signed for another URL is refused and logged with both URLs, never the token', async () => {
  const lines: string[] = [];
  const h = await startHarness({ env: { DEV_MODE: 'true' }, logTo: { write: (l) => void lines.push(l) } });
  try {
    const typed = h.baseUrl.replace('127.0.0.1', 'localhost');
    const caller = new VirtualCaller({ authToken: AUTH_TOKEN, publicBaseUrl: typed, clock: { now: () => h.clock.now(), sleep: async (ms) => h.clock.advance(ms) } });
    const trace = await caller.call({ digits: ['1'] });
    expect(trace.requests[0].status).toBe(403);
    const told = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).startsWith('webhook signed for another URL'));
    expect(told).toMatchObject({ expectedUrl: `${h.baseUrl}/twilio/voice`, signedUrl: `${typed}/twilio/voice` });
    expect(lines.join('\n')).not.toContain(AUTH_TOKEN);
  } finally {
    await h.close();
  }
});

test('npm run call -- --digits 0 --queue-wait 45: the caller waits in the demo queue and a virtual operator takes them after 45 s', async () => {
  const h = await startHarness();
  try {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'call', '--', '--url', h.baseUrl, '--digits', '0', '--queue-wait', '45', '--speed', '20', '--talk', '5', '--survey', '5,5,1'], {
      cwd: path.join(__dirname, '../..'),
      env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, API_TOKEN, PUBLIC_BASE_URL: '' },
    });
    expect(stdout).toMatch(/^200 \/twilio\/queue-wait/m);
    expect(stdout).toMatch(/^200 \/twilio\/queue-result/m);
    expect(stdout).toContain('«Du är först i kön.»');
    expect(stdout).toContain('«Du kopplas nu till växeln.»');
    const callSid = /call (CA[0-9a-f]{32}) ended/.exec(stdout)![1];
    await h.settle();
    const j = (await h.api(`/api/calls/${callSid}`)).body;
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.transfers[0].queue).toMatchObject({ queue: 'vaxeln', result: 'bridged', operator: 'lena' });
    // Twilio's wait as the caller's own (scaled) clock counts it: the 45 s asked for. The scale is 20, not
    // 200: the webhooks' real time counts scaled too, and on a loaded machine 200× made 0.2 s of it 43 s.
    expect(j.transfers[0].queue.waitSec).toBeGreaterThanOrEqual(45);
    expect(j.transfers[0].queue.waitSec).toBeLessThan(60);
  } finally {
    await h.close();
  }
}, 60_000);
