import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { compareViews } from '../../src/metrics/compare';
import { DIM_CALL, DIM_WITH_FALLBACK, FALLBACK_AT_PREFIX, FALLBACK_RESCUE_PREFIX, FALLBACK_PREFIX, NODE_PREFIX, CATEGORY_PREFIX, LOCAL_HOUR_PREFIX, WEEKDAY_PREFIX } from '../../src/metrics/dims';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { nodesFromRollups } from '../../src/metrics/nodes';
import { readRollups } from '../../src/metrics/read';
import { summaryFromJourneys } from '../../src/metrics/recompute';
import { DEFAULT_SKR_REFERENCES, skrFromRollups } from '../../src/metrics/skr';
import { summaryFromRollups } from '../../src/metrics/summary';
import { noAnswerToOperator } from '../../src/sim/flow-change';
import { seededRandom } from '../../src/sim/random';
import { callTimes, seedTraffic } from '../../src/sim/seed';
import { localTimeIn } from '../../src/metrics/local-time';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { loadFlowDir } from '../../src/flow/loader';
import { tempDir } from '../helpers/harness';

const FLOWS = path.join(__dirname, '../../ivr-flows');

describe('demo traffic seed', () => {
  test('the changed flow sends a person’s no-answer and busy straight to the operator, and drops the fallback menu', () => {
    const [v1] = loadFlowDir(FLOWS).filter((f) => f.id === 'vaxel');
    const v2 = noAnswerToOperator(v1);
    expect(v2.version).not.toBe(v1.version);
    expect(v2.nodes.person).toMatchObject({ onNoAnswer: { next: 'operator' }, onBusy: { next: 'operator' } });
    expect(v2.nodes.person_unavailable).toBeUndefined();
    expect(Object.keys(v2.nodes).length).toBe(Object.keys(v1.nodes).length - 1);
  });

  test('call times follow the working day: most calls in office hours, few at night and at weekends', () => {
    const from = Date.parse('2026-03-02T00:00:00Z');
    const times = callTimes(seededRandom(5), 5000, from, from + 28 * 86_400_000, 'Europe/Stockholm');
    const local = localTimeIn('Europe/Stockholm');
    const office = times.filter((t) => {
      const { hour, weekday } = local(t);
      return weekday <= 5 && hour >= 8 && hour < 17;
    });
    expect(office.length / times.length).toBeGreaterThan(0.75);
    expect(times.filter((t) => local(t).hour < 6).length / times.length).toBeLessThan(0.02);
  });

  test('a small seed through the real webhooks gives every view data and a before/after to compare', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(path.join(dir, 'store'));
    const config = loadConfig({ DEV_MODE: 'true', DATA_DIR: dir, FLOWS_DIR: FLOWS, LOG_LEVEL: 'silent' });
    const end = Date.parse('2026-03-16T00:00:00Z');
    const result = await seedTraffic({ config, store, log: createLogger('silent'), calls: 160, days: 14, end, lanes: 2, seed: 3 });
    expect(result).toMatchObject({ calls: 160, errors: 0, switchedAt: '2026-03-09T00:00:00.000Z' });
    expect(result.before.calls + result.after.calls).toBe(160);
    expect(result.before.version).not.toBe(result.after.version);

    const journeys = await store.listJourneys({ limit: 1000 });
    expect(journeys).toHaveLength(160);
    // Callers met the demo's notices (Anna Lind's meetings, Johan Berg's week of leave, Sara Holm's Fridays), and some stay set for now.
    // Some callers nobody answered asked to be called back; reception worked most through.
    const callbacks = await store.listCallbacks({});
    expect(callbacks.length).toBeGreaterThan(0);
    expect(journeys.filter((j) => j.callback).length).toBe(callbacks.length);
    expect(callbacks.some((c) => c.state === 'done' && c.history.some((h) => h.action === 'assigned'))).toBe(true);
    const met = journeys.flatMap((j) => j.notices ?? []);
    expect(met.length).toBeGreaterThan(0);
    expect(journeys.flatMap((j) => j.fallbacks).filter((f) => f.reason === 'notice')).toHaveLength(met.length);
    expect((await store.listNotices()).map((n) => [n.person, n.reason])).toEqual([['+46101304711', 'meeting'], ['+46101304712', 'leave']]);
    expect(journeys.every((j) => j.ended && j.errors === 0)).toBe(true);

    const from = end - 14 * 86_400_000;
    const { docs } = await readRollups(store, {
      from,
      to: end,
      dims: [DIM_CALL, DIM_WITH_FALLBACK, FALLBACK_PREFIX, FALLBACK_AT_PREFIX, FALLBACK_RESCUE_PREFIX, NODE_PREFIX, CATEGORY_PREFIX, LOCAL_HOUR_PREFIX, WEEKDAY_PREFIX],
    });
    const summary = summaryFromRollups(docs);
    expect(summary.calls).toBe(160);
    expect(summary.calls).toBe(summaryFromJourneys(journeys).calls);
    expect(summary.fallback.occurrences).toBeGreaterThan(0);
    expect(summary.survey.responded).toBeGreaterThan(0);
    expect(summary.answered.count).toBeGreaterThan(summary.abandoned.total.count);
    const routes = new Set(fallbacksFromRollups(docs).filter((f) => f.nodeId === 'person').map((f) => f.route));
    // Johan's notice (leave) puts his callers through to his colleague straight away: the backup's own route.
    expect(routes).toEqual(new Set(['person_unavailable', 'operator', 'colleague']));
    const rescues = new Set(fallbacksFromRollups(docs, 'rescue').filter((f) => f.nodeId === 'person').map((f) => f.rescue));
    expect([...rescues]).toEqual(expect.arrayContaining(['backup', 'operator']));
    expect(nodesFromRollups(docs).map((n) => n.nodeId)).toEqual(expect.arrayContaining(['main', 'person', 'operator', 'skola']));
    const skr = skrFromRollups(docs, { references: DEFAULT_SKR_REFERENCES, timeZone: 'Europe/Stockholm' });
    expect(skr.byCategory.length).toBeGreaterThanOrEqual(4);

    const side = (version: string) => {
      const mine = docs.filter((d) => d.flowVersion === version);
      return {
        side: { label: version, kind: 'version' as const, flowVersion: version, from: '', to: '' },
        summary: summaryFromRollups(mine),
        fallbacks: fallbacksFromRollups(mine, 'node'),
        nodes: nodesFromRollups(mine),
      };
    };
    const view = compareViews('vaxel', side(result.before.version), side(result.after.version));
    // After the change nobody presses a key after a person's fallback.
    const person = view.fallbacks.find((f) => f.nodeId === 'person' && f.reason === 'no-answer')!;
    expect(person.b?.lostKeys.mean ?? 0).toBe(0);
    expect(person.a!.lostKeys.mean).toBeGreaterThan(0);

    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
