import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Journey } from '../../src/journey/journey';
import { rollupContribution } from '../../src/metrics/contribution';
import { contributionDelta } from '../../src/metrics/delta';
import { DIM_CALL, DIM_WITH_FALLBACK, FALLBACK_AT_PREFIX, FALLBACK_PREFIX, NODE_PREFIX } from '../../src/metrics/dims';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { RELATIVE_PRECISION } from '../../src/metrics/histogram';
import { nodesFromRollups } from '../../src/metrics/nodes';
import { readRollups } from '../../src/metrics/read';
import { fallbacksFromJourneys, nodesFromJourneys, summaryFromJourneys } from '../../src/metrics/recompute';
import { summaryFromRollups } from '../../src/metrics/summary';
import { createLogger } from '../../src/log';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { seededRandom } from '../../src/sim/random';
import { randomJourneys } from './journeys';
import { mongoTestUri, UNIT_SCOPE } from '../helpers/prerequisites';

const H = 3_600_000;
const FROM = Date.parse('2026-01-20T00:00:00Z');
const DAYS = 75;

/**
 * Walks two results side by side: every number must be equal, except percentiles (median, p90),
 * which the rollups give within the histogram's documented precision.
 */
function expectSameWithinPrecision(actual: unknown, exact: unknown, where = '') {
  if (typeof exact === 'number' && typeof actual === 'number') {
    const leaf = where.split('.').pop();
    if (leaf === 'median' || leaf === 'p90') {
      if (Math.abs(actual - exact) > exact * RELATIVE_PRECISION) throw new Error(`${where}: ${actual} is not within precision of ${exact}`);
    } else if (Math.abs(actual - exact) > 1e-9 * Math.max(1, Math.abs(exact))) throw new Error(`${where}: ${actual} ≠ ${exact}`);
    return;
  }
  if (exact && typeof exact === 'object' && actual && typeof actual === 'object') {
    const keys = new Set([...Object.keys(exact), ...Object.keys(actual)]);
    for (const k of keys) expectSameWithinPrecision((actual as any)[k], (exact as any)[k], where ? `${where}.${k}` : k);
    return;
  }
  if (actual !== exact) throw new Error(`${where}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(exact)}`);
}

/** What a journey looked like earlier in its life: still running, or ended before the survey arrived. */
function earlier(j: Journey, stage: number): Journey {
  if (stage === 0) return { ...j, ended: false, outcome: 'in_progress' };
  return { ...j, survey: { ...j.survey, bemotande: null, enkelhet: null, answered: null }, keyPresses: j.keyPresses + 1 };
}

interface StoreUnderTest {
  name: string;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** The embedded store, and MongoDB (FerretDB from npm test) in every run but `npm run test:unit`. */
function stores(): StoreUnderTest[] {
  const dirs: string[] = [];
  const list: StoreUnderTest[] = [
    {
      name: 'embedded',
      async open() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-rollups-'));
        dirs.push(dir);
        return SqliteStore.open(dir);
      },
      async cleanup() {
        for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
      },
    },
  ];
  if (!UNIT_SCOPE) {
    const uri = mongoTestUri();
    const dbs: string[] = [];
    list.push({
      name: 'mongo',
      async open() {
        const u = new URL(uri);
        u.pathname = `/callpath_rollups_${process.pid}_${dbs.length}`;
        dbs.push(u.toString());
        const { MongoStore } = await import('../../src/store/mongo/mongo-store');
        return MongoStore.connect(u.toString(), createLogger('silent'));
      },
      async cleanup() {
        const mongoose = (await import('mongoose')).default;
        for (const db of dbs.splice(0)) {
          const c = await mongoose.createConnection(db).asPromise();
          await c.dropDatabase();
          await c.close();
        }
      },
    });
  }
  return list;
}

describe.each(stores())('rollups in the $name store, read back over any range, equal a full recomputation from the journeys', (under) => {
  let store: Store;
  // FerretDB takes ~9 ms per rollup upsert, so the Mongo run checks the query path on fewer calls.
  const journeys = randomJourneys(42, under.name === 'mongo' ? 40 : 3000, FROM, DAYS);

  beforeAll(async () => {
    store = await under.open();
    // Each journey reaches the rollups the way the Ingestor delivers it: a contribution per change,
    // applied as the difference from the previous one.
    for (const j of journeys) {
      let before: Journey | null = null;
      for (const version of [earlier(j, 0), earlier(j, 1), j]) {
        const delta = contributionDelta(before ? rollupContribution(before) : [], rollupContribution(version));
        if (delta.length) await store.applyRollups(delta);
        before = version;
      }
    }
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await under.cleanup();
  });

  const inRange = (from: number, to: number) => journeys.filter((j) => Date.parse(j.startedAt!) >= from && Date.parse(j.startedAt!) < to);

  async function read(from: number, to: number, dims: string[], extra: { flowId?: string; flowVersions?: string[] } = {}) {
    return (await readRollups(store, { from, to, dims, ...extra })).docs;
  }

  test('the whole period, a month across grain edges, single hours and empty ranges', async () => {
    const r = seededRandom(3);
    const ranges: [number, number][] = [
      [FROM, FROM + DAYS * 24 * H],
      [Date.parse('2026-01-31T17:00:00Z'), Date.parse('2026-03-02T05:00:00Z')],
      [Date.parse('2026-02-10T09:00:00Z'), Date.parse('2026-02-10T10:00:00Z')],
      [Date.parse('2025-01-01T00:00:00Z'), Date.parse('2025-02-01T00:00:00Z')],
    ];
    for (let i = 0; i < 12; i++) {
      const a = FROM + Math.floor(r() * DAYS * 24) * H;
      ranges.push([a, a + Math.floor(r() * 40 * 24) * H]);
    }
    for (const [from, to] of ranges) {
      const docs = await read(from, to, [DIM_CALL, DIM_WITH_FALLBACK]);
      expectSameWithinPrecision(summaryFromRollups(docs), summaryFromJourneys(inRange(from, to)));
    }
  });

  test('fallback and node tables, per flow version', async () => {
    const from = Date.parse('2026-02-03T06:00:00Z');
    const to = Date.parse('2026-03-28T15:00:00Z');
    const docs = await read(from, to, [DIM_CALL, FALLBACK_PREFIX, FALLBACK_AT_PREFIX, NODE_PREFIX], { flowId: 'vaxel', flowVersions: ['v2'] });
    const js = inRange(from, to).filter((j) => j.flowId === 'vaxel' && j.flowVersion === 'v2');
    expect(js.length).toBeGreaterThan(journeys.length / 8);
    expectSameWithinPrecision(fallbacksFromRollups(docs), fallbacksFromJourneys(js));
    expectSameWithinPrecision(fallbacksFromRollups(docs, 'node'), fallbacksFromJourneys(js, 'node'));
    expectSameWithinPrecision(nodesFromRollups(docs), nodesFromJourneys(js));
  });

  test('the store holds exactly what one contribution per final journey gives (the deltas left nothing behind)', async () => {
    const direct = await under.open();
    await direct.applyRollups(contributionDelta([], journeys.flatMap(rollupContribution)));
    const all = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
    const key = (d: { flowId: string; flowVersion: string; hour: string; dim: string }) => `${d.flowId}|${d.flowVersion}|${d.hour}|${d.dim}`;
    const norm = (docs: { flowId: string; flowVersion: string; hour: string; dim: string; counts: Record<string, number> }[]) =>
      Object.fromEntries(docs.filter((d) => Object.keys(d.counts).length).map((d) => [key(d), d.counts]));
    expect(norm(await store.queryRollups(all))).toEqual(norm(await direct.queryRollups(all)));
    await direct.close();
  }, 120_000);
});
