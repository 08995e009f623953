import fs from 'node:fs';
import { AuditActions } from '../../src/identity/audit-actions';
import { AuditTrail } from '../../src/identity/audit-trail';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';

const DAY = 86_400_000;

describe('the audit trail kept for its retention period', () => {
  let dir: string;
  let store: SqliteStore;
  let now: number;
  let trail: AuditTrail;
  beforeEach(async () => {
    dir = tempDir('callpath-audit-retention-');
    store = await SqliteStore.open(dir, { auditPageSize: 3 });
    now = Date.parse('2025-01-01T08:00:00Z');
    trail = new AuditTrail(store.identity, () => now);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One timeline read a day for `days` days. */
  async function daysOfReads(days: number): Promise<void> {
    for (let d = 0; d < days; d++) {
      await trail.record({ actor: 'user:lena@kommun.se', action: AuditActions.CALL_TIMELINE_READ, object: `CA${String(d).padStart(32, '0')}` });
      now += DAY;
    }
  }

  test('pruning removes what is older than the retention from the start, records that it did, and the rest still verifies', async () => {
    await daysOfReads(400);
    const removed = await trail.prune(365);
    // Now is day 400: entries of days 0..34 are older than 365 days.
    expect(removed).toBe(35);
    const kept = await trail.list({ limit: 10_000 });
    expect(kept[0]).toMatchObject({ seq: 36, object: `CA${'35'.padStart(32, '0')}` });
    expect(kept[kept.length - 1]).toMatchObject({ action: 'audit.pruned', actor: 'system', details: expect.objectContaining({ removed: 35, throughSeq: 35 }) });
    expect(await trail.verify()).toEqual({ ok: true, checked: 366 });

    // Appending and pruning again keeps the chain verifiable from the new anchor.
    await daysOfReads(10);
    expect(await trail.prune(365)).toBe(10);
    expect(await trail.verify()).toMatchObject({ ok: true });
  });

  test('nothing older than the retention: nothing removed, nothing recorded', async () => {
    await daysOfReads(5);
    expect(await trail.prune(365)).toBe(0);
    expect((await trail.list({})).map((e) => e.action)).not.toContain('audit.pruned');
  });
});
