import crypto from 'node:crypto';
import fs from 'node:fs';
import { Ingestor } from '../../src/ingest/ingestor';
import type { CallEvent } from '../../src/journey/events';
import { createRollupContribution } from '../../src/metrics/contribution';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { rollupId, type Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { callEvents } from '../store/store-contract';

const contribution = createRollupContribution({ timeZone: 'Europe/Stockholm' });
const DAY = Date.parse('2026-03-02T07:00:00Z');

async function rollups(store: Store): Promise<Map<string, Record<string, number>>> {
  const docs = await store.queryRollups({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' });
  return new Map(docs.map((d) => [rollupId(d), d.counts]));
}

test('a rebuild gives the rollups the ingestion gave, each written once, though calls are stored in no order of time', async () => {
  const dir = tempDir('callpath-rebuild-');
  const store = SqliteStore.open(dir);
  try {
    // Twilio's CallSids are random: the store's order of calls (by CallSid) is no order of time.
    const calls: CallEvent[][] = [];
    for (let i = 0; i < 1500; i++) {
      const sid = `CA${crypto.randomBytes(16).toString('hex')}`;
      calls.push(callEvents(sid, DAY + (i % 6) * 3_600_000 + i * 1000, `k1:caller-${i % 9}`));
    }
    const ingestor = new Ingestor({ store, contribution });
    for (let i = 0; i < calls.length; i += 20) await ingestor.ingest(calls.slice(i, i + 20).flat());
    await ingestor.close();
    const incremental = await rollups(store);

    const result = await rebuildRollups(store, { contribution });
    expect(result).toMatchObject({ calls: 1500, journeysRewritten: 0 });
    expect(await rollups(store)).toEqual(incremental);
    // Summed by time before writing: one write per rollup, not one per rollup and page of calls.
    expect(result.rollupWrites).toBe(incremental.size);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
