import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, type Harness } from '../helpers/harness';
import { AGENT_NUMBER, LENA, QUEUE_FLOWS, queueSim } from '../helpers/queue-sim';

const SECRET = 'stand-in-receiver-secret-0123';

/** A receiver as a Teams or Slack bridge would be: it checks the signature before it believes a word. */
async function standInReceiver() {
  const received: { state: string; key: string; text: string }[] = [];
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-callpath-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        refused.push(body.toString());
        res.writeHead(401).end();
        return;
      }
      const msg = JSON.parse(body.toString());
      received.push({ state: msg.state, key: msg.key, text: msg.text });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return { url, received, refused, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('queue alerts end to end', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof standInReceiver>>;
  beforeEach(async () => {
    receiver = await standInReceiver();
    h = await startHarness({
      env: { FLOWS_DIR: QUEUE_FLOWS, ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_QUEUE_LENGTH: '1' },
    });
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  test('a queue longer than its limit raises one alert, sent once and signed, shown live, and cleared once when the queue shrinks', async () => {
    const { caller, operator, after } = queueSim(h);
    const [, , , , during] = await Promise.all([
      after(0, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 200 } })),
      after(1_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 200 } })),
      after(2_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 200 } })),
      after(60_000, () => operator.call({ from: LENA, agentNumber: AGENT_NUMBER, talkMs: 30_000, callers: 2 })),
      after(40_000, async () => h.service.live.snapshot().alerts),
    ]);
    await new Promise((r) => setImmediate(r));
    await h.service.alerts.idle();

    // Three waiting with a limit of one: raised once, however many webhooks saw it so.
    expect(during).toEqual([expect.objectContaining({ key: 'queue-length:vaxeln', text: expect.stringMatching(/^🔴 Växeln: 3 väntar i kön \(gräns 1\)\.$/) })]);
    expect(receiver.refused).toEqual([]);
    expect(receiver.received.map((r) => [r.state, r.key])).toEqual([
      ['raised', 'queue-length:vaxeln'],
      ['cleared', 'queue-length:vaxeln'],
    ]);
    expect(receiver.received[1].text).toBe('✅ Åtgärdat: Växeln: kön är inte längre än 1.');
    expect(h.service.live.snapshot().alerts).toEqual([]);
  });
});
