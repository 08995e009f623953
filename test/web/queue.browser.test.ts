import type { Page } from 'playwright-core';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { artifactPath, launchChromium } from './browser';
import { QUEUE_FLOWS, frozenQueueScene, seedQueueDays, type FrozenScene } from './queue-seed';

jest.setTimeout(240_000);

/** Spaces as a reader sees them: the page writes no-break spaces inside numbers and durations. */
const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ').trim();

/** Polls from the test's side (a string waitForFunction would be evaluated in the page, which its CSP forbids). */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The queue on the dashboard, in a real Chromium against a real service running the switchboard
 * with its operator as a queue: who waits now and why, operators on calls, the service level,
 * alerts; the queue's contact-centre figures and heatmap under Statistik; the report.
 */
describe('the queue on the dashboard', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let pages: { page: Page; errors: string[] }[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness({ env: { FLOWS_DIR: QUEUE_FLOWS, ALERT_QUEUE_LENGTH: '2' } });
    // The week before: 23–27 February 2026, Monday to Friday.
    await seedQueueDays(h, ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27']);
  });

  afterEach(async () => {
    const tabs = pages.splice(0);
    for (const t of tabs) await t.page.close();
    expect(tabs.flatMap((t) => t.errors)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** A new tab signed in; its errors are checked after the test, or by whoever takes it out of `pages`. */
  async function signedIn(lang: 'sv' | 'en' = 'sv', path = '/'): Promise<Page> {
    const page = await browser.context.newPage();
    const tab = { page, errors: [] as string[] };
    pages.push(tab);
    page.on('pageerror', (err) => tab.errors.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') tab.errors.push(`console: ${m.text()}`);
    });
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(h.baseUrl + path);
    await page.fill('#token', API_TOKEN);
    await page.click('#signin-form button[type=submit]');
    return page;
  }

  describe('Just nu, with callers waiting', () => {
    let scene: FrozenScene;
    let page: Page;
    let tab: { page: Page; errors: string[] };

    beforeAll(async () => {
      // The board is open before the calls come: it follows them from the socket's changes.
      page = await signedIn('sv');
      tab = pages.splice(0)[0];
      await page.locator('#conn[data-state="live"]').waitFor();
      scene = frozenQueueScene(h);
      await scene.frozen;
      // Simulated time stopped between webhooks: the heartbeat's tick tells the page the server's clock, as it does every 20 s.
      (h.service.live as any).beat();
      await until(async () => (await page.locator('.queue-board .waiting li[data-call-sid]').count()) === 3);
      // The page's clocks move on once a second.
      await page.waitForTimeout(1100);
    });

    afterAll(async () => {
      scene.release();
      await scene.done;
      await page.close();
      expect(tab.errors).toEqual([]);
    });

    test('each queue has its panel: who waits in order and where they came from, the longest wait, operators on calls, the service level', async () => {
      const board = h.service.live.snapshot().queues;
      expect(board).toHaveLength(1);
      const q = board[0];
      expect(q.waiting.map((w) => w.callSid)).toEqual([scene.sids.direct, scene.sids.afterPerson, scene.sids.afterDepartment].sort((a, b) => {
        const at = (sid: string) => q.waiting.find((w) => w.callSid === sid)!.joinedAt;
        return at(a) - at(b);
      }));
      const panel = page.locator('.queue-board[data-queue="vaxeln"]');
      await panel.locator('.waiting li[data-call-sid]').nth(2).waitFor();
      await page.screenshot({ path: artifactPath('dashboard-queue-live.png'), fullPage: true, animations: 'disabled' });
      expect(plain(await panel.locator('h2').textContent())).toBe('Kö: Växeln');
      // In the order they joined, the head first.
      expect(await panel.locator('.waiting li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-call-sid')))).toEqual(q.waiting.map((w) => w.callSid));
      const now = h.clock.now();
      const waited = (sid: string) => Math.round((now - q.waiting.find((w) => w.callSid === sid)!.joinedAt) / 1000);
      const item = (sid: string) => panel.locator(`.waiting li[data-call-sid="${sid}"] .came`);
      // The browser's clock runs on from the server's: a second or two may have passed since the page drew.
      const within = async (sid: string, prefix: string) => {
        const text = plain(await item(sid).textContent());
        const m = /^(.*)väntat (.+)$/.exec(text);
        expect({ sid, text, prefix: m?.[1] }).toEqual({ sid, text, prefix });
        const seconds = m![2].split(' ').reduce((acc, part, i, all) => (part === 'min' ? acc + Number(all[i - 1]) * 60 : part === 's' ? acc + Number(all[i - 1]) : acc), 0);
        expect(seconds).toBeGreaterThanOrEqual(waited(sid));
        expect(seconds).toBeLessThanOrEqual(waited(sid) + 5);
      };
      await within(scene.sids.afterPerson, 'sökte Anna Lind, svarade inte, ');
      await within(scene.sids.afterDepartment, 'sökte Förskola och skola, ingen svarade, ');
      await within(scene.sids.direct, '');
      // The waits tick in the browser.
      const before = await item(scene.sids.direct).textContent();
      await until(async () => (await item(scene.sids.direct).textContent()) !== before);
      // The longest wait: the head of the queue's.
      const longest = plain(await panel.locator('[data-stat="longest"] .stat-value').textContent());
      expect(longest).toMatch(/^(\d+ min )?\d+ s$/);
      // Operators on calls, by name.
      expect(await panel.locator('[data-stat="onCalls"] .stat-value li .name').allTextContents()).toEqual(['Lena Ek']);
      // Today: five offered, one answered within 60 s; the last half hour: two settled, one within.
      expect(q.today).toMatchObject({ offered: 5, answered: 1, answeredWithin: 1, abandoned: 1 });
      expect(q.lastHalfHour).toMatchObject({ settled: 2, answeredWithin: 1 });
      expect(plain(await panel.locator('[data-stat="today"] .stat-value').textContent())).toBe('20 % inom 60 s, mål 80 %');
      expect(plain(await panel.locator('[data-stat="today"] .stat-sub').textContent())).toBe('5 i kö i dag, 1 besvarade, 1 lade på');
      expect(plain(await panel.locator('[data-stat="recent"] .stat-value').textContent())).toBe('50 % inom 60 s');
      expect(plain(await panel.locator('[data-stat="recent"] .stat-sub').textContent())).toBe('av 2 som lämnat kön');
      expect(plain(await panel.locator('.waiting-count').textContent())).toBe('3 väntar');
    });

    test('a caller in the queue shows in Swedish as "i kö", in the lane of those waiting for the operator', async () => {
      const card = page.locator(`[data-lane="operator"] [data-call-sid="${scene.sids.afterPerson}"]`);
      await card.waitFor();
      expect(await card.getAttribute('class')).toContain('call-queued');
      expect(plain(await card.locator('.what').textContent())).toBe('i kö: Växeln');
      // Lena's caller is talking to her.
      expect(plain(await page.locator(`[data-lane="talking"] [data-call-sid="${scene.sids.answered}"] .what`).textContent())).toBe('Växeln');
    });

    test('active alerts are shown prominently, in a live region, with their text and since when', async () => {
      const alerts = h.service.live.snapshot().alerts;
      const length = alerts.find((a) => a.key === 'queue-length:vaxeln');
      expect(length).toBeDefined();
      const region = page.locator('#live-alerts');
      expect(await region.getAttribute('aria-live')).toBe('assertive');
      const li = region.locator('li[data-alert="queue-length:vaxeln"]');
      await li.waitFor();
      expect(await region.locator('li').count()).toBe(alerts.length);
      expect(plain(await li.locator('.alert-text').textContent())).toBe('Växeln: 3 väntar i kön (gräns 2).');
      const since = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(length!.raisedAt);
      expect(plain(await li.locator('.alert-since').textContent())).toBe(`sedan ${since}`);
      expect(await li.locator('time').getAttribute('datetime')).toBe(new Date(length!.raisedAt).toISOString());
    });

    test('in English', async () => {
      const en = await signedIn('en');
      await en.locator('#conn[data-state="live"]').waitFor();
      const panel = en.locator('.queue-board[data-queue="vaxeln"]');
      // From the snapshot this time, not from changes.
      await panel.locator('.waiting li[data-call-sid]').nth(2).waitFor();
      expect(plain(await panel.locator('h2').textContent())).toBe('Queue: Växeln');
      expect(plain(await panel.locator(`[data-call-sid="${scene.sids.afterPerson}"] .came`).textContent())).toMatch(/^sought Anna Lind, no answer, waited (\d+ mins? )?\d+ secs?$/);
      expect(plain(await panel.locator(`[data-call-sid="${scene.sids.afterDepartment}"] .came`).textContent())).toMatch(/^sought Förskola och skola, nobody answered, waited (\d+ mins? )?\d+ secs?$/);
      expect(plain(await panel.locator('[data-stat="today"] .stat-value').textContent())).toMatch(/^20% within 60 secs?, target 80%$/);
      expect(plain(await panel.locator('.waiting-count').textContent())).toBe('3 waiting');
      expect(plain(await en.locator(`[data-lane="operator"] [data-call-sid="${scene.sids.afterPerson}"] .what`).textContent())).toBe('queued: Växeln');
      expect(plain(await en.locator('#live-alerts li[data-alert="queue-length:vaxeln"] .alert-text').textContent())).toBe('Växeln: 3 waiting in the queue (limit 2).');
      expect(plain(await en.locator('#live-alerts li[data-alert="queue-length:vaxeln"] .alert-since').textContent())).toMatch(/^since \d\d:\d\d$/);
    });
  });
});
