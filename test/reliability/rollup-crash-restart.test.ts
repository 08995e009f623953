import fs from 'node:fs';
import path from 'node:path';
import { createRollupContribution } from '../../src/metrics/contribution';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { rollupId, type Store } from '../../src/store/store';
import { startHarness, tempDir } from '../helpers/harness';

/**
 * The whole service killed between a group's journey write and its rollup write, then started again
 * on the same data folder: the start-up repair and the outbox's redelivery must leave the dashboard's
 * numbers as a rebuild from the events would. The kill is a copy of the data folder taken at that
 * instant (every file is written through to the OS before a write resolves, so the copy is what a
 * killed process leaves); the first service carries on and is stopped normally.
 */
const script = { digits: ['1'], dials: [{ answer: true as const, ringMs: 8000, talkMs: 60_000 }], survey: ['5', '4', '1'] };
const RANGE = 'from=2026-03-01T00:00:00.000Z&to=2026-03-03T00:00:00.000Z';

async function allRollups(store: Store): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of await store.queryRollups({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' })) {
    const counts = Object.fromEntries(Object.entries(d.counts).filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (Object.keys(counts).length) out[rollupId(d)] = counts;
  }
  return out;
}

test('killed between journeys and rollups, restarted on the same data: the call is counted once', async () => {
  const dataDir = tempDir('callpath-crash-run-');
  const copy = tempDir('callpath-crash-copy-');
  const store = SqliteStore.open(dataDir);
  let killAtNextRollups = false;
  const watched: Store = Object.create(store);
  watched.applyRollups = async (deltas) => {
    if (killAtNextRollups) {
      killAtNextRollups = false;
      fs.cpSync(dataDir, copy, { recursive: true });
      throw new Error('killed');
    }
    return store.applyRollups(deltas);
  };
  const first = await startHarness({ dataDir, store: watched });
  await first.caller.call(script);
  await first.settle();
  killAtNextRollups = true;
  await first.caller.call(script);
  await first.settle();
  expect(killAtNextRollups).toBe(false);
  expect((await first.api(`/api/metrics/summary?${RANGE}`)).body.summary.calls).toBe(2);
  await first.close();

  const second = await startHarness({ dataDir: copy });
  try {
    await second.service.rollupRepair;
    await second.settle();
    expect(second.service.outbox.stats().pending).toBe(0);
    expect((await second.api(`/api/metrics/summary?${RANGE}`)).body.summary.calls).toBe(2);
    expect(await second.service.store.listRollupIntents()).toEqual([]);
    const afterRestart = await allRollups(second.service.store);
    await rebuildRollups(second.service.store, { contribution: createRollupContribution({ timeZone: second.config.timeZone }) });
    expect(afterRestart).toEqual(await allRollups(second.service.store));
  } finally {
    await second.close();
  }
});
