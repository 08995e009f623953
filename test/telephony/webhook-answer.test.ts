import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock';
import { loadFlowDir } from '../../src/flow/loader';
import { FlowRegistry } from '../../src/flow/registry';
import type { CallEvent } from '../../src/journey/events';
import { createLogger } from '../../src/log';
import { twilioWebhookHandler } from '../../src/telephony/twilio/webhooks';

/**
 * A webhook is answered only once its events are journaled: the outbox writes a turn's events in one
 * go and then lets the webhooks answer, so the handler must wait for it, never answer first.
 */
describe('webhook answer and the journal', () => {
  let server: http.Server;
  let base: string;
  const held: { events: CallEvent[]; journaled: () => void }[] = [];
  const answers: { heads: number; ends: number }[] = [];

  beforeAll(async () => {
    const flowsDir = path.join(__dirname, '../../ivr-flows');
    const registry = new FlowRegistry(loadFlowDir(flowsDir));
    const handler = twilioWebhookHandler({
      publicBaseUrl: 'http://127.0.0.1',
      authToken: 'unused',
      validateSignatures: false,
      registry,
      clock: new ManualClock(Date.parse('2026-03-02T08:00:00Z')),
      log: createLogger('silent'),
      pseudonymKey: { id: 'k1', secret: 'test-pseudonym-secret-0123456789' },
      record: (events, journaled) => void held.push({ events, journaled }),
    });
    // Every answer the handler writes, seen on the response itself: what a second answer would write.
    server = http.createServer((req, res) => {
      const written = { heads: 0, ends: 0 };
      answers.push(written);
      const writeHead = res.writeHead.bind(res);
      const end = res.end.bind(res);
      res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
        written.heads++;
        return writeHead(...args);
      }) as typeof res.writeHead;
      res.end = ((...args: Parameters<typeof res.end>) => {
        written.ends++;
        return end(...args);
      }) as typeof res.end;
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('the caller hears the next step only after its events are journaled', async () => {
    const body = new URLSearchParams({ CallSid: 'CA' + 'a'.repeat(32), AccountSid: 'AC' + 'b'.repeat(32), From: '+46701234567', To: '+46812345678', CallStatus: 'ringing' });
    let answered = false;
    const response = fetch(`${base}/twilio/voice`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then(async (r) => {
      answered = true;
      return { status: r.status, text: await r.text() };
    });
    while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(held[0].events.map((e) => e.type)).toContain('call.started');
    // The handler has recorded the events and returned, and wrote nothing to the response.
    expect(answers).toEqual([{ heads: 0, ends: 0 }]);
    expect(answered).toBe(false);

    held[0].journaled();
    const { status, text } = await response;
    expect(status).toBe(200);
    expect(text).toMatch(/^<\?xml[^>]*\?><Response>.*<Gather /);
    expect(answers).toEqual([{ heads: 1, ends: 1 }]);
    // A second call of the callback (a retried write) answers nothing twice.
    held[0].journaled();
    expect(answers).toEqual([{ heads: 1, ends: 1 }]);
  });
});
