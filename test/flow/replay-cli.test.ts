import fs from 'node:fs';
import path from 'node:path';
import { runFlowReplay } from '../../scripts/flow-replay';
import { startHarness, tempDir, takenAfter } from '../helpers/harness';

const GOOD = path.join(__dirname, '../fixtures/flows/good');

async function run(argv: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runFlowReplay(argv, { env, cwd: GOOD, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('npm run flow:replay', () => {
  let dataDir: string;
  let emptyFlows: string;
  let journeysFile: string;

  beforeAll(async () => {
    const flowsDir = tempDir('callpath-replay-flows-');
    fs.copyFileSync(path.join(GOOD, 'vaxel.yaml'), path.join(flowsDir, 'vaxel.yaml'));
    dataDir = tempDir('callpath-replay-data-');
    const h = await startHarness({ env: { FLOWS_DIR: flowsDir }, dataDir });
    await h.caller.call({ digits: ['5', '4711', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(20) });
    h.clock.advance(86_400_000);
    await h.caller.call({ digits: ['1'] });
    await h.settle();
    journeysFile = path.join(tempDir(), 'calls.json');
    fs.writeFileSync(journeysFile, JSON.stringify((await h.api('/api/calls')).body));
    await h.close();
    // The flow folder is gone by the time of the replay: the version the calls were made on comes from the archive.
    emptyFlows = tempDir('callpath-no-flows-');
  });

  test('from the store: the flow version the calls were made on comes from the archive; per intent and totals', async () => {
    const r = await run(['--flow', 'vaxel-no-answer-to-operator.yaml'], { DATA_DIR: dataDir, FLOWS_DIR: emptyFlows });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Replay of 2 recorded calls against vaxel-no-answer-to-operator\.yaml \(vaxel@[0-9a-f]{12}\)\n/);
    expect(r.out).toContain('A caller hears every prompt to its end (60 ms per character of text), then answers after 1500 ms.');
    expect(r.out).toContain('    before: welcome → main [5] → person [4711] → ring person 4711: no-answer → person_unavailable [0] → ring operator\n');
    expect(r.out).toContain('    after:  welcome → main [5] → person [4711] → ring person 4711: no-answer → ring operator\n');
    expect(r.out).toContain('  key presses  actual 7  before 7 → after 6  (−1)\n');
    expect(r.out).toContain('  menu time    actual 45.2 s  before 45.2 s → after 36.6 s  (−8.6 s)\n');
    expect(r.out).toContain('  ringing      actual 20.8 s  before 20.8 s → after 20.8 s  (no change)\n');
  });

  test('--from/--to choose the calls by start time', async () => {
    const r = await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--from', '2026-03-03', '--to', '2026-03-04', '--json'], { DATA_DIR: dataDir, FLOWS_DIR: emptyFlows });
    const report = JSON.parse(r.out);
    expect(report.groups.map((g: { label: string }) => g.label)).toEqual(['department skola']);
  });

  test('a period with no calls, or calls in only part of it, is said on stderr before the report', async () => {
    const env = { DATA_DIR: dataDir, FLOWS_DIR: emptyFlows };
    const none = await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--from', '2026-04-01', '--to', '2026-05-01'], env);
    expect(none.code).toBe(0);
    expect(none.err).toContain('no recorded calls of flow "vaxel" from 2026-04-01 to 2026-05-01');
    const part = await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--from', '2026-02-01', '--to', '2026-03-31'], env);
    expect(part.err).toContain('the first is on 2026-03-02, though the period starts on 2026-02-01');
    expect(part.err).toContain('the last is on 2026-03-03, though the period ends on 2026-03-31');
    expect(part.out).toMatch(/^Replay of 2 recorded calls/);
  });

  test('from a JSON file of journeys (a page of GET /api/calls), with the old version given as --baseline', async () => {
    const empty = tempDir();
    const r = await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--journeys', journeysFile, '--baseline', 'vaxel.yaml', '--json'], { DATA_DIR: empty, FLOWS_DIR: emptyFlows });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.totals).toEqual({ calls: 2, actual: { keys: 7, menuMs: 45_180, ringMs: 20_840 }, before: { keys: 7, menuMs: 45_180, ringMs: 20_840 }, after: { keys: 6, menuMs: 36_600, ringMs: 20_840 } });
    const noBaseline = JSON.parse((await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--journeys', journeysFile, '--json'], { DATA_DIR: empty, FLOWS_DIR: emptyFlows })).out);
    expect(noBaseline.groups.every((g: { versionUnknown: number; calls: number }) => g.versionUnknown === g.calls)).toBe(true);
  });

  test('a different caller model changes the estimate and is printed with it', async () => {
    const r = await run(['--flow', 'vaxel-no-answer-to-operator.yaml', '--think-ms', '2000', '--digit-ms', '300'], { DATA_DIR: dataDir, FLOWS_DIR: emptyFlows });
    expect(r.out).toContain('then answers after 2000 ms, plus 300 ms per further digit of an extension.');
  });

  test('usage errors exit 2, an invalid candidate exits 1', async () => {
    const env = { DATA_DIR: dataDir, FLOWS_DIR: emptyFlows };
    expect(await run([], env)).toMatchObject({ code: 2, err: expect.stringContaining('--flow is required') });
    expect(await run(['--flow', 'vaxel.yaml', '--from', 'March'], env)).toMatchObject({ code: 2, err: expect.stringContaining('--from must be an ISO date') });
    expect(await run(['--flow', 'vaxel.yaml', '--from', '2026-03-02', '--to', '2026-03-01'], env)).toMatchObject({ code: 2, err: expect.stringContaining('--to must be after --from') });
    expect(await run(['--flow', 'vaxel.yaml', '--think-ms', 'slow'], env)).toMatchObject({ code: 2 });
    expect(await run(['--flow', '../bad/unknown-node.yaml'], env)).toMatchObject({ code: 1, err: expect.stringContaining('nodes.main.routes.1: unknown node "skolan"') });
    expect(await run(['--flow', 'nope.yaml'], env)).toMatchObject({ code: 2, err: expect.stringContaining('no such file: nope.yaml') });
    expect(await run(['--flow', 'vaxel.yaml', '--journeys', 'nope.json'], env)).toMatchObject({ code: 2, err: expect.stringContaining('--journeys') });
  });
});
