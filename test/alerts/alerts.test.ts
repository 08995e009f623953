import { createHmac } from 'node:crypto';
import type { QueueBoard } from '../../src/live/queue-state';
import { currentAlerts, DEFAULT_ALERT_SETTINGS } from '../../src/alerts/rules';
import { NoAnswerStreaks } from '../../src/alerts/streaks';
import { alertText } from '../../src/alerts/text';
import { AlertTracker } from '../../src/alerts/tracker';
import { webhookAlertSender } from '../../src/alerts/webhook-sender';
import type { CallEvent } from '../../src/journey/events';
import { createLogger } from '../../src/log';

const T0 = Date.parse('2026-03-02T08:00:00Z');

function board(over: Partial<QueueBoard> = {}): QueueBoard {
  return {
    queue: 'vaxeln',
    label: 'Växeln',
    waiting: [],
    longestWaitingSince: null,
    onCalls: [],
    target: { label: 'Växeln', seconds: 60, share: 0.8 },
    today: { offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, serviceLevel: null },
    lastHalfHour: { settled: 0, answeredWithin: 0, serviceLevel: null },
    ...over,
  };
}
const waiting = (n: number) => Array.from({ length: n }, (_, i) => ({ callSid: `CA${i}`, shortId: `${i}`, queue: 'vaxeln', joinedAt: T0, position: i + 1, cameFrom: null, language: 'sv-SE' }));

describe('alert rules', () => {
  const s = DEFAULT_ALERT_SETTINGS;
  test('each condition at its limit and just past it', () => {
    const keys = (b: QueueBoard, now = T0) => currentAlerts({ now, boards: [b], streaks: [] }, s).map((a) => a.key);
    expect(keys(board({ waiting: waiting(5) }))).toEqual([]);
    expect(keys(board({ waiting: waiting(6) }))).toEqual(['queue-length:vaxeln']);
    expect(keys(board({ waiting: waiting(1), longestWaitingSince: T0 }), T0 + 300_000)).toEqual([]);
    expect(keys(board({ waiting: waiting(1), longestWaitingSince: T0 }), T0 + 300_001)).toEqual(['long-wait:vaxeln']);
    expect(keys(board({ lastHalfHour: { settled: 5, answeredWithin: 4, serviceLevel: 0.8 } }))).toEqual([]);
    expect(keys(board({ lastHalfHour: { settled: 5, answeredWithin: 3, serviceLevel: 0.6 } }))).toEqual(['service-level:vaxeln']);
    // Too few calls in the half hour to judge.
    expect(keys(board({ lastHalfHour: { settled: 4, answeredWithin: 0, serviceLevel: 0 } }))).toEqual([]);
    const streak = (count: number) => currentAlerts({ now: T0, boards: [], streaks: [{ target: 'person:4711', label: 'Anna Lind', count }] }, s).map((a) => a.key);
    expect(streak(2)).toEqual([]);
    expect(streak(3)).toEqual(['no-answers:person:4711']);
  });

  test('a person’s no-answers in a row: an answer ends the streak, a redelivery counts once, a caller who hung up is no no-answer', () => {
    const streaks = new NoAnswerStreaks(({ target }) => ({ '4711': 'Anna Lind' })[target] ?? target);
    let n = 0;
    const result = (status: 'no-answer' | 'completed', callerHungUp = false): CallEvent =>
      ({ id: `e${++n}`, callSid: `CA${n}`, at: T0, step: 1, seq: 0, type: 'transfer.result', nodeId: 'person', transferId: '1', target: '4711', targetKind: 'person', status, durationSec: 0, callerHungUp }) as CallEvent;
    const first = result('no-answer');
    streaks.apply([first, first, result('no-answer', true), result('no-answer')], () => 'vaxel');
    expect(streaks.list()).toEqual([{ target: 'person:4711', label: 'Anna Lind', count: 2 }]);
    streaks.apply([result('completed')], () => 'vaxel');
    expect(streaks.list()).toEqual([]);
  });
});

describe('alert tracker', () => {
  test('raised once while the condition holds, cleared once when it stops, and again if it returns', () => {
    const t = new AlertTracker();
    const a = currentAlerts({ now: T0, boards: [board({ waiting: waiting(6) })], streaks: [] }, DEFAULT_ALERT_SETTINGS);
    expect(t.update(a, T0).map((x) => x.state)).toEqual(['raised']);
    expect(t.update(a, T0 + 1000)).toEqual([]);
    expect(t.list()).toHaveLength(1);
    const cleared = t.update([], T0 + 2000);
    expect(cleared).toEqual([{ state: 'cleared', alert: a[0], raisedAt: T0, clearedAt: T0 + 2000 }]);
    expect(t.update([], T0 + 3000)).toEqual([]);
    expect(t.update(a, T0 + 4000).map((x) => x.state)).toEqual(['raised']);
  });

  test('the sentences say what and how much, in Swedish', () => {
    const [alert] = currentAlerts({ now: T0 + 400_000, boards: [board({ waiting: waiting(1), longestWaitingSince: T0 })], streaks: [] }, DEFAULT_ALERT_SETTINGS);
    expect(alertText({ state: 'raised', alert, raisedAt: T0, clearedAt: null })).toBe('🔴 Växeln: en uppringare har väntat 6 min 40 s (gräns 5 min).');
    expect(alertText({ state: 'cleared', alert, raisedAt: T0, clearedAt: T0 })).toBe('✅ Åtgärdat: Växeln: ingen har väntat längre än 5 min.');
  });
});

describe('alert webhook', () => {
  const log = createLogger('silent');
  const notice = (key: string, state: 'raised' | 'cleared' = 'raised') => ({
    state,
    alert: { key, kind: 'queue-length' as const, queue: 'vaxeln', label: 'Växeln', waiting: 7, limit: 5 },
    raisedAt: T0,
    clearedAt: state === 'cleared' ? T0 + 1 : null,
  });

  test('the body is signed with HMAC-SHA256 of the shared secret, carries a text for Teams or Slack, and goes in order', async () => {
    const got: { body: string; sig: string }[] = [];
    const sender = webhookAlertSender({
      url: 'https://hooks.example.se/x',
      secret: 'a-shared-secret-of-some-length',
      log,
      post: async (_url, body, headers) => {
        got.push({ body, sig: headers['x-callpath-signature'] });
        return 200;
      },
    });
    sender.send(notice('queue-length:vaxeln'));
    sender.send(notice('queue-length:vaxeln', 'cleared'));
    await sender.idle();
    expect(got.map((g) => JSON.parse(g.body).state)).toEqual(['raised', 'cleared']);
    for (const g of got) expect(g.sig).toBe(`sha256=${createHmac('sha256', 'a-shared-secret-of-some-length').update(g.body).digest('hex')}`);
    expect(JSON.parse(got[0].body)).toMatchObject({ text: '🔴 Växeln: 7 väntar i kön (gräns 5).', kind: 'queue-length', key: 'queue-length:vaxeln', raisedAt: new Date(T0).toISOString(), clearedAt: null });
  });

  test('a failure is retried after each wait of the backoff, then given up; the next alert still goes', async () => {
    const statuses = [500, 0, 200, 503, 503, 503, 200];
    const posts: number[] = [];
    const slept: number[] = [];
    const sender = webhookAlertSender({
      url: 'https://hooks.example.se/x',
      secret: 'a-shared-secret-of-some-length',
      log,
      backoffMs: [10, 20],
      sleep: async (ms) => void slept.push(ms),
      post: async () => {
        const s = statuses[posts.length];
        posts.push(s);
        if (s === 0) throw new Error('ECONNREFUSED');
        return s;
      },
    });
    sender.send(notice('a'));
    sender.send(notice('b'));
    sender.send(notice('c'));
    await sender.idle();
    // a: 500, refused, 200; b: 503 ×3 (given up); c: 200.
    expect(posts).toEqual([500, 0, 200, 503, 503, 503, 200]);
    expect(slept).toEqual([10, 20, 10, 20]);
  });
});
