import type { Journey } from '../../src/journey/journey';
import { rollupContribution } from '../../src/metrics/contribution';
import { RELATIVE_PRECISION } from '../../src/metrics/histogram';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { fallbacksFromJourneys, nodesFromJourneys, summaryFromJourneys } from '../../src/metrics/recompute';
import { nodeLabel } from '../../src/flow/node-label';
import { noAnswerToOperator } from '../../src/sim/flow-change';
import type { CallerScript } from '../../src/sim/virtual-caller';
import { STAFF_TOKEN, startHarness, type Harness, takenAfter } from '../helpers/harness';

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T07:00:00Z');
const RANGE = 'from=2026-03-01&to=2026-03-20';

/** Numbers that must never appear in an export: callers', the number called, and the targets'. */
const CALLERS = ['+46701234567', '+46702223344', '+46733334455', '+46765556677'];

/**
 * The same residents call before and after the flow change. Before, a person's no-answer leads to
 * a menu where one caller presses a wrong key before 0 and another gives up; after, the caller goes
 * straight to the operator: the planted improvement.
 */
function scripts(version: 'before' | 'after'): CallerScript[] {
  // The operator is the demo's queue: an operator takes the caller after 7 s of waiting.
  const operator = takenAfter(7, 60_000);
  return [
    { from: CALLERS[0], digits: ['1'], dials: [{ answer: true, ringMs: 8000, talkMs: 120_000 }], survey: ['5', '5', '1'] },
    {
      from: CALLERS[1],
      digits: version === 'before' ? ['5', '4711', '9', '0'] : ['5', '4711'],
      dials: [{ answer: false, status: 'no-answer' }],
      queue: operator,
      survey: version === 'before' ? ['3', '2', '2'] : ['4', '4', '1'],
    },
    { from: CALLERS[2], digits: ['5', '4712'], dials: [{ answer: false, status: 'busy', ringMs: 2000 }], queue: operator, survey: ['4', '3'] },
    { from: CALLERS[3], digits: ['0'], queue: takenAfter(20, 30_000), survey: ['4', '4', '1'] },
    { from: CALLERS[0], digits: [] },
    { from: CALLERS[1], digits: ['2'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 9 } },
    { from: CALLERS[2], digits: ['7', '', '3'], queue: takenAfter(3, 45_000), survey: [] },
  ];
}

describe('metrics API over calls played through the webhooks', () => {
  let h: Harness;
  let before: string;
  let after: string;
  let journeys: Journey[];

  beforeAll(async () => {
    h = await startHarness();
    const registry = h.service.registry;
    before = registry.get('vaxel')!.version;
    const changed = noAnswerToOperator(registry.get('vaxel')!);
    after = changed.version;
    for (const [version, firstDay] of [['before', 0], ['after', 7]] as const) {
      if (version === 'after') registry.replace([changed]);
      for (let round = 0; round < 3; round++) {
        for (const [i, s] of scripts(version).entries()) {
          // Spread over days and hours, so reads cross hour, day and month rollups.
          h.clock.set(START + (firstDay + round * 2) * DAY + i * 97 * 60_000);
          await h.caller.call(s);
        }
      }
    }
    await h.settle();
    journeys = (await h.api('/api/calls?limit=1000')).body.calls;
  });

  afterAll(async () => {
    await h.close();
  });

  /** Every number equal, percentiles within the histogram's precision. */
  function expectSame(actual: unknown, exact: unknown, where = ''): void {
    if (typeof exact === 'number' && typeof actual === 'number') {
      const leaf = where.split('.').pop();
      if (leaf === 'median' || leaf === 'p90') expect(Math.abs(actual - exact)).toBeLessThanOrEqual(exact * RELATIVE_PRECISION);
      else expect([where, actual]).toEqual([where, exact]);
      return;
    }
    if (exact && actual && typeof exact === 'object' && typeof actual === 'object') {
      for (const k of new Set([...Object.keys(exact), ...Object.keys(actual)])) expectSame((actual as any)[k], (exact as any)[k], `${where}.${k}`);
      return;
    }
    expect([where, actual]).toEqual([where, exact]);
  }

  test('the calls reached the store on both flow versions', () => {
    expect(journeys).toHaveLength(42);
    expect(journeys.every((j) => j.ended)).toBe(true);
    expect(new Set(journeys.map((j) => j.flowVersion))).toEqual(new Set([before, after]));
  });

  test('summary, fallbacks and nodes from the rollups equal a full recomputation from the journeys', async () => {
    const summary = await h.api(`/api/metrics/summary?${RANGE}`);
    expect(summary.status).toBe(200);
    expect(summary.body.range).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z' });
    // Without from, the answer says the range is the default one.
    const defaulted = await h.api('/api/metrics/summary?to=2026-03-20T00:00:00.000Z');
    expect(defaulted.body.range).toEqual({ from: '2026-02-18T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z', defaultDays: 30 });
    expectSame(summary.body.summary, summaryFromJourneys(journeys));
    expect(summary.body.summary.fallback.occurrences).toBeGreaterThan(0);

    const fallbacks = await h.api(`/api/metrics/fallbacks?${RANGE}&flow=vaxel`);
    expectSame(fallbacks.body.fallbacks, fallbacksFromJourneys(journeys));
    const byNode = await h.api(`/api/metrics/fallbacks?${RANGE}&flow=vaxel&by=node`);
    expectSame(byNode.body.fallbacks, fallbacksFromJourneys(journeys, 'node'));

    const nodes = await h.api(`/api/metrics/nodes?${RANGE}&flow=vaxel&version=${before}`);
    const info = (flowId: string, nodeId: string) => {
      const flow = h.service.registry.allVersions().find((f) => f.id === flowId && f.nodes[nodeId]);
      return { type: flow?.nodes[nodeId].type ?? null, label: flow ? nodeLabel(flow, nodeId) : null };
    };
    expectSame(nodes.body.nodes, nodesFromJourneys(journeys.filter((j) => j.flowVersion === before), info));
    const unavailable = nodes.body.nodes.find((n: any) => n.nodeId === 'person_unavailable');
    expect(unavailable).toMatchObject({ type: 'menu', invalid: { total: 3, byKey: { '9': 3 } }, exits: { byKey: { '0': 3 } } });
    // Staff read labels, not node ids: the flow file's label, else the target rung or the start of what the node says.
    const byId = new Map(nodes.body.nodes.map((n: any) => [n.nodeId, n.label]));
    expect(byId.get('main')).toBe('Huvudmeny');
    expect(byId.get('skola')).toBe('Förskola och skola');
  });

  test('a narrower range counts only its calls', async () => {
    const day = await h.api('/api/metrics/summary?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z');
    const inDay = journeys.filter((j) => j.startedAt! >= '2026-03-02T00:00:00Z' && j.startedAt! < '2026-03-03T00:00:00Z');
    expect(inDay.length).toBe(7);
    expectSame(day.body.summary, summaryFromJourneys(inDay));
  });

  test('compare detects the planted improvement, by version and by period', async () => {
    const res = await h.api(`/api/metrics/compare?flow=vaxel&a=${before}&b=${after}&${RANGE}`);
    expect(res.status).toBe(200);
    const change = (m: string) => res.body.changes.find((c: any) => c.metric === m);
    const exactA = summaryFromJourneys(journeys.filter((j) => j.flowVersion === before));
    const exactB = summaryFromJourneys(journeys.filter((j) => j.flowVersion === after));
    expect(change('fallback.lostKeys.mean')).toMatchObject({ a: exactA.fallback.lostKeys.mean, b: 0, direction: 'improved' });
    expect(exactA.fallback.lostKeys.mean).toBeGreaterThan(0);
    expect(change('fallback.lostMs.median').direction).toBe('improved');
    expect(change('fallback.lostMs.median').b).toBeLessThan(change('fallback.lostMs.median').a);
    expect(change('keyPresses.mean').direction).toBe('improved');
    expect(change('enkelhet.index')).toMatchObject({ a: exactA.enkelhet.index, b: exactB.enkelhet.index, direction: 'improved' });
    const person = res.body.fallbacks.find((f: any) => f.nodeId === 'person' && f.reason === 'no-answer');
    expect(person.a.route).toBeNull();
    expect(person.b.lostKeys.mean).toBe(0);
    expect(res.body.nodes.find((n: any) => n.nodeId === 'person_unavailable').b).toBeNull();

    const byPeriod = await h.api('/api/metrics/compare?flow=vaxel&a=2026-03-01/2026-03-08&b=2026-03-08..2026-03-20');
    expect(byPeriod.body.a).toMatchObject({ kind: 'period', flowVersion: null, from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' });
    expect(byPeriod.body.changes).toEqual(res.body.changes);
  });

  test('the SKR view shows the national reference and the 100-answer threshold', async () => {
    const res = await h.api(`/api/metrics/skr?${RANGE}&year=2022`);
    expect(res.status).toBe(200);
    const { skr } = res.body;
    expect(skr).toMatchObject({ reference: { year: 2022, bemotande: 82.1, enkelhet: 73.5 }, minAnswers: 100, timeZone: 'Europe/Stockholm' });
    const exact = summaryFromJourneys(journeys);
    expect(skr.overall.bemotande).toMatchObject({ index: exact.bemotande.index, answers: exact.bemotande.answers, comparable: false });
    expect(skr.overall.bemotande.vsReference).toBeCloseTo(exact.bemotande.index! - 82.1, 5);
    const skola = journeys.filter((j) => j.category === 'skola');
    expect(skr.byCategory.find((r: any) => r.key === 'skola').calls).toBe(skola.length);
    // 07:00 UTC on a March day is 08:00 in Stockholm.
    expect(skr.byHourOfDay[8].calls).toBe(journeys.filter((j) => j.startedAt!.slice(11, 13) === '07').length);
    expect(skr.byWeekday.reduce((n: number, r: any) => n + r.calls, 0)).toBe(42);
  });

  test('bad parameters are a 400 that names the parameter', async () => {
    const cases: [string, string][] = [
      ['/api/metrics/summary?from=yesterday', 'from'],
      ['/api/metrics/summary?from=2026-03-05&to=2026-03-01', 'to'],
      ['/api/metrics/summary?version=abc', 'version'],
      ['/api/metrics/summary?flow=no%20such%20flow!', 'flow'],
      ['/api/metrics/nodes?format=xml', 'format'],
      ['/api/metrics/fallbacks?by=target', 'by'],
      ['/api/metrics/skr?year=1999', 'year'],
      ['/api/metrics/skr?year=2030', 'year'],
      ['/api/metrics/compare?flow=vaxel&a=2026-03-01/yesterday&b=abc', 'a'],
      ['/api/metrics/compare?flow=vaxel&a=abc', 'b'],
      ['/api/metrics/compare?a=abc&b=def', 'flow'],
      ['/api/calls.csv?limit=0', 'limit'],
    ];
    for (const [url, name] of cases) {
      const res = await h.api(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect([url, res.body.error.code]).toEqual([url, 'API_BAD_REQUEST']);
      expect(res.body.error.message).toContain(`"${name}"`);
    }
    const unknown = await h.api('/api/metrics/summary?form=2026-03-01');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('form');
  });

  test('CSV exports: every view, and the journeys pseudonymised with no phone number in them', async () => {
    const flowNumbers = Object.values(h.service.registry.get('vaxel')!.targets).map((t) => t.number);
    const numbers = [...CALLERS, '+46101300000', ...flowNumbers];
    const forms = (n: string) => [n, n.replace('+46', '0'), n.replace('+', '')];
    for (const path of ['/api/calls.csv', '/api/metrics/summary.csv', '/api/metrics/fallbacks?format=csv', '/api/metrics/nodes.csv', '/api/metrics/skr.csv', `/api/metrics/compare.csv?flow=vaxel&a=${before}&b=${after}`]) {
      const url = `${path}${path.includes('?') ? '&' : '?'}${path.includes('compare') ? '' : RANGE}`;
      const res = await fetch(h.baseUrl + url, { headers: { authorization: `Bearer test-api-token-0123456789` } });
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = await res.text();
      for (const n of numbers.flatMap(forms)) expect([url, text.includes(n)]).toEqual([url, false]);
      expect(text.split('\r\n').length).toBeGreaterThan(2);
    }

    const admin = await h.api(`/api/calls.csv?${RANGE}`);
    const lines = String(admin.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(1 + 42);
    const header = lines[0].split(',');
    expect(header).toContain('callerPseudonym');
    const pseudonyms = lines.slice(1).map((l) => l.split(',')[header.indexOf('callerPseudonym')]);
    expect(pseudonyms.every((p) => /^k1:[0-9a-f]{32}$/.test(p))).toBe(true);
    // Four residents called: the pseudonym links their calls without revealing the number.
    expect(new Set(pseudonyms).size).toBe(4);

    const staff = await h.api(`/api/calls.csv?${RANGE}`, STAFF_TOKEN);
    expect(String(staff.body).split('\r\n')[0]).not.toContain('callerPseudonym');
  });

  test('a CSV cell with a comma, a quote or a line break is quoted as RFC 4180 says', async () => {
    const { csvLine } = await import('../../src/api/csv');
    expect(csvLine(['vatten och avfall', 'a,b', 'say "hej"', 'two\nlines', 3.5, null, '=1+2'])).toBe('vatten och avfall,"a,b","say ""hej""","two\nlines",3.5,,\'=1+2\r\n');
  });

  test('rebuilding the rollups from the stored events gives the same numbers', async () => {
    const views = ['summary', 'fallbacks', 'nodes', 'skr'].map((v) => `/api/metrics/${v}?${RANGE}`);
    const read = () => Promise.all(views.map(async (v) => (await h.api(v)).body));
    const beforeRebuild = await read();
    const result = await rebuildRollups(h.service.store, { contribution: rollupContribution });
    expect(result.calls).toBe(42);
    expect(result.journeysRewritten).toBe(0);
    expect(await read()).toEqual(beforeRebuild);
  });
});
