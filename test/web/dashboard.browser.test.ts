import path from 'node:path';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { nodeLabel } from '../../src/flow/node-label';
import type { CallEvent } from '../../src/journey/events';
import { startHarness, type Harness, takenAfter } from '../helpers/harness';
import { freshSession, staffSession, type StaffSession } from '../helpers/staff';
import { artifactPath, launchChromium, useSession, WatchedTabs, type WatchedTab } from './browser';
import { GatedCaller } from './gated-caller';
import { seedCalls, weekdaysBetween } from './seed';

jest.setTimeout(240_000);

/**
 * The dashboard in a real headless Chromium against a real service: sign-in, the live board fed by
 * virtual calls made during the test, the charts over seeded calls, roles, language, the report.
 * The service and its seeded calls are shared; each test opens its own tab, so none needs the ones
 * before it, and its tabs' errors are checked after it.
 */
describe('dashboard in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const tabs = new WatchedTabs(() => h.baseUrl);
  const transferSeen: string[] = [];
  /** Staff signed in by their session cookie: one with every role, and one without admin. */
  let everyone: StaffSession;
  let reader: StaffSession;

  /** A new tab, as a new visitor: no session, and the language chosen in earlier tests' tabs forgotten. */
  async function openTab(): Promise<WatchedTab> {
    const tab = await tabs.open(browser.context);
    const { page } = tab;
    // localStorage is shared by the context's tabs; it is cleared on this tab's first load only, so a reload keeps what the test chose.
    await page.addInitScript(`if (!sessionStorage.getItem('callpath-test-tab')) {
      localStorage.clear();
      sessionStorage.setItem('callpath-test-tab', '1');
    }`);
    return tab;
  }

  /** The dashboard signed in as this staff member (by their session cookie), its live board drawn from the socket's snapshot. */
  async function signedIn(staff: StaffSession): Promise<Page> {
    // Signed in now: the test clock has run on since beforeAll, past any session's idle timeout.
    await useSession(browser.context, h, await freshSession(h, staff));
    const { page } = await openTab();
    await page.goto(h.baseUrl + '/');
    await page.locator('#conn[data-state="live"]').waitFor();
    await page.waitForFunction("document.querySelector('[data-counter=\"calls\"]').textContent !== '–'");
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
    everyone = await staffSession(h, 'vera.vaxel@example.se', ['reception', 'analyst', 'admin'], 'Vera Växel');
    reader = await staffSession(h, 'lasa.lisa@example.se', ['reception', 'analyst'], 'Lisa Läsa');
    // Six weeks of office days; the flow changes on 9 February (direct to the operator after no answer).
    const days = weekdaysBetween('2026-01-19', '2026-03-02').map((date) => ({ date, calls: 14 }));
    days.push({ date: '2026-03-02', calls: 10 });
    await seedCalls(h, { days, switchVersionOn: '2026-02-09', operatorAway: { date: '2026-02-03', calls: 3 } });
    h.service.onEvents.add((events: CallEvent[]) => {
      for (const e of events) if (e.type === 'transfer.attempted' || e.type === 'queue.joined') transferSeen.push(e.callSid);
    });
  });

  beforeEach(async () => {
    // Each test signs in as whom it needs; a test that does not is a visitor with no session.
    await browser.context.clearCookies();
  });

  afterEach(async () => {
    // Page errors, console errors and requests to anywhere but the service.
    expect(await tabs.closeAll()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('the page loads from the service alone and asks the visitor to sign in', async () => {
    const { page } = await openTab();
    const res = await page.goto(h.baseUrl + '/');
    expect(res?.status()).toBe(200);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.locator('#signin-form').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.locator('#signin-form h1').textContent()).toBe('Logga in');
    expect(await page.locator('#signin-email').getAttribute('autocomplete')).toBe('username');
    expect(await page.locator('main').isHidden()).toBe(true);
  });

  test('signed in, the header names the user and their roles, and the live socket connects with the session cookie', async () => {
    const page = await signedIn(everyone);
    expect(await page.locator('#user-name').textContent()).toBe('Vera Växel');
    expect(await page.locator('#role-badge').textContent()).toBe('Reception, Analytiker, Administratör');
    // Today's calls are counted (the hub saw them through the webhooks): the ten seeded, and any an earlier test made.
    await h.settle();
    const today = (await h.api('/api/metrics/summary?from=2026-03-01T23:00:00Z&to=2026-03-02T23:00:00Z')).body.summary.calls;
    expect(today).toBeGreaterThanOrEqual(10);
    await page.waitForFunction("document.querySelector('[data-counter=\"calls\"]').textContent !== '–'");
    expect(Number(await page.locator('[data-counter="calls"]').textContent())).toBe(today);
    expect(await page.locator('#fallback-list li').count()).toBeGreaterThan(0);
    // Where each fallback sent the caller, by the name staff know (Växeln), never the flow's node id (operator).
    const flow = h.service.registry.get('vaxel')!;
    const routes = await page.locator('#fallback-list .fb-path .route').allTextContents();
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(Object.keys(flow.nodes)).not.toContain(route);
      expect(Object.keys(flow.nodes).map((id) => nodeLabel(flow, id))).toContain(route);
    }
  });

  test('calls made now appear live, move across the board and end', async () => {
    const page = await signedIn(everyone);
    const gated = new GatedCaller(h);
    const counterBefore = Number(await page.locator('[data-counter="calls"]').textContent());

    // A caller asking for the operator, held in the queue (while "Du står nu i kö till växeln." is said), then while talking.
    const operatorRing = gated.hold('Du står nu i kö till växeln.'.length * 60);
    const operatorTalk = gated.hold(55_555);
    const toOperator = gated.caller.call({ digits: ['0'], queue: takenAfter(8, 55_555), survey: ['5', '4', '1'] });
    await operatorRing.reached;
    const operatorSid = transferSeen[transferSeen.length - 1];
    const card = page.locator(`[data-lane="operator"] [data-call-sid="${operatorSid}"]`);
    await card.waitFor();
    expect(await card.locator('.sid').textContent()).toBe(`#${operatorSid.slice(-6).toUpperCase()}`);
    expect(Number(await page.locator('[data-counter="calls"]').textContent())).toBe(counterBefore + 1);

    // One in the menu, one ringing a person, one in the survey: the board as staff see it.
    const menuThink = gated.hold(4321);
    const inMenu = gated.caller.call({ digits: ['3'], thinkMs: 4321, dials: [{ answer: true }], survey: [] });
    const personRing = gated.hold(6666);
    const toPerson = gated.caller.call({ digits: ['5', '4712'], dials: [{ answer: true, ringMs: 6666 }], survey: [] });
    const surveyThink = gated.hold(3333, 2);
    const inSurvey = gated.caller.call({ digits: ['1'], thinkMs: 3333, dials: [{ answer: true, ringMs: 3000, talkMs: 40_000 }], survey: ['4', '5', '1'] });
    await Promise.all([menuThink.reached, personRing.reached, surveyThink.reached]);
    operatorRing.release();
    await operatorTalk.reached;
    await page.locator(`[data-lane="talking"] [data-call-sid="${operatorSid}"]`).waitFor();
    await page.locator('[data-lane="menu"] .call').waitFor();
    await page.locator('[data-lane="ringing"] .call').waitFor();
    await page.locator('[data-lane="survey"] .call').waitFor();
    expect(await page.locator('[data-lane="ringing"] .call .what').textContent()).toBe('Anknytning 4712');
    // The caller thinking in the main menu: the card names the menu as the flow file labels it.
    expect(await page.locator('[data-lane="menu"] .call .what').textContent()).toBe('Huvudmeny');
    expect(await page.locator(`[data-lane="talking"] [data-call-sid="${operatorSid}"] .what`).textContent()).toBe('Växeln');
    expect(await page.locator('#active-count').textContent()).toBe('4');
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true, animations: 'disabled' });

    // No phone number, and no caller pseudonym, anywhere on the page.
    const html = await page.content();
    expect(html).not.toMatch(/\+46\d{6,}/);
    await h.settle();
    const journey = (await h.api(`/api/calls/${operatorSid}`)).body;
    expect(journey.caller).toMatch(/^k1:/);
    expect(html).not.toContain(journey.caller);

    for (const hold of [operatorTalk, menuThink, personRing, surveyThink]) hold.release();
    await Promise.all([toOperator, inMenu, toPerson, inSurvey]);
    await page.locator(`#ended-list .ended:has-text("#${operatorSid.slice(-6).toUpperCase()}")`).waitFor();
    await page.waitForFunction("document.querySelectorAll('.board .call').length === 0");
    expect(Number(await page.locator('[data-counter="calls"]').textContent())).toBe(counterBefore + 4);
  });

  test('the page reconnects by itself when the socket drops', async () => {
    const page = await signedIn(everyone);
    const clients = h.service.live.clientCount;
    expect(clients).toBeGreaterThan(0);
    // Drop every server-side socket, as a network failure or a restart would.
    const hub = h.service.live as any;
    for (const c of hub.clients) c.ws.terminate();
    await page.locator('#conn[data-state="reconnecting"]').waitFor();
    await page.locator('#conn[data-state="live"]').waitFor();
    const trace = await h.caller.call({ digits: ['0'], queue: { hangUpAfterSec: 3 } });
    await page.locator(`#ended-list .ended:has-text("#${trace.callSid.slice(-6).toUpperCase()}")`).waitFor();
  });

  test('the metrics charts render the seeded calls, with the figures the API gives', async () => {
    const page = await signedIn(everyone);
    await page.click('.tab[data-tab="metrics"]');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    // The default range: the 30 days up to the server's today (2 March 2026, Swedish time).
    const range = 'from=2026-01-31T23:00:00.000Z&to=2026-03-02T23:00:00.000Z';
    const [summary, skr, waits, trend] = await Promise.all([
      h.api(`/api/metrics/summary?${range}&flow=vaxel`),
      h.api(`/api/metrics/skr?${range}&flow=vaxel`),
      h.api(`/api/dashboard/wait-histogram?${range}&flow=vaxel`),
      h.api(`/api/dashboard/trend?${range}&flow=vaxel`),
    ]);
    expect(summary.body.summary.calls).toBeGreaterThan(200);
    const charts: Record<string, { canvas: boolean; animation: boolean; series: { type: string; data: unknown[]; links?: unknown[] }[]; noData: boolean }> = await page.evaluate(`(() => {
      const out = {};
      for (const id of ['chart-index', 'chart-tto', 'chart-trend', 'chart-sankey']) {
        const el = document.getElementById(id);
        const o = echarts.getInstanceByDom(el).getOption();
        out[id] = {
          canvas: !!el.querySelector('canvas') && el.querySelector('canvas').width > 100,
          series: o.series.map((s) => ({ type: s.type, data: s.data || [], links: s.links })),
          noData: (o.graphic || []).some((g) => (g.elements || [g]).some((e) => e.type === 'text')),
          animation: o.animation,
        };
      }
      return out;
    })()`);
    for (const [id, c] of Object.entries(charts)) {
      // The browser asks for reduced motion (see browser.ts): no chart animates.
      expect({ id, canvas: c.canvas, noData: c.noData, animation: c.animation }).toEqual({ id, canvas: true, noData: false, animation: false });
    }
    const ours = charts['chart-index'].series[0].data;
    expect(ours).toEqual([skr.body.skr.overall.bemotande.index, skr.body.skr.overall.enkelhet.index]);
    expect(charts['chart-index'].series.slice(1).map((s) => s.data)).toEqual([
      [82.1, 73.5],
      [84.9, 77.1],
    ]);
    const binned = charts['chart-tto'].series[0].data as number[];
    expect(binned).toEqual(waits.body.bins.map((b: { count: number }) => b.count));
    expect(binned.reduce((a, b) => a + b, 0)).toBe(summary.body.summary.timeToOperatorMs.count);
    // Weeks without calls at the edges (the range starts on a Sunday) are left out of the picture.
    const weekly = trend.body.weeks.map((w: { calls: number }) => w.calls) as number[];
    while (weekly[0] === 0) weekly.shift();
    while (weekly[weekly.length - 1] === 0) weekly.pop();
    expect(charts['chart-trend'].series[0].data).toEqual(weekly);
    const sankey = charts['chart-sankey'].series[0];
    expect(sankey.type).toBe('sankey');
    expect(sankey.data.length).toBeGreaterThanOrEqual(4);
    const occurrences = summary.body.summary.fallback.occurrences;
    const firstHop = (sankey.links as { source: string; value: number }[]).filter((l) => l.source.startsWith('from:')).reduce((a, l) => a + l.value, 0);
    expect(firstHop).toBe(occurrences);
    expect(await page.locator('#fallback-table tbody tr').count()).toBeGreaterThan(1);
    // Fallbacks are placed by the names staff know: the person search, not "person".
    const places = await page.locator('#fallback-table tbody td:first-child').allTextContents();
    expect(places).toContain('Sök person (anknytning)');
    expect(places).not.toContain('person');
    expect((sankey.data as { title?: string }[]).some((n) => n.title?.startsWith('Sök person (anknytning) · '))).toBe(true);
    expect(await page.locator('#metrics-kpis .kpi').first().locator('.kpi-value').textContent()).toBe(String(summary.body.summary.calls));

    // SKR's breakdown by case category on the page, with the share who got an answer beside KKiK's national 53 %.
    const categories = skr.body.skr.byCategory as { label: string; key: string | null; calls: number; gotAnswer: { share: number | null } }[];
    expect(categories.length).toBeGreaterThan(1);
    const categoryRows = await page.locator('#skr-category-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(categoryRows.map((r) => r[0])).toEqual([...categories.map((c) => (c.key === null ? 'Ingen kategori' : c.label)), 'Alla samtal']);
    expect(categoryRows.map((r) => r[1])).toEqual([...categories.map((c) => String(c.calls)), String(skr.body.skr.overall.calls)]);
    const overallShare = skr.body.skr.overall.gotAnswer.share as number;
    expect(categoryRows[categoryRows.length - 1][4]).toMatch(new RegExp(`^${Math.round(overallShare * 100)}\\s?% \\(av `));
    expect(await page.locator('#skr-categories-help').textContent()).toMatch(/fick 53\s% av de som ringde ett direkt svar på en enkel fråga i KKiK:s mätning 2018/);
    await page.screenshot({ path: artifactPath('dashboard-metrics.png'), fullPage: true });

    // The export goes with the session cookie and holds no phone number.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-button')]);
    expect(download.suggestedFilename()).toMatch(/^callpath-calls.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').filter(Boolean).length).toBe(summary.body.summary.calls + 1);
    expect(csv).not.toMatch(/\+46\d{6,}/);
  });

  test('the calls nobody helped are their own row, first in the fallback table; fallbacks are ranked by total time lost', async () => {
    const page = await signedIn(everyone);
    await page.click('.tab[data-tab="metrics"]');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    const range = 'from=2026-01-31T23:00:00.000Z&to=2026-03-02T23:00:00.000Z&flow=vaxel';
    const { noHelp, fallbacks } = (await h.api(`/api/metrics/fallbacks?by=route&${range}`)).body;
    // The three callers no operator took: the queue's longest wait (300 s) each, then the goodbye.
    expect(noHelp.byOutcome.self_service).toBe(3);
    expect(noHelp.ringTotalMs).toBeGreaterThanOrEqual(3 * 300_000);
    expect(noHelp.calls.count).toBeGreaterThan(3);
    const row = page.locator('#fallback-table tbody tr').first();
    expect(await row.getAttribute('data-row')).toBe('noHelp');
    expect(await row.locator('th').textContent()).toBe('Fick ingen hjälp');
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain('fick ett meddelande och samtalet avslutades');
    expect(cells[1]).toBe(String(noHelp.calls.count));
    expect(await page.locator('#metrics-kpis [data-kpi="noHelp"] .kpi-sub').textContent()).toContain(`${noHelp.calls.count} samtal`);
    // The fallback rows follow in the API's order, most time lost first; the queue's includes its 300 s of waiting.
    expect(fallbacks.map((f: { lostTotalMs: number }) => f.lostTotalMs)).toEqual([...fallbacks.map((f: { lostTotalMs: number }) => f.lostTotalMs)].sort((a, b) => b - a));
    const counts = await page.locator('#fallback-table tbody tr:not(.no-help) td:nth-child(5)').allTextContents();
    expect(counts).toEqual(fallbacks.map((f: { occurrences: number }) => String(f.occurrences)));
    const away = fallbacks.find((f: { nodeId: string; route: string }) => f.nodeId === 'operator' && f.route === 'operator_closed');
    expect(away.reason).toBe('max-wait');
    expect(away.lostMs.median).toBeGreaterThanOrEqual(300_000);
  });

  test('every figure leads to its calls and a call to its timeline; a call is found by its CallSid or by the time it began', async () => {
    const page = await signedIn(everyone);
    await page.click('.tab[data-tab="metrics"]');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    const range = 'from=2026-01-31T23:00:00.000Z&to=2026-03-02T23:00:00.000Z&flow=vaxel';
    const { noHelp, fallbacks } = (await h.api(`/api/metrics/fallbacks?by=route&${range}`)).body;
    const dialog = page.locator('#call-dialog');

    // The "fick ingen hjälp" count opens the calls it counts.
    await page.click('#fallback-table tr.no-help button[data-figure="noHelp"]');
    await dialog.locator('.call-list').waitFor();
    expect(await dialog.locator('.dialog-title').textContent()).toBe('Fick ingen hjälp');
    expect(await dialog.locator('.call-list tbody tr').count()).toBe(noHelp.calls.count);
    const endings = await dialog.locator('.call-list tbody td:nth-child(5)').allTextContents();
    expect(endings.filter((e) => e === 'fick ett meddelande och samtalet avslutades')).toHaveLength(3);

    // A call opens its timeline: the path and each event, by the flow's labels and in words.
    const away = dialog.locator('.call-list tbody tr', { hasText: 'fick ett meddelande och samtalet avslutades' }).first();
    const sid = await away.locator('button').getAttribute('data-call-sid');
    await away.locator('button').click();
    await dialog.locator('.timeline').waitFor();
    expect(await dialog.locator('.dialog-title').textContent()).toBe(`Samtal #${sid!.slice(-6).toUpperCase()}`);
    const events = await dialog.locator('.timeline li span').allTextContents();
    expect(events).toEqual(
      expect.arrayContaining([
        'Samtalet började',
        'Kom till Huvudmeny',
        'Tryckte 0',
        'Kom till Kö till växeln',
        'Ställde sig i kö till Växeln',
        'Nummer 1 i kön',
        'Togs ur kön efter längsta tillåtna väntetid',
        'Återfall (Väntade för länge i kön): skickades till Växeln upptagen',
        'Systemet avslutade samtalet',
      ]),
    );
    const times = await dialog.locator('.timeline li time').allTextContents();
    expect(times[0]).toBe('0:00');
    // The queue kept the caller its longest wait: taken out five minutes after joining.
    const joined = events.indexOf('Ställde sig i kö till Växeln');
    const toSeconds = (c: string) => c.split(':').reduce((s, p) => s * 60 + Number(p), 0);
    expect(toSeconds(times[events.indexOf('Togs ur kön efter längsta tillåtna väntetid')]) - toSeconds(times[joined])).toBeGreaterThanOrEqual(300);
    expect(await dialog.locator('.call-facts dd').nth(3).textContent()).toContain('Huvudmeny → Kö till växeln → Växeln upptagen');
    await page.screenshot({ path: artifactPath('dashboard-call.png') });
    await dialog.locator('button', { hasText: 'Tillbaka till listan' }).click();
    await dialog.locator('.call-list').waitFor();
    await dialog.locator('.dialog-close').click();
    expect(await dialog.isVisible()).toBe(false);

    // A fallback row's count opens its calls: as many as the row's calls.
    const row = fallbacks[0];
    await page.click(`#fallback-table button[data-figure="fallback:${row.nodeId}|${row.target}|${row.reason}|${row.route}"]`);
    await dialog.locator('.call-list').waitFor();
    expect(await dialog.locator('.call-list tbody tr').count()).toBe(row.calls);
    await dialog.locator('.dialog-close').click();

    // Search by CallSid, as typed (upper case, spaces around).
    await page.fill('#call-sid', `  CA${sid!.slice(2).toUpperCase()} `);
    await page.click('#call-search button[type="submit"]');
    await dialog.locator('.timeline').waitFor();
    expect(await dialog.locator('.dialog-title').textContent()).toBe(`Samtal #${sid!.slice(-6).toUpperCase()}`);
    await dialog.locator('.dialog-close').click();
    await page.fill('#call-sid', 'CA123');
    await page.click('#call-search button[type="submit"]');
    expect(await dialog.locator('.error').textContent()).toContain('CA följt av 32 tecken');
    await dialog.locator('.dialog-close').click();

    // Search by the time a caller says they rang, on the live board: the calls begun five minutes
    // either side of that Swedish wall-clock time, this call among them.
    const startedAt = Date.parse(((await h.api(`/api/calls/${sid}`)).body as { startedAt: string }).startedAt);
    const wall = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(startedAt);
    const part = (type: string) => wall.find((p) => p.type === type)!.value;
    await page.click('#tab-live');
    await page.fill('#live-call-date', `${part('year')}-${part('month')}-${part('day')}`);
    await page.fill('#live-call-time', `${part('hour')}:${part('minute')}`);
    await page.click('#live-time-search button[type="submit"]');
    await dialog.locator('.call-list').waitFor();
    expect(await dialog.locator('.dialog-title').textContent()).toMatch(new RegExp(`^Samtal som började .*${part('hour')}:${part('minute')}, fem minuter före och efter$`));
    await dialog.locator(`.call-list button[data-call-sid="${sid}"]`).waitFor();
    const listed = await dialog.locator('.call-list tbody td:first-child').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    await dialog.locator('.dialog-close').click();
  });

  test('in Swedish the pages name steps by their labels, in Swedish words, numbers and durations', async () => {
    const page = await signedIn(everyone);
    const flow = h.service.registry.get('vaxel')!;
    // Node ids that are not Swedish words too ("skola", "person" are), and the flow file's schema words.
    const ids = Object.keys(flow.nodes).filter((id) => !/^(skola|omsorg|bygglov|vatten|person)$/.test(id));
    expect(ids).toEqual(expect.arrayContaining(['main', 'welcome', 'person_unavailable', 'operator', 'operator_closed', 'language']));
    // The queue's id and its schema words too: reception knows it as "Växeln" and "Kö till växeln".
    const forbidden = new RegExp(`\\b(${[...ids, 'vaxeln', 'menu', 'transfer', 'directory', 'hangup', 'message', 'queue', 'no-answer', 'busy', 'failed', 'max-wait', 'queue-full'].join('|')})\\b`);
    const expectSwedishWords = (where: string, texts: string[]) => {
      for (const text of texts) {
        expect({ where, text, id: forbidden.exec(text)?.[0] ?? null }).toEqual({ where, text, id: null });
        expect({ where, text }).not.toEqual({ where, text: expect.stringMatching(/Avslutat av menyn/i) });
      }
    };

    await page.click('.tab[data-tab="metrics"]');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    const metrics: { text: string; sankey: string[]; bins: string[]; weeks: string[]; axis: string; tooltip: string } = await page.evaluate(`(() => {
      const opt = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption();
      const tto = opt('chart-tto');
      return {
        text: document.getElementById('view-metrics').innerText,
        sankey: opt('chart-sankey').series[0].data.map((n) => n.title),
        bins: tto.xAxis[0].data,
        weeks: opt('chart-trend').xAxis[0].data,
        axis: tto.yAxis[0].axisLabel.formatter(1000),
        tooltip: tto.tooltip[0].valueFormatter(12345),
      };
    })()`);
    expectSwedishWords('metrics tab', [metrics.text]);
    expectSwedishWords('sankey', metrics.sankey);
    expect(metrics.sankey).toContain('Avslutades med ett meddelande');
    // Numbers in Swedish: the group separator a (narrow) no-break space, on axes and in tooltips too.
    expect(metrics.axis).toMatch(/^1[\u00a0\u202f]000$/);
    expect(metrics.tooltip).toMatch(/^12[\u00a0\u202f]345$/);
    // Histogram buckets in Swedish units, each on one line.
    expect(metrics.bins.map((b) => b.replace(/[\u00a0\u202f\u2009]/g, ' '))).toEqual(['0–15 s', '15–30 s', '30–45 s', '45 s–1 min', '1–1,5 min', '1,5–2 min', '2–3 min', '3–5 min', 'över 5 min']);
    for (const b of metrics.bins) expect(b).not.toMatch(/ /);
    // Durations in the fallback table: "1 min 2 s" with no-break spaces, so a cell never breaks inside one.
    const durations = (await page.locator('#fallback-table tbody td:nth-child(6), #fallback-table tbody td:nth-child(7)').allTextContents()).filter((d) => d !== '–');
    expect(durations.length).toBeGreaterThan(5);
    for (const d of durations) expect(d).toMatch(/^\d+\u00a0(tim|min|s)(\u00a0\d+\u00a0(min|s))?$/);
    expect(durations.some((d) => /min\u00a0\d+\u00a0s$/.test(d))).toBe(true);
    // The range ends on Monday 2 March: its last week is partial and says so; whole weeks do not.
    expect(metrics.weeks[metrics.weeks.length - 1]).toBe('v.\u00a010\u00a0(del)');
    for (const w of metrics.weeks.slice(0, -1)) expect(w).toMatch(/^v\.\u00a0\d+$/);

    await page.click('.tab[data-tab="menus"]');
    await page.locator('#view-menus[data-state="ready"]').waitFor();
    const menus: { text: string; bars: string[]; boxes: string[]; arrows: string[] } = await page.evaluate(`(() => {
      const opt = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption();
      const flow = opt('chart-flow').series[0];
      return {
        text: document.getElementById('view-menus').innerText,
        bars: opt('chart-nodes').yAxis[0].data,
        boxes: flow.data.map((d) => d.label.formatter),
        arrows: flow.links.map((l) => l.label.formatter || ''),
      };
    })()`);
    expectSwedishWords('menus tab', [menus.text]);
    expectSwedishWords('step bars', menus.bars);
    expectSwedishWords('flow picture', [...menus.boxes, ...menus.arrows]);
    expect(menus.boxes.some((b) => b.includes('Huvudmeny'))).toBe(true);
    expect(menus.boxes.some((b) => b.includes('ringer Förskola och skola i 25'))).toBe(true);
    expect(menus.boxes.some((b) => b.includes('i kö till Växeln, högst 300'))).toBe(true);
    expect(menus.arrows).toContain('0 (växeln)');
    expect(await page.locator('#node-table tbody td:nth-child(2)').allTextContents()).toEqual(expect.arrayContaining(['Meny', 'Koppling', 'Sök person']));

    await page.click('.tab[data-tab="live"]');
    expectSwedishWords('live tab', [await page.locator('#view-live').innerText()]);
  });

  test('the menus view shows each step, compares the two flow versions and draws the flow', async () => {
    const page = await signedIn(everyone);
    await page.click('.tab[data-tab="menus"]');
    await page.locator('#view-menus[data-state="ready"]').waitFor();
    const info: { nodes: number[]; compare: number; graph: number; links: number } = await page.evaluate(`(() => {
      const get = (id) => echarts.getInstanceByDom(document.getElementById(id)).getOption().series[0];
      return { nodes: get('chart-nodes').data, compare: get('chart-compare').data.length, graph: get('chart-flow').data.length, links: get('chart-flow').links.length };
    })()`);
    expect(Math.max(...info.nodes)).toBeGreaterThan(100);
    expect(info.compare).toBeGreaterThan(3);
    expect(info.graph).toBeGreaterThan(8);
    expect(info.links).toBeGreaterThan(info.graph - 2);
    const versions = await page.locator('#compare-pickers select[name="a"] option').count();
    expect(versions).toBe(2);
    expect(await page.locator('#compare-table tbody tr').count()).toBeGreaterThan(3);
    // The flow change (no answer → straight to the operator) shortened the time lost after a fallback.
    const lostRow = page.locator('#compare-table tbody tr').filter({ has: page.locator('td:first-child', { hasText: /^Förlorad tid per återfall, median$/ }) });
    expect(await lostRow.locator('td span').getAttribute('class')).toBe('up');
    expect(await lostRow.locator('td span').textContent()).toMatch(/^−\d+\u00a0s \(−[\d,]+\u00a0%\)$/);
    // Steps go by the names staff know (the flow's label, the department rung); the node id only as a tooltip.
    const mainRow = page.locator('#node-table tbody tr').filter({ has: page.locator('td:first-child', { hasText: 'Huvudmeny' }) });
    expect(await mainRow.locator('td:first-child').textContent()).toBe('Huvudmeny');
    expect(await mainRow.locator('td:first-child span').getAttribute('title')).toBe('Id i flödesfilen: main');
    expect(await page.locator('#node-table tbody td:first-child', { hasText: 'Förskola och skola' }).count()).toBe(1);
    const barNames: string[] = await page.evaluate(`echarts.getInstanceByDom(document.getElementById('chart-nodes')).getOption().yAxis[0].data`);
    expect(barNames).toContain('Huvudmeny');
    expect(await page.locator('#reload-flows').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('dashboard-menus.png'), fullPage: true });
  });

  test('the monthly report renders the chosen month for printing, as SVG, with last month beside it', async () => {
    // The report opened on its own, by someone signed in: the session cookie is all it needs.
    await useSession(browser.context, h, await freshSession(h, reader));
    const { page: report } = await openTab();
    await report.goto(h.baseUrl + '/report');
    await report.locator('#report[data-state="ready"]').waitFor();
    // The default month is the last complete one before the server's today (2 March 2026).
    expect(await report.inputValue('input[name="month"]')).toBe('2026-02');
    expect(await report.locator('#report-month').textContent()).toBe('februari 2026');
    expect(new URL(report.url()).searchParams.get('month')).toBe('2026-02');
    const feb = (await h.api('/api/metrics/summary?from=2026-01-31T23:00:00.000Z&to=2026-02-28T23:00:00.000Z&flow=vaxel')).body.summary;
    const jan = (await h.api('/api/metrics/summary?from=2025-12-31T23:00:00.000Z&to=2026-01-31T23:00:00.000Z&flow=vaxel')).body.summary;
    const callsRow = report.locator('#report-figures tbody tr').first().locator('td');
    expect(await callsRow.allTextContents()).toEqual(['Samtal', String(feb.calls), String(jan.calls), `+${feb.calls - jan.calls}`]);
    for (const id of ['r-chart-index', 'r-chart-tto', 'r-chart-trend', 'r-chart-sankey']) {
      expect(await report.locator(`#${id} svg path`).count()).toBeGreaterThan(5);
    }
    await report.screenshot({ path: artifactPath('report.png'), fullPage: true });
    await report.emulateMedia({ media: 'print' });
    expect(await report.locator('.topbar').isHidden()).toBe(true);
    const file = artifactPath('report.pdf');
    await report.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    // The PDF as a reader gets it: A4 pages, none blank, and the figures in its text.
    const pages = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'pdf-text.mjs'), file], { encoding: 'utf8' })) as { text: string; width: number; height: number }[];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(6);
    for (const p of pages) {
      // A4 is 595 × 842 points.
      expect([Math.round(p.width), Math.round(p.height)]).toEqual([595, 842]);
      expect(p.text.replace(/\s+/g, '').length).toBeGreaterThan(40);
    }
    const all = pages.map((p) => p.text).join(' ').replace(/\s+/g, ' ');
    expect(all).toContain('februari 2026');
    expect(all).toContain(`Samtal ${feb.calls} ${jan.calls}`);
  });

  test('the report link keeps the session: the report opens signed in, without asking to sign in again', async () => {
    const page = await signedIn(reader);
    await page.click('#report-link');
    await page.locator('#report[data-state="ready"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/report');
    expect(await page.locator('#report-access').isHidden()).toBe(true);
    expect(await page.locator('#report-month').textContent()).toBe('februari 2026');
  });

  test('a user without the admin role: admin controls and views hidden', async () => {
    const staff = await signedIn(reader);
    expect(await staff.locator('#role-badge').textContent()).toBe('Reception, Analytiker');
    for (const tab of ['users', 'audit']) expect(await staff.locator(`#tab-${tab}`).isHidden()).toBe(true);
    await staff.click('.tab[data-tab="menus"]');
    await staff.locator('#view-menus[data-state="ready"]').waitFor();
    expect(await staff.locator('[data-role="admin"]').count()).toBeGreaterThan(0);
    for (const el of await staff.locator('[data-role="admin"]').all()) expect(await el.isHidden()).toBe(true);
    // Hidden is not the protection: the API refuses the user's session, anti-forgery token and all.
    const status = await staff.evaluate(`fetch('/api/session').then((r) => r.json()).then((s) => fetch('/api/admin/flows/reload', { method: 'POST', headers: { 'x-csrf-token': s.csrfToken } })).then((r) => r.status)`);
    expect(status).toBe(403);
    // The browser logs that refused request as a failed load: expected here, and only that.
    const tab = tabs.of(staff);
    expect(tab.errors).toEqual([expect.stringContaining('403 (Forbidden)')]);
    tab.errors.length = 0;
  });

  test('English is one click away and stays chosen', async () => {
    const page = await signedIn(everyone);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await page.click('[data-lang="en"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#live-title').textContent()).toBe('Calls right now');
    await page.reload();
    await page.locator('#conn[data-state="live"]').waitFor();
    expect(await page.locator('[data-lane="operator"] h2 span').first().textContent()).toBe('Waiting for the operator');
    await page.click('[data-lang="sv"]');
    expect(await page.locator('#live-title').textContent()).toBe('Samtal just nu');
  });

  test('in English too the pages show no node ids or flow-file words', async () => {
    const page = await signedIn(everyone);
    await page.click('[data-lang="en"]');
    // Ids a flow author writes, and schema tokens that are no English prose ("no-answer", "max-wait").
    const forbidden = /\b(welcome|person_unavailable|operator_closed|vaxeln|no-answer|max-wait|queue-full|onNoAnswer|targetKind)\b/;
    const texts: [string, string][] = [['live', await page.locator('#view-live').innerText()]];
    for (const tab of ['metrics', 'menus'] as const) {
      await page.click(`.tab[data-tab="${tab}"]`);
      await page.locator(`#view-${tab}[data-state="ready"]`).waitFor();
      texts.push([tab, await page.locator(`#view-${tab}`).innerText()]);
    }
    for (const [where, text] of texts) expect({ where, id: forbidden.exec(text)?.[0] ?? null }).toEqual({ where, id: null });
    expect(texts[1][1]).toContain('Time lost');
    await page.click('[data-lang="sv"]');
  });

  test('a line above the views says when the statistics are behind the calls, and goes once they are stored', async () => {
    // The service's own /healthz while deliveries fail (test/reliability/store-faults.test.ts makes that
    // happen), here given to the page as such: 1 234 events waiting since 10:42 Swedish time.
    const real = (await h.api('/healthz')).body;
    const failing = { ...real, status: 'degraded', delivery: 'failing since 2026-03-02T09:42:00.000Z: ENOSPC', outbox: { ...real.outbox, pending: 1234, consecutiveFailures: 3, failingSince: '2026-03-02T09:42:00.000Z' } };
    const page = await signedIn(everyone);
    await page.route('**/healthz', (route) => route.fulfill({ json: failing }));
    const banner = page.locator('#health-banner');
    await page.click('.tab[data-tab="metrics"]');
    await banner.waitFor({ state: 'visible' });
    await page.screenshot({ path: artifactPath('dashboard-behind.png'), clip: { x: 0, y: 0, width: 1600, height: 360 } });
    expect(await banner.textContent()).toMatch(/^Statistiken kan sakna de senaste samtalen: 1\s234 händelser väntar på att sparas \(leveranserna misslyckas sedan 10:42\)\. Samtalen besvaras som vanligt/);
    await page.click('[data-lang="en"]');
    expect(await banner.textContent()).toMatch(/^The statistics may lack the latest calls: 1,234 events are waiting to be stored \(deliveries failing since 10:42\)/);
    await page.click('[data-lang="sv"]');
    await page.unroute('**/healthz');
    await page.click('.tab[data-tab="live"]');
    await banner.waitFor({ state: 'hidden' });
  });
});
