import type { Page } from 'playwright-core';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, staffSession, type StaffSession } from '../helpers/staff';
import type { Role } from '../../src/identity/model';
import { expectNoSeriousViolations } from './axe';
import { artifactPath, launchChromium, useSession, WatchedTabs } from './browser';

jest.setTimeout(240_000);

/** The demo flow's directory (ivr-flows/vaxel.yaml): Sara does not answer, and the caller asks to be called back (4, then 1: their own number). */
const SARA = { ext: '4713', name: 'Sara Holm' };
const ERIK = { ext: '4714', name: 'Erik Nyström' };
const FIRST = '+46705550001';
const SECOND = '+46705550002';

/**
 * Återuppringningar (reception's callback inbox) and the callbacks' figures under Statistik, in
 * Chromium against a real service, the callbacks seeded by the virtual caller on the demo flow. The
 * harness clock starts on Monday 2 March 2026, 09:00 in Stockholm; the demo promises four working hours.
 */
describe('the callback inbox and its figures in the dashboard, in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const tabs = new WatchedTabs(() => h.baseUrl);
  let made = 0;

  async function openAs(roles: Role[], lang: 'sv' | 'en' = 'sv', name = 'Rita Reception'): Promise<{ page: Page; staff: StaffSession }> {
    const staff = await staffSession(h, `aterring${++made}@exempelstad.se`, roles, name);
    await useSession(browser.context, h, staff);
    const { page } = await tabs.open(browser.context);
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(h.baseUrl + '/');
    await page.locator('main:not([hidden])').waitFor();
    return { page, staff };
  }

  const clean = (s: string) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  const text = (page: Page, sel: string) => page.locator(sel).innerText().then(clean);
  /** The inbox's rows: their ids, in order, once the view has loaded. */
  async function rows(page: Page): Promise<string[]> {
    await page.locator('#view-callbacks[data-state="ready"]').waitFor();
    return page.locator('#callbacks-table tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id') ?? ''));
  }
  /** Waits until the inbox shows these rows (the page's CSP refuses the eval of a polled string). */
  async function untilRows(page: Page, ids: string[]): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await page.locator('#view-callbacks').getAttribute('data-state')) === 'ready' && JSON.stringify(await rows(page)) === JSON.stringify(ids)) return;
      await page.waitForTimeout(50);
    }
    expect(await rows(page)).toEqual(ids);
  }
  const cell = (page: Page, id: string, n: number) => text(page, `#callbacks-table tr[data-id="${id}"] > td:nth-child(${n})`);
  async function filter(page: Page, state: string): Promise<void> {
    await page.selectOption('#callbacks-filter select[name="state"]', state);
    await page.locator('#view-callbacks[data-state="ready"]').waitFor();
  }

  const ids: { first?: string; second?: string } = {};

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
    // A colleague to assign to.
    await staffSession(h, 'karin.kollega@exempelstad.se', ['reception'], 'Karin Kollega');
    const first = await h.caller.call({ from: FIRST, digits: ['5', SARA.ext, '4', '1'], dials: [{ answer: false, status: 'no-answer' }] });
    expect(first.said).toContain('Vi ringer upp dig senast i dag före klockan 13.');
    const second = await h.caller.call({ from: SECOND, digits: ['5', ERIK.ext, '4', '1'], dials: [{ answer: false, status: 'no-answer' }] });
    await h.settle();
    const list = await request(h, 'GET', '/api/callbacks?state=open', API_TOKEN);
    ids.first = list.body.callbacks.find((c: { callSid: string }) => c.callSid === first.callSid).id;
    ids.second = list.body.callbacks.find((c: { callSid: string }) => c.callSid === second.callSid).id;
  });

  afterEach(async () => {
    expect(await tabs.closeAll()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('reception sees the inbox, oldest first; assigns, takes, shows the number (on the audit trail), marks a try with a note, then done; the filters move it', async () => {
    const { page } = await openAs(['reception']);
    // The tab's count: two waiting, none overdue yet.
    await page.locator('#callbacks-badge:not([hidden])').waitFor();
    expect(await text(page, '#callbacks-badge')).toBe('2');
    await page.click('#tab-callbacks');
    await untilRows(page, [ids.first!, ids.second!]);
    const id = ids.first!;
    expect(await cell(page, id, 2)).toBe(`${SARA.name} Tryckte 5, ${SARA.ext}, 4`);
    expect(await cell(page, id, 4)).toBe('senast i dag 13:00');
    expect(await cell(page, id, 5)).toBe('Ingen');
    expect(await cell(page, id, 6)).toBe('0');
    expect(await cell(page, id, 7)).toContain('070-… 00 01');
    expect(await page.locator('#callbacks-table thead th').allInnerTexts()).toEqual(['Ringde', 'Sökte', 'Har väntat', 'Löfte', 'Tilldelad', 'Försök', 'Nummer', 'Åtgärder', 'Historik']);
    const row = `#callbacks-table tr[data-id="${id}"]`;

    // To a named colleague, then taken.
    await page.selectOption(`${row} select[data-action="assign"]`, 'karin.kollega@exempelstad.se');
    await page.locator('#callbacks-status:text("tilldelad Karin Kollega")').waitFor();
    expect(await cell(page, id, 5)).toBe('Karin Kollega');
    await page.click(`${row} [data-action="take"]`);
    await page.locator('#callbacks-status:text("Du har tagit")').waitFor();
    expect(await cell(page, id, 5)).toBe('Rita Reception');
    expect(await page.locator(`${row} [data-action="take"]`).count()).toBe(0);

    // The number, on request: a tel: link in Swedish format, and the read on the audit trail.
    await page.click(`${row} [data-action="number"]`);
    const link = page.locator(`${row} a.callback-number`);
    await link.waitFor();
    expect(await link.innerText()).toBe('070-555 00 01');
    expect(await link.getAttribute('href')).toBe(`tel:${FIRST}`);
    const trail = await request(h, 'GET', '/api/audit?order=oldest', API_TOKEN);
    expect(trail.body.records.filter((r: { action: string; object: string | null }) => r.action === 'callback.number.read').length).toBe(1);
    expect(await page.evaluate('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })')).not.toContain('5550001');

    // Nobody answered: a try with a note, in the history.
    await page.click(`${row} [data-action="tried"]`);
    await page.locator('#callback-tried-dialog[open]').waitFor();
    await page.fill('#callback-tried-note', 'Lämnade meddelande');
    await page.click('#callback-tried-dialog button[type="submit"]');
    await page.locator('#callbacks-status:text("Försöket är sparat")').waitFor();
    expect(await cell(page, id, 6)).toBe('1');
    await page.click(`${row} details.callback-history summary`);
    const history = await page.locator(`${row} details.callback-history tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(1).map((c) => (c.textContent ?? '').trim())));
    expect(history).toEqual([
      ['Tilldelad Karin Kollega', 'Rita Reception', ''],
      ['Tilldelad Rita Reception', 'Rita Reception', ''],
      ['Ingen svarade', 'Rita Reception', 'Lämnade meddelande'],
    ]);
    await page.screenshot({ path: artifactPath('callbacks-inbox.png'), fullPage: true });

    // Done: gone from the open ones, among the done ones.
    await page.click(`${row} [data-action="done"]`);
    await page.locator('#callbacks-status:text("klar")').waitFor();
    await untilRows(page, [ids.second!]);
    expect(await text(page, '#callbacks-badge')).toBe('1');
    await filter(page, 'done');
    await untilRows(page, [id]);
    expect(await cell(page, id, 4)).toMatch(/^Klar /);
    expect(await page.locator(`#callbacks-table tr[data-id="${id}"] [data-action]`).count()).toBe(0);
    await filter(page, 'expired');
    await untilRows(page, []);
    expect(await text(page, '#callbacks-table tbody')).toBe('Inga utgångna återuppringningar.');
    await filter(page, 'all');
    await untilRows(page, [id, ids.second!]);
    const actions = (await request(h, 'GET', '/api/audit?order=oldest', API_TOKEN)).body.records.map((r: { action: string }) => r.action);
    for (const a of ['callback.assigned', 'callback.tried', 'callback.done']) expect(actions).toContain(a);
  });

  test('past its promise a callback is overdue in words and colour, in the list and the tab count, and under the overdue filter', async () => {
    h.clock.advance(8 * 3_600_000);
    const { page } = await openAs(['reception']);
    await page.locator('#callbacks-badge:not([hidden])').waitFor();
    expect(await text(page, '#callbacks-badge')).toBe('1, 1 försenade');
    await page.click('#tab-callbacks');
    await untilRows(page, [ids.second!]);
    // The second caller rang a little after the first (the virtual calls move the clock on).
    expect(await cell(page, ids.second!, 4)).toMatch(/^Försenad: senast i dag 1[34]:00$/);
    expect(await page.locator(`#callbacks-table tr[data-id="${ids.second}"]`).getAttribute('class')).toContain('row-overdue');
    await filter(page, 'overdue');
    await untilRows(page, [ids.second!]);
  });

  test('an analyst has no inbox, but Statistik shows the callbacks figures in Swedish', async () => {
    const { page } = await openAs(['analyst'], 'sv', 'Alf Analys');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    await page.locator('#callback-stats:not([hidden])').waitFor();
    expect(await page.locator('#tab-callbacks').isHidden()).toBe(true);
    expect(await text(page, '#callback-stats h2')).toBe('Återuppringningar');
    expect(await text(page, '[data-kpi="callbackRequests"] .kpi-value')).toBe('2');
    expect(await text(page, '[data-kpi="callbackRequests"] .kpi-sub')).toBe('1 öppna, 1 försenade');
    expect(await text(page, '[data-kpi="callbackWithinPromise"] .kpi-value')).toBe('100 %');
    expect(await text(page, '[data-kpi="callbackWithinPromise"] .kpi-sub')).toBe('1 av 1 klara');
    expect(await text(page, '[data-kpi="callbackTime"] .kpi-value')).toMatch(/^\d+ (s|min|min \d+ s)$/);
    // One try that reached nobody, and the call that did: two calls for the one closed request.
    expect(await text(page, '[data-kpi="callbackTries"] .kpi-value')).toBe('2,0');
    expect(await text(page, '[data-kpi="callbackExpired"] .kpi-value')).toBe('0');
    await page.screenshot({ path: artifactPath('callbacks-stats.png'), fullPage: true });
  });

  for (const lang of ['sv', 'en'] as const) {
    test(`axe finds nothing serious in the inbox with a history open, nor in the figures (${lang})`, async () => {
      const { page } = await openAs(['reception', 'analyst'], lang);
      await page.click('#tab-callbacks');
      await filter(page, 'all');
      await untilRows(page, [ids.first!, ids.second!]);
      await page.click(`#callbacks-table tr[data-id="${ids.first}"] details.callback-history summary`);
      await page.locator(`#callbacks-table tr[data-id="${ids.first}"] details[open] tbody tr`).first().waitFor();
      await expectNoSeriousViolations(page, `${lang} callbacks inbox`);
      await page.click(`#callbacks-table tr[data-id="${ids.second}"] [data-action="tried"]`);
      await page.locator('#callback-tried-dialog[open]').waitFor();
      await expectNoSeriousViolations(page, `${lang} callbacks no-answer dialog`);
      await page.click('#callback-tried-dialog [data-action="cancel"]');
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await page.locator('#callback-stats:not([hidden])').waitFor();
      if (lang === 'en') expect(await text(page, '[data-kpi="callbackWithinPromise"] .kpi-value')).toBe('100%');
      await expectNoSeriousViolations(page, `${lang} callbacks figures`);
    });
  }
});
