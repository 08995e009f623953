import fs from 'node:fs';
import { Ingestor } from '../../src/ingest/ingestor';
import { createRollupContribution } from '../../src/metrics/contribution';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { callEvents } from '../store/store-contract';

/**
 * The periodic rollup repair pauses this process's groups only when there is something to repair.
 * A group hung on a store that stopped answering for one call must not, once a minute, stop the
 * groups of every other call behind the repair's wait for it.
 */
const contribution = createRollupContribution({ timeZone: 'Europe/Stockholm' });
const A = `CA${'a'.repeat(32)}`;
const B = `CA${'b'.repeat(32)}`;

test('with nothing to repair, a hung group holds up neither the repair nor the other calls', async () => {
  const dir = tempDir('callpath-repair-gate-');
  const real = SqliteStore.open(dir);
  try {
    const store: Store = Object.create(real);
    // The journeys write of call A never answers (a connection that went silent).
    store.putJourneys = (writes) => (writes.some((w) => w.journey.callSid === A) ? new Promise<never>(() => undefined) : real.putJourneys(writes));
    const ingestor = new Ingestor({ store, contribution, instanceId: 'here' });
    void ingestor.ingest(callEvents(A, Date.parse('2026-03-02T08:00:00Z')));
    await new Promise((r) => setImmediate(r));

    const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 2_000))]);
    expect(await within(ingestor.repairRollups())).toBeNull();
    expect(await within(ingestor.ingest(callEvents(B, Date.parse('2026-03-02T08:05:00Z'))))).toBeUndefined();
    expect(await real.getJourney(B)).toMatchObject({ callSid: B, ended: true });
  } finally {
    await real.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
