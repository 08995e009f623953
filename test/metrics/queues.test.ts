import type { JourneyTransfer } from '../../src/journey/journey';
import { rollupContribution } from '../../src/metrics/contribution';
import { GRAIN_PREFIX } from '../../src/metrics/grains';
import { addValue, readHistogram } from '../../src/metrics/histogram';
import { compareViews } from '../../src/metrics/compare';
import { countAtMost, queueFiguresFromRollups, queueHeatmap, type QueueTarget } from '../../src/metrics/queues';
import { summaryFromRollups } from '../../src/metrics/summary';
import type { RollupDoc } from '../../src/store/store';
import { journey, T0 } from './journeys';

/** The contact-centre figures of a queue, worked out by hand from chosen stays. */
const TARGET: QueueTarget = { label: 'Växeln', seconds: 60, share: 0.8, shortAbandonSeconds: 5 };

let n = 0;
function stay(waitSec: number, how: 'answered' | 'hangup' | 'key' | 'max-wait' | 'full', queue = 'vaxeln', at = T0): JourneyTransfer {
  const answered = how === 'answered';
  const result = { answered: 'bridged', hangup: 'hangup', key: 'leave', 'max-wait': 'leave', full: 'queue-full' } as const;
  return {
    transferId: String(++n),
    nodeId: 'operator',
    target: queue,
    targetKind: 'operator',
    attemptedAt: new Date(at).toISOString(),
    answeredAt: answered ? new Date(at + waitSec * 1000).toISOString() : null,
    result: answered ? 'completed' : how === 'hangup' ? 'canceled' : how === 'full' ? 'busy' : 'no-answer',
    ringMs: waitSec * 1000,
    talkSec: answered ? 60 : null,
    queue: {
      queue,
      result: result[how],
      waitSec,
      operator: answered ? 'lena' : null,
      leftBy: how === 'key' ? { reason: 'key', digits: '1' } : how === 'max-wait' ? { reason: 'max-wait' } : null,
      lastPosition: 1,
    },
  };
}

/** The hour rollups of some journeys, as the ingestor would write them. */
function rollups(stays: JourneyTransfer[][]): RollupDoc[] {
  return stays
    .flatMap((transfers) => rollupContribution(journey({ transfers, ended: true, endedAt: new Date(T0 + 600_000).toISOString() })))
    .filter((d) => d.dim.startsWith(GRAIN_PREFIX.hour))
    .map((d) => ({ ...d, dim: d.dim.slice(GRAIN_PREFIX.hour.length), counts: { ...d.counts } }) as RollupDoc);
}

describe('queue figures', () => {
  test('offered, answered, abandoned (short ones apart), left and refused, and the service level against the target', () => {
    const docs = rollups([[stay(20, 'answered')], [stay(60, 'answered')], [stay(61, 'answered')], [stay(3, 'hangup')], [stay(5, 'hangup')], [stay(90, 'hangup')], [stay(30, 'key')], [stay(300, 'max-wait')], [stay(0, 'full')]]);
    const [q] = queueFiguresFromRollups(docs, () => TARGET);
    expect(q).toMatchObject({ queue: 'vaxeln', label: 'Växeln', offered: 9, answered: 3, abandoned: 3, shortAbandoned: 2, shortAbandonSeconds: 5, leftByKey: 1, maxWait: 1, full: 1, failed: 0 });
    // 20 s and 60 s are within 60 s; 61 s is not.
    expect(q.serviceLevel).toEqual({ seconds: 60, target: 0.8, answeredWithin: 2, share: 2 / 9, met: false });
    expect(q.speedOfAnswerSec).toMatchObject({ count: 3, mean: 47 });
    expect(q.abandonWaitSec).toMatchObject({ count: 3, mean: Math.round((98 / 3) * 100) / 100 });
    expect(q.waitSec.count).toBe(9);
    expect(q.waitSec.longest).toBeGreaterThanOrEqual(300);
    expect(q.waitSec.longest).toBeLessThan(310);
  });

  test('a target met is met; queues are listed apart, most offered first', () => {
    const docs = rollups([[stay(10, 'answered', 'bygg')], [stay(10, 'answered')], [stay(50, 'answered')], [stay(12, 'answered')], [stay(70, 'answered')], [stay(30, 'answered')]]);
    const list = queueFiguresFromRollups(docs, () => TARGET);
    expect(list.map((q) => [q.queue, q.offered])).toEqual([['vaxeln', 5], ['bygg', 1]]);
    expect(list[0].serviceLevel).toMatchObject({ answeredWithin: 4, share: 0.8, met: true });
  });

  test('a call that waited in two queues is offered in both', () => {
    const [a, b] = queueFiguresFromRollups(rollups([[stay(200, 'max-wait', 'a'), stay(5, 'answered', 'b')]]), () => TARGET).sort((x, y) => x.queue.localeCompare(y.queue));
    expect([a.offered, a.answered, a.maxWait, b.offered, b.answered]).toEqual([1, 0, 1, 1, 1]);
  });

  test('within a target above 64 s, only buckets wholly inside count: never more than the exact number', () => {
    for (const target of [64, 90, 91, 120, 127, 180, 300, 599]) {
      const c: Record<string, number> = {};
      const waits = Array.from({ length: 400 }, (_, i) => i * 1.7);
      for (const w of waits) addValue(c, 'w', w);
      const exact = waits.filter((w) => Math.floor(w) <= target).length;
      const counted = countAtMost(readHistogram(c, 'w'), target);
      expect(counted).toBeLessThanOrEqual(exact);
      expect(exact - counted).toBeLessThanOrEqual(Math.ceil(target / 32 / 1.7) + 1);
    }
    const exactBelow: Record<string, number> = {};
    for (let w = 0; w < 64; w++) addValue(exactBelow, 'w', w);
    expect(countAtMost(readHistogram(exactBelow, 'w'), 60)).toBe(61);
  });

  test('the heatmap puts each stay in the local weekday and hour it joined', () => {
    // Monday 08:30 UTC is 09:30 in Stockholm in March; Tuesday 15:10 UTC is 16:10.
    const monday = Date.parse('2026-03-02T08:30:00Z');
    const tuesday = Date.parse('2026-03-03T15:10:00Z');
    const docs = rollups([[stay(30, 'answered', 'vaxeln', monday)], [stay(90, 'answered', 'vaxeln', monday)], [stay(10, 'hangup', 'vaxeln', tuesday)]]);
    expect(queueHeatmap(docs, 'vaxeln', TARGET)).toEqual([
      { weekday: 1, hour: 9, offered: 2, answered: 2, answeredWithin: 1, serviceLevel: 0.5 },
      { weekday: 2, hour: 16, offered: 1, answered: 0, answeredWithin: 0, serviceLevel: 0 },
    ]);
    expect(queueHeatmap(docs, 'other', TARGET)).toEqual([]);
  });

  test('before and after a flow change: each queue side by side, with what changed and whether beyond chance', () => {
    const before = queueFiguresFromRollups(rollups([...Array(40)].map((_, i) => [stay(i < 20 ? 30 : 120, i < 30 ? 'answered' : 'hangup')])), () => TARGET);
    const after = queueFiguresFromRollups(rollups([...Array(40)].map((_, i) => [stay(i < 36 ? 20 : 90, i < 38 ? 'answered' : 'hangup')])), () => TARGET);
    const side = (label: string) => ({ label, kind: 'version' as const, flowVersion: label, from: '', to: '' });
    const view = compareViews('vaxel', { side: side('a'), summary: summaryFromRollups([]), fallbacks: [], nodes: [], queues: before }, { side: side('b'), summary: summaryFromRollups([]), fallbacks: [], nodes: [], queues: after });
    expect(view.queues).toHaveLength(1);
    const byMetric = Object.fromEntries(view.queues[0].changes.map((c) => [c.metric, c]));
    // 20 of 40 within 60 s before, 36 of 40 after.
    expect(byMetric['serviceLevel.share']).toMatchObject({ a: 0.5, b: 0.9, direction: 'improved', significant: true });
    expect(byMetric['abandoned.share']).toMatchObject({ a: 0.25, b: 0.05, direction: 'improved' });
    expect(byMetric['offered']).toMatchObject({ a: 40, b: 40, direction: 'unchanged' });
    // Every figure by the name the dashboard labels it with, in its order.
    expect(view.queues[0].changes.map((c) => c.metric)).toEqual(['serviceLevel.share', 'abandoned.share', 'speedOfAnswerSec.mean', 'waitSec.p90', 'offered']);
    // Answered after 30 s (20) and 120 s (10) before; after 20 s (36) and 90 s (2): answered sooner, and shorter long waits.
    expect(byMetric['speedOfAnswerSec.mean']).toMatchObject({ better: 'lower', direction: 'improved' });
    expect(byMetric['speedOfAnswerSec.mean'].b).toBeLessThan(byMetric['speedOfAnswerSec.mean'].a!);
    expect(byMetric['waitSec.p90']).toMatchObject({ better: 'lower', direction: 'improved' });
    // A queue only one side has is listed with nothing to compare.
    const onlyB = compareViews('vaxel', { side: side('a'), summary: summaryFromRollups([]), fallbacks: [], nodes: [] }, { side: side('b'), summary: summaryFromRollups([]), fallbacks: [], nodes: [], queues: after });
    expect(onlyB.queues).toEqual([{ queue: 'vaxeln', a: null, b: after[0], changes: [] }]);
  });

  test('the stored dimensions by name; counted once per stay, a wait without Twilio’s count taken from the stay; errors apart; a stay never settled has no wait', () => {
    const lost = stay(0, 'answered');
    lost.queue!.waitSec = null;
    lost.ringMs = 30_000;
    const open = stay(10, 'hangup');
    open.queue!.result = null;
    open.result = null;
    const failed = stay(0, 'full');
    failed.queue!.result = 'error';
    const sysFailed = () => {
      const s = stay(0, 'full');
      s.queue!.result = 'system-error';
      return s;
    };
    const docs = rollups([[lost, stay(20, 'answered')], [open], [failed], [sysFailed()], [sysFailed()]]);
    expect(docs.map((d) => d.dim).filter((d) => d.startsWith('queue')).sort()).toEqual([...Array(5).fill('queue:vaxeln'), ...Array(5).fill('queueSlot:vaxeln|1|9')]);
    const [q] = queueFiguresFromRollups(docs, () => TARGET);
    // An open stay is neither answered, abandoned nor failed.
    expect(q).toMatchObject({ offered: 6, answered: 2, abandoned: 0, failed: 3 });
    expect(q.speedOfAnswerSec).toMatchObject({ count: 2, mean: 25 });
    // The stay whose end never came counts as offered but has no wait to count.
    expect(q.waitSec.count).toBe(5);
  });

  test('the heatmap comes in weekday and hour order whatever order the calls came in', () => {
    const docs = rollups([
      [stay(10, 'answered', 'vaxeln', Date.parse('2026-03-03T15:10:00Z'))],
      [stay(10, 'answered', 'vaxeln', Date.parse('2026-03-02T12:10:00Z'))],
      [stay(10, 'answered', 'vaxeln', Date.parse('2026-03-02T08:10:00Z'))],
    ]);
    expect(queueHeatmap(docs, 'vaxeln', TARGET).map((c) => [c.weekday, c.hour])).toEqual([
      [1, 9],
      [1, 13],
      [2, 16],
    ]);
  });
});
