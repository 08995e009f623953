import fs from 'node:fs';
import path from 'node:path';
import { runFlowReplay } from '../../scripts/flow-replay';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { seedTraffic, type SeedResult } from '../../src/sim/seed';
import { openStore } from '../../src/store/open';
import { startHarness, tempDir, type Harness } from '../helpers/harness';

const FLOWS = path.join(__dirname, '../../ivr-flows');
const CALLS = 120;

/**
 * The demo's flow change is archived like any published version: after the seed and a restart, the
 * version picker lists both versions, compare finds calls on both, and flow:replay over the seeded
 * period knows the version of every call.
 */
describe('the demo seed keeps both flow versions', () => {
  let dir: string;
  let seeded: SeedResult;

  beforeAll(async () => {
    dir = tempDir('callpath-seed-versions-');
    // As the demo does: the configured embedded store in DATA_DIR, closed before the service starts.
    const config = loadConfig({ DEV_MODE: 'true', DATA_DIR: dir, FLOWS_DIR: FLOWS, LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    const store = await openStore(config, log);
    try {
      // Wednesday to Wednesday, so the period has calls from its first to its last day; before the
      // harness clock (2026-03-02), within the year compare reads by default.
      seeded = await seedTraffic({ config, store, log, calls: CALLS, days: 14, end: Date.parse('2026-02-25T16:00:00Z'), lanes: 2, seed: 3 });
    } finally {
      await store.close();
    }
    expect(seeded).toMatchObject({ calls: CALLS, errors: 0 });
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the store keeps the first version from the start of the period and the changed one from the switch', async () => {
    const config = loadConfig({ DEV_MODE: 'true', DATA_DIR: dir, FLOWS_DIR: FLOWS, LOG_LEVEL: 'silent' });
    const store = await openStore(config, createLogger('silent'));
    try {
      const kept = (await store.listFlowVersions()).filter((v) => v.flowId === 'vaxel');
      expect(kept.map((v) => [v.version, v.archivedAt])).toEqual([
        [seeded.before.version, seeded.from],
        [seeded.after.version, seeded.switchedAt],
      ]);
    } finally {
      await store.close();
    }
  });

  describe('the service started on the seeded data', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ dataDir: dir });
      await h.service.flowVersionsListed;
    });
    afterAll(async () => h.close());

    test('the version picker (GET /api/flows) offers both versions, oldest first; the flow file stays in service', async () => {
      const res = await h.api('/api/flows');
      expect(res.status).toBe(200);
      const vaxel = res.body.flows.find((f: { id: string }) => f.id === 'vaxel');
      expect(vaxel.version).toBe(seeded.before.version);
      expect(vaxel.versions).toEqual([seeded.before.version, seeded.after.version]);
    });

    test('compare finds the calls of both versions, and the changed version has its picture', async () => {
      const res = await h.api(`/api/metrics/compare?flow=vaxel&a=${seeded.before.version}&b=${seeded.after.version}`);
      expect(res.status).toBe(200);
      expect(res.body.summary.a.calls).toBe(seeded.before.calls);
      expect(res.body.summary.b.calls).toBe(seeded.after.calls);
      const picture = await h.api(`/api/flows/vaxel/mermaid?version=${seeded.after.version}`);
      expect(picture.status).toBe(200);
      // The changed version has no fallback menu after a person's no-answer.
      expect(picture.body).not.toContain('person_unavailable');
    });
  });

  test('flow:replay over the seeded period uses every call that has an intent: none is on an unknown version', async () => {
    let out = '';
    let err = '';
    const code = await runFlowReplay(['--flow', path.join(FLOWS, 'vaxel.yaml'), '--from', seeded.from, '--to', seeded.to, '--json'], {
      env: { DATA_DIR: dir, FLOWS_DIR: FLOWS },
      cwd: dir,
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.calls).toBe(CALLS);
    const skipped = Object.values(report.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
    // Only calls with nothing to replay (hung up in the menu) are left out.
    expect(Object.keys(report.skipped).every((reason) => reason === 'hung up in the menu')).toBe(true);
    expect(report.replayed.length + skipped).toBe(CALLS);
    expect(report.replayed.filter((r: { before?: unknown }) => r.before === undefined)).toEqual([]);
    expect(report.totals.calls).toBe(report.replayed.length);
  });
});
