import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness';
import { invitedStaff } from '../helpers/staff';
import { seriousViolations } from './axe';
import { artifactPath, launchChromium, signInNewStaff } from './browser';
import { seedCalls, weekdaysBetween } from './seed';
import { QUEUE_FLOWS, frozenQueueScene, seedQueueDays, type FrozenScene } from './queue-seed';

jest.setTimeout(240_000);

/**
 * The dashboard for everyone: axe-core on every page and tab, in Swedish and in English, with no
 * serious or critical violation; tabs that follow the WAI-ARIA pattern, keyboard included; every
 * chart with its data as a table.
 */
/**
 * What axe finds on each page and tab of a test, every chart's data table opened as a reader who
 * opens them sees them; the test fails at its end with all pages' findings at once, so one run
 * shows everything to fix.
 */
function collectViolations(): (page: Page, where: string) => Promise<void> {
  let found: { where: string; violations: Awaited<ReturnType<typeof seriousViolations>>['violations'] }[] = [];
  beforeEach(() => {
    found = [];
  });
  afterEach(() => {
    expect(found.filter((f) => f.violations.length)).toEqual([]);
  });
  return async (page, where) => {
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => (d.open = true))`);
    const { violations, passes } = await seriousViolations(page);
    found.push({ where, violations });
    expect(passes).toBeGreaterThan(10);
  };
}

describe('dashboard accessibility in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const pages: Page[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
    const days = weekdaysBetween('2026-02-02', '2026-03-02').map((date) => ({ date, calls: 8 }));
    days.push({ date: '2026-03-02', calls: 6 });
    await seedCalls(h, { days, switchVersionOn: '2026-02-16', operatorAway: { date: '2026-02-10', calls: 2 } });
  });

  afterAll(async () => {
    for (const p of pages) await p.close();
    await browser?.close();
    await h?.close();
  });

  async function open(path: string, lang: 'sv' | 'en'): Promise<Page> {
    const page = await browser.context.newPage();
    pages.push(page);
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(h.baseUrl + path);
    return page;
  }

  /** Signed in as a new user with every role (by the session cookie), the page loaded again. */
  async function signIn(page: Page): Promise<void> {
    await signInNewStaff(browser.context, h);
    await page.reload();
  }

  beforeEach(async () => {
    await browser.context.clearCookies();
  });

  const expectNoSeriousViolations = collectViolations();

  for (const lang of ['sv', 'en'] as const) {
    test(`no serious or critical violation on any page or tab (${lang})`, async () => {
      const page = await open('/', lang);
      await page.locator('#signin-form').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expectNoSeriousViolations(page, `${lang} sign-in`);
      // A wrong password's message, then the forced change of a temporary password, with its own message.
      const invited = await invitedStaff(h, `ny.${lang}@example.se`, ['reception'], 'Ny Användare');
      await page.fill('#signin-email', invited.email);
      await page.fill('#signin-password', 'fel-lösenord');
      await page.click('#signin-form button[type=submit]');
      await page.locator('#signin-error:not([hidden])').waitFor();
      await expectNoSeriousViolations(page, `${lang} sign-in refused`);
      await page.fill('#signin-password', invited.temporaryPassword);
      await page.click('#signin-form button[type=submit]');
      await page.locator('#password-form:not([hidden])').waitFor();
      await expectNoSeriousViolations(page, `${lang} password change`);
      await page.fill('#password-current', invited.temporaryPassword);
      await page.fill('#password-next', 'kort');
      await page.fill('#password-repeat', 'kort');
      await page.click('#password-form button[type=submit]');
      await page.locator('#password-error:not([hidden])').waitFor();
      // The rule that refused it, in the page's language (the server names it by a code).
      expect(await page.locator('#password-error').textContent()).toBe(lang === 'sv' ? 'Lösenordet måste ha minst 12 tecken.' : 'The password must have at least 12 characters.');
      await expectNoSeriousViolations(page, `${lang} password refused`);
      await signIn(page);
      await page.locator('#conn[data-state="live"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} live`);
      // Hänvisningar with a person's notice being set, and Kommentarer (none in this seed: the empty list).
      await page.click('#tab-notices');
      await page.locator('#view-notices[data-state="ready"]').waitFor();
      await page.locator('#notices-table button[data-action="edit"]').first().click();
      await page.locator('#notice-editor:not([hidden])').waitFor();
      await expectNoSeriousViolations(page, `${lang} notices`);
      await page.click('#tab-comments');
      await page.locator('#view-comments[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} comments`);
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} metrics`);
      // The calls behind a figure, then one call's timeline, in their dialog.
      await page.click('#fallback-table button[data-figure="noHelp"]');
      await page.locator('#call-dialog .call-list').waitFor();
      await expectNoSeriousViolations(page, `${lang} calls of a figure`);
      await page.locator('#call-dialog .call-list tbody button').first().click();
      await page.locator('#call-dialog .timeline').waitFor();
      await expectNoSeriousViolations(page, `${lang} call timeline`);
      await page.click('#call-dialog .dialog-close');
      await page.click('#tab-menus');
      await page.locator('#view-menus[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} menus`);
      // Användare: the list, an invitation's temporary password, one user's roles and keys with a new key.
      await page.click('#tab-users');
      await page.locator('#view-users[data-state="ready"]').waitFor();
      await page.fill('#invite-email', `inbjuden.${lang}@example.se`);
      await page.fill('#invite-name', 'Inbjuden Person');
      await page.check('#invite-form input[value="analyst"]');
      await page.click('#invite-form button[type=submit]');
      await page.locator('#invite-result .secret-value').waitFor();
      await page.click(`#users-table button[data-email="inbjuden.${lang}@example.se"]`);
      await page.locator('#user-detail .tokens-table').waitFor();
      await page.fill('#user-detail .tokens-form input[name="name"]', 'Skript');
      await page.click('#user-detail .tokens-form button[type=submit]');
      await page.locator('#user-detail .secret-value').waitFor();
      await expectNoSeriousViolations(page, `${lang} users`);
      await page.click('#tab-audit');
      await page.locator('#view-audit[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} audit trail`);
      await page.click('#tab-keys');
      await page.locator('#own-tokens .tokens-table').waitFor();
      await expectNoSeriousViolations(page, `${lang} own keys`);

      // The report in a tab of its own: the session cookie opens it.
      const report = await open('/report', lang);
      await report.locator('#report[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(report, `${lang} report`);
    });
  }

  test('the views are tabs with their panels, and the arrow keys, Home and End move between them', async () => {
    const page = await open('/', 'sv');
    await signIn(page);
    await page.locator('#conn[data-state="live"]').waitFor();
    const tabs = page.locator('[role="tablist"] [role="tab"]');
    // Every role: Just nu, Återuppringningar, Hänvisningar, Kommentarer, Statistik, Menyer, Användare, Logg, Mina API-nycklar.
    expect(await tabs.count()).toBe(9);
    for (const tab of await tabs.all()) {
      const panel = await tab.getAttribute('aria-controls');
      expect(await page.locator(`#${panel}`).getAttribute('role')).toBe('tabpanel');
      expect(await page.locator(`#${panel}`).getAttribute('aria-labelledby')).toBe(await tab.getAttribute('id'));
    }
    const state = () =>
      page.evaluate(`({
        focused: document.activeElement.id,
        selected: [...document.querySelectorAll('[role="tab"][aria-selected="true"]')].map((t) => t.id),
        inTabOrder: [...document.querySelectorAll('[role="tab"]')].filter((t) => t.tabIndex === 0).map((t) => t.id),
        shown: [...document.querySelectorAll('[role="tabpanel"]')].filter((p) => !p.hidden).map((p) => p.id),
      })`);
    const at = (name: string) => ({ focused: `tab-${name}`, selected: [`tab-${name}`], inTabOrder: [`tab-${name}`], shown: [`view-${name}`] });
    await page.focus('#tab-live');
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual(at('callbacks'));
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual(at('notices'));
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual(at('comments'));
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual(at('metrics'));
    await page.keyboard.press('End');
    expect(await state()).toEqual(at('keys'));
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual(at('live'));
    await page.keyboard.press('ArrowLeft');
    expect(await state()).toEqual(at('keys'));
    await page.keyboard.press('Home');
    expect(await state()).toEqual(at('live'));
    await page.keyboard.press('End');
    expect(await state()).toEqual(at('keys'));
    // Tab leaves the tab list for what follows, not for the next tab.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('report-link');
  });

  test('on a phone 390 px wide the navigation fits and no view scrolls sideways', async () => {
    const page = await open('/', 'sv');
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    await page.locator('#conn[data-state="live"]').waitFor();
    const layout = (): Promise<{ pageWidth: number; viewport: number; navItems: { id: string; inView: boolean }[]; wider: string[] }> =>
      page.evaluate(`(() => {
        const inView = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; };
        const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.table-wrap, .chart, .chart-flow'));
        return {
          pageWidth: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          navItems: [...document.querySelectorAll('.tabs [role="tab"], #report-link, .lang button, #sign-out')].map((el) => ({ id: el.id || el.textContent, inView: inView(el) })),
          wider: wide.slice(0, 5).map((el) => el.tagName + '.' + el.className + '#' + el.id),
        };
      })()`);
    for (const tab of ['live', 'callbacks', 'notices', 'comments', 'metrics', 'menus', 'users', 'audit', 'keys']) {
      await page.click(`#tab-${tab}`);
      if (tab === 'keys') await page.locator('#own-tokens .tokens-table').waitFor();
      else if (tab !== 'live') await page.locator(`#view-${tab}[data-state="ready"]`).waitFor();
      await page.screenshot({ path: artifactPath(`dashboard-phone-${tab}.png`), fullPage: tab === 'live' });
      const l = await layout();
      // Wide tables and charts scroll inside their own boxes; the page itself never does.
      expect({ tab, pageWidth: l.pageWidth, wider: l.wider }).toEqual({ tab, pageWidth: 390, wider: [] });
      expect(l.navItems.length).toBe(13); // nine tabs (every role), the report, SV, EN, sign out
      for (const item of l.navItems) expect({ tab, ...item }).toEqual({ tab, id: item.id, inView: true });
    }
  });

  test('every chart is an image named by its heading, with its data as a table beneath it', async () => {
    const page = await open('/', 'sv');
    await signIn(page);
    await page.locator('#conn[data-state="live"]').waitFor();
    for (const tab of ['metrics', 'menus']) {
      await page.click(`#tab-${tab}`);
      await page.locator(`#view-${tab}[data-state="ready"]`).waitFor();
      const charts: { id: string; role: string | null; label: string | null; rows: number; cells: string[][]; categories: number; series: number[][] }[] = await page.evaluate(`[...document.querySelectorAll('#view-${tab} .chart:not([hidden])')].map((el) => {
        const opt = echarts.getInstanceByDom(el).getOption();
        const s = opt.series[0];
        const category = [...(opt.xAxis || []), ...(opt.yAxis || [])].find((a) => a.type === 'category');
        const details = el.nextElementSibling;
        const rows = details && details.matches('details.chart-data') ? [...details.querySelectorAll('tbody tr')] : [];
        return {
          id: el.id,
          role: el.getAttribute('role'),
          label: el.getAttribute('aria-label'),
          rows: rows.length,
          cells: rows.map((r) => [...r.children].map((c) => c.textContent)),
          // A heatmap's table has one row per cell; a Sankey's one per link; the others one per category.
          categories: s.type === 'heatmap' ? s.data.length : s.type === 'sankey' || s.type === 'graph' ? s.links.length : category.data.length,
          series: opt.series.map((x) => (x.data || []).map((d) => (d && typeof d === 'object' ? d.value : d))),
        };
      })`);
      expect(charts.length).toBeGreaterThanOrEqual(tab === 'metrics' ? 4 : 2);
      for (const c of charts) {
        expect({ id: c.id, role: c.role }).toEqual({ id: c.id, role: 'img' });
        expect(c.label).toMatch(/^Diagram: .+\. Dess data finns som tabell under det\.$/);
        expect({ id: c.id, rows: c.rows }).toEqual({ id: c.id, rows: c.categories });
        expect(c.rows).toBeGreaterThan(1);
      }
      if (tab === 'metrics') {
        // The wait histogram's table: one row per bin, the chart's counts in it.
        const tto = charts.find((c) => c.id === 'chart-tto')!;
        expect(tto.cells.map((r) => r[0].replace(/\u00a0/g, ' '))).toContain('45 s–1 min');
        expect(tto.cells.map((r) => Number(r[1]))).toEqual(tto.series[0]);
      }
    }
  });
});

/**
 * The queue's panels appear only with queue calls: the live board with callers waiting, an operator
 * on a call and an alert; the queue figures and heatmap under Statistik; the report's queue section.
 */
describe('dashboard accessibility with a queue, in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let scene: FrozenScene;
  const pages: Page[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness({ env: { FLOWS_DIR: QUEUE_FLOWS, ALERT_QUEUE_LENGTH: '2' } });
    await seedQueueDays(h, ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27']);
    // Today: three callers waiting, Lena on a call, the queue over its length limit; time stands still.
    scene = frozenQueueScene(h);
    await scene.frozen;
  });

  afterAll(async () => {
    for (const p of pages) await p.close();
    scene?.release();
    await scene?.done;
    await browser?.close();
    await h?.close();
  });

  async function open(path: string, lang: 'sv' | 'en', width?: number): Promise<Page> {
    const page = await browser.context.newPage();
    pages.push(page);
    if (width) await page.setViewportSize({ width, height: 844 });
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await signInNewStaff(browser.context, h);
    await page.goto(h.baseUrl + path);
    return page;
  }

  const expectNoSeriousViolations = collectViolations();

  for (const lang of ['sv', 'en'] as const) {
    test(`no serious or critical violation on the queue panels, the alert, the queue figures and heatmap, and the report (${lang})`, async () => {
      const page = await open('/', lang);
      await page.locator('#conn[data-state="live"]').waitFor();
      await page.locator('.queue-board .waiting li[data-call-sid]').nth(2).waitFor();
      await page.locator('#live-alerts li').first().waitFor();
      await expectNoSeriousViolations(page, `${lang} live with a queue`);
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await page.locator('#queue-stats figure .chart[role="img"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} metrics with a queue`);

      const report = await open('/report?month=2026-02', lang);
      await report.locator('#report[data-state="ready"]').waitFor();
      await report.locator('#report-queues .report-queue').waitFor();
      await expectNoSeriousViolations(report, `${lang} report with a queue`);
    });
  }

  test('the heatmap is an image named by its heading, with one row of its table per cell', async () => {
    const page = await open('/', 'sv');
    await page.click('#tab-metrics');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    const heat: { role: string | null; label: string | null; cells: number; rows: number; rowHeaders: number } = await page.evaluate(`(() => {
      const el = document.querySelector('#queue-stats .chart');
      const details = el.nextElementSibling;
      return {
        role: el.getAttribute('role'),
        label: el.getAttribute('aria-label'),
        cells: echarts.getInstanceByDom(el).getOption().series[0].data.length,
        rows: details.querySelectorAll('tbody tr').length,
        rowHeaders: details.querySelectorAll('tbody th[scope="row"]').length,
      };
    })()`);
    expect(heat.role).toBe('img');
    expect(heat.label).toMatch(/^Diagram: Växeln: besvarade inom målet per timme och veckodag\. Dess data finns som tabell under det\.$/);
    expect(heat.cells).toBeGreaterThan(1);
    expect(heat.rows).toBe(heat.cells);
    expect(heat.rowHeaders).toBe(heat.cells);
  });

  test('on a phone 390 px wide the queue panels, the alert and the queue figures do not make the page scroll sideways', async () => {
    const page = await open('/', 'sv', 390);
    await page.locator('#conn[data-state="live"]').waitFor();
    await page.locator('.queue-board .waiting li[data-call-sid]').nth(2).waitFor();
    const wider = (): Promise<{ pageWidth: number; wider: string[] }> =>
      page.evaluate(`(() => ({
        pageWidth: document.documentElement.scrollWidth,
        wider: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.table-wrap, .chart, .chart-flow')).slice(0, 5).map((el) => el.tagName + '.' + el.className),
      }))()`);
    await page.screenshot({ path: artifactPath('dashboard-phone-queue-live.png'), fullPage: true });
    expect(await wider()).toEqual({ pageWidth: 390, wider: [] });
    await page.click('#tab-metrics');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    await page.locator('#queue-stats figure').waitFor();
    await page.screenshot({ path: artifactPath('dashboard-phone-queue-metrics.png'), fullPage: true });
    expect(await wider()).toEqual({ pageWidth: 390, wider: [] });
  });
});
