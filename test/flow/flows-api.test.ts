import fs from 'node:fs';
import path from 'node:path';
import { loadFlowFile } from '../../src/flow/loader';
import { loadArchivedFlows } from '../../src/flow/replay/archive';
import { VirtualCaller } from '../../src/sim/virtual-caller';
import { API_TOKEN, AUTH_TOKEN, STAFF_TOKEN, startHarness, tempDir, type Harness } from '../helpers/harness';

const GOOD = path.join(__dirname, '../fixtures/flows/good');
const versionA = loadFlowFile(path.join(GOOD, 'vaxel.yaml'));

/** Version B of the same flow: key 1 in the main menu now leads to bygglov instead of skola. */
function writeVersionB(dir: string): void {
  const text = fs.readFileSync(path.join(GOOD, 'vaxel.yaml'), 'utf8').replace('      "1": skola\n', '      "1": bygglov\n');
  fs.writeFileSync(path.join(dir, 'vaxel.yaml'), text);
}

async function post(h: Harness, p: string, token = API_TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(h.baseUrl + p, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('flows in service: list, picture, reload', () => {
  let h: Harness;
  let flowsDir: string;

  beforeEach(async () => {
    flowsDir = tempDir('callpath-flows-');
    fs.copyFileSync(path.join(GOOD, 'vaxel.yaml'), path.join(flowsDir, 'vaxel.yaml'));
    h = await startHarness({ env: { FLOWS_DIR: flowsDir } });
  });
  afterEach(async () => h.close());

  test('GET /api/flows lists each flow with its version, lint summary and the versions loaded', async () => {
    const res = await h.api('/api/flows', STAFF_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body.flows).toEqual([
      {
        id: 'vaxel',
        name: 'Exempelstads kommun – växel',
        version: versionA.version,
        default: true,
        languages: ['sv-SE', 'en-GB'],
        nodes: 11,
        lint: { errors: 0, warnings: 0, operatorMaxKeys: 1 },
        versions: [versionA.version],
      },
    ]);
  });

  test('GET /api/flows/:id/mermaid gives the picture as text, in a chosen language; unknown flows and bad parameters are refused', async () => {
    const res = await fetch(`${h.baseUrl}/api/flows/vaxel/mermaid?language=en-GB`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    expect(text).toContain('Enter the four digits of the extension.');
    expect((await h.api('/api/flows/nope/mermaid')).status).toBe(404);
    expect(await h.api('/api/flows/vaxel/mermaid?language=de-DE')).toMatchObject({ status: 400, body: { error: { message: 'Invalid query parameter "language": flow vaxel has no de-DE' } } });
    expect((await h.api('/api/flows/vaxel/mermaid?version=xyz')).body.error.message).toBe('Invalid query parameter "version": must be a flow version (12 hex digits)');
    expect((await h.api('/api/flows/vaxel/lint')).body).toMatchObject({ flowId: 'vaxel', version: versionA.version, errors: 0 });
  });

  test('reload is for admins only', async () => {
    expect(await post(h, '/api/admin/flows/reload', STAFF_TOKEN)).toMatchObject({ status: 403, body: { error: { code: 'API_FORBIDDEN' } } });
  });

  test('a bad file is refused with file, path and reason, and the old version keeps answering', async () => {
    fs.writeFileSync(path.join(flowsDir, 'vaxel.yaml'), fs.readFileSync(path.join(GOOD, 'vaxel.yaml'), 'utf8').replace('      "1": skola\n', '      "1": skolan\n'));
    const res = await post(h, '/api/admin/flows/reload');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'FLOW_INVALID',
      message: 'Flow files rejected; the flows in service are unchanged',
      issues: [{ file: path.join(flowsDir, 'vaxel.yaml'), path: 'nodes.main.routes.1', message: 'unknown node "skolan"' }],
    });
    expect(h.service.registry.get('vaxel')!.version).toBe(versionA.version);
  });

  test('a call started on version A finishes on A after version B is loaded; the next call runs on B', async () => {
    writeVersionB(flowsDir);
    let reloaded: { status: number; body: any } | null = null;
    // The reload happens while the caller thinks about the main menu, between two webhooks of the same call.
    const caller = new VirtualCaller({
      authToken: AUTH_TOKEN,
      publicBaseUrl: h.baseUrl,
      clock: {
        now: () => h.clock.now(),
        sleep: async (ms) => {
          h.clock.advance(ms);
          if (ms === 1500 && !reloaded) reloaded = await post(h, '/api/admin/flows/reload');
        },
      },
    });
    const first = await caller.call({ digits: ['1'] });
    // The reload answers with the linter's findings: in B nothing leads to skola any more.
    expect(reloaded).toMatchObject({
      status: 200,
      body: { flows: [{ id: 'vaxel', changed: true }], findings: [{ severity: 'warning', code: 'unreachable-node', path: 'nodes.skola', message: 'node "skola" cannot be reached from start "welcome"' }] },
    });
    const versionB = reloaded!.body.flows[0].version;
    expect(versionB).not.toBe(versionA.version);
    const second = await h.caller.call({ digits: ['1'] });
    await h.settle();

    const a = (await h.api(`/api/calls/${first.callSid}`)).body;
    expect(a.flowVersion).toBe(versionA.version);
    expect(a.transfers.map((t: { target: string }) => t.target)).toEqual(['skola']);
    const b = (await h.api(`/api/calls/${second.callSid}`)).body;
    expect(b.flowVersion).toBe(versionB);
    expect(b.transfers.map((t: { target: string }) => t.target)).toEqual(['bygglov']);

    const listed = (await h.api('/api/flows')).body.flows[0];
    expect(listed.version).toBe(versionB);
    expect(listed.versions).toEqual([versionA.version, versionB]);
    // Both versions were archived for later replays.
    expect((await loadArchivedFlows(h.service.store)).flows.map((f) => f.version).sort()).toEqual([versionA.version, versionB].sort());
  });

  test('after a restart the versions served before are still listed, oldest first, and drawn, and a call begun on one goes on on it; the file version stays in service', async () => {
    writeVersionB(flowsDir);
    const reloaded = await post(h, '/api/admin/flows/reload');
    const versionB = reloaded.body.flows[0].version;
    await h.close();
    h = await startHarness({ env: { FLOWS_DIR: flowsDir }, dataDir: h.dataDir });
    await h.service.flowVersionsListed;
    const listed = (await h.api('/api/flows')).body.flows[0];
    expect(listed.version).toBe(versionB);
    expect(listed.versions).toEqual([versionA.version, versionB]);
    expect(h.service.registry.get('vaxel')!.version).toBe(versionB);
    expect((await h.api(`/api/flows/vaxel/mermaid?version=${versionA.version}`)).status).toBe(200);
    // A call begun on A before the restart goes on on A: key 1 still leads to skola, not bygglov.
    const res = await h.signedPost(`/twilio/input?f=vaxel&v=${versionA.version}&n=main&l=sv-SE&k=1`, { CallSid: 'CA' + '3'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), Digits: '1' });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`v=${versionA.version}`);
    expect(res.text).not.toContain(`v=${versionB}`);
  });

  test('the service reloads without the API too (what SIGHUP calls)', () => {
    writeVersionB(flowsDir);
    const result = h.service.reloadFlows();
    expect(result.changed).toEqual(['vaxel']);
    expect(h.service.registry.version('vaxel', versionA.version)).not.toBeNull();
  });
});

describe('flow lint at start-up', () => {
  test('findings are logged as warnings with flow, path and code; the budget comes from FLOW_LINT_MAX_OPERATOR_KEYS', async () => {
    const flowsDir = tempDir('callpath-flows-');
    fs.copyFileSync(path.join(__dirname, '../fixtures/flows/bad/unreachable-node.yaml'), path.join(flowsDir, 'a.yaml'));
    const lines: any[] = [];
    const h = await startHarness({ env: { FLOWS_DIR: flowsDir, FLOW_LINT_MAX_OPERATOR_KEYS: '0' }, logTo: { write: (l) => lines.push(JSON.parse(l)) } });
    try {
      const lint = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('flow lint: '));
      expect(lint.map((l) => [l.level, l.path, l.code, l.msg])).toEqual([
        [40, 'nodes.bygglov', 'unreachable-node', 'flow lint: node "bygglov" cannot be reached from start "main"'],
        [40, 'nodes.main', 'operator-budget', 'flow lint: reaching the operator from "main" takes 1 key press (main: 0 → operator), more than the budget of 0'],
      ]);
      expect(lines.find((l) => l.msg === 'flow in service')).toMatchObject({ errors: 1, warnings: 1, operatorMaxKeys: 1 });
    } finally {
      await h.close();
    }
  });
});
