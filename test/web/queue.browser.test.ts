import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness';
import { artifactPath, launchChromium, signInNewStaff, WatchedTabs, type WatchedTab } from './browser';
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
  const tabs = new WatchedTabs(() => h.baseUrl);

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness({ env: { FLOWS_DIR: QUEUE_FLOWS, ALERT_QUEUE_LENGTH: '2' } });
    // The week before: 23–27 February 2026, Monday to Friday.
    await seedQueueDays(h, ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27']);
  });

  afterEach(async () => {
    expect(await tabs.closeAll()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** A new tab signed in; its errors are checked after the test, or by whoever keeps it (tabs.keep). */
  async function signedIn(lang: 'sv' | 'en' = 'sv', path = '/'): Promise<Page> {
    const { page } = await tabs.open(browser.context);
    await signInNewStaff(browser.context, h);
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(h.baseUrl + path);
    return page;
  }

  describe('Just nu, with callers waiting', () => {
    let scene: FrozenScene;
    let page: Page;
    let tab: WatchedTab;

    beforeAll(async () => {
      // The board is open before the calls come: it follows them from the socket's changes.
      page = await signedIn('sv');
      tab = tabs.keep(page);
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

  /** A duration as the page writes it in Swedish: "42 s", "1 min 5 s", "2 min". */
  const sv = (sec: number) => {
    const s = Math.round(sec);
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  };
  const share = (n: number, of: number) => `${n} (${Math.round((n / of) * 100)} %)`;

  describe('Statistik and the report', () => {
    // The tab's default range: the 30 days up to the server's today (2 March 2026, Swedish time).
    const range = 'from=2026-01-31T23:00:00.000Z&to=2026-03-02T23:00:00.000Z&flow=vaxel-ko';

    test('the queue section: the contact-centre figures in Swedish format, short abandons apart, and the heatmap with its data as a table', async () => {
      const page = await signedIn('sv');
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await h.settle();
      const [{ body: figures }, { body: heat }] = await Promise.all([h.api(`/api/metrics/queues?${range}`), h.api(`/api/metrics/queues/vaxeln/heatmap?${range}`)]);
      const q = figures.queues[0];
      // The week seeded: five mornings of five callers, three afternoons of two; with today's, whatever order the tests ran in.
      expect(q).toMatchObject({ queue: 'vaxeln', label: 'Växeln', shortAbandoned: 5, shortAbandonSeconds: 5, leftByKey: 5, maxWait: 2, full: 0 });
      expect(q.offered).toBeGreaterThanOrEqual(31);
      expect(await page.locator('#queue-stats').isVisible()).toBe(true);
      await page.locator('#queue-stats').screenshot({ path: artifactPath('dashboard-queue-metrics.png') });
      const cell = async (row: string) => plain(await page.locator(`#queue-table tr[data-row="${row}"] td`).textContent());
      expect(await page.locator('#queue-table thead th').allTextContents()).toEqual(['Mått', 'Växeln']);
      expect(await page.locator('#queue-table tbody th').allTextContents()).toEqual([
        'Ställde sig i kö (erbjudna)',
        'Besvarade',
        'Lade på i kön',
        'Korta avhopp',
        'Lämnade kön med en knapp',
        'Togs ur kön vid längsta väntetiden',
        'Kön var full',
        'Servicenivå',
        'Tid till svar, medel',
        'Väntetid, 90:e percentil',
        'Längsta väntan',
        'Väntan innan de lade på, medel',
      ]);
      expect(await cell('offered')).toBe(String(q.offered));
      expect(await cell('answered')).toBe(share(q.answered, q.offered));
      expect(await cell('abandoned')).toBe(share(q.abandoned - q.shortAbandoned, q.offered));
      expect(await cell('shortAbandoned')).toBe('5 (inom 5 s)');
      expect(await cell('leftByKey')).toBe('5');
      expect(await cell('maxWait')).toBe('2');
      expect(await cell('full')).toBe('0');
      expect(await cell('serviceLevel')).toBe(`${Math.round(q.serviceLevel.share * 100)} % inom 60 s, mål 80 %`);
      expect(await page.locator('#queue-table tr[data-row="serviceLevel"] td span').getAttribute('class')).toBe(q.serviceLevel.met ? 'up' : 'down');
      expect(await cell('speedOfAnswer')).toBe(sv(q.speedOfAnswerSec.mean));
      expect(await cell('waitP90')).toBe(sv(q.waitSec.p90));
      expect(await cell('longest')).toBe(sv(q.waitSec.longest));
      // The longest wait is the one taken out at the flow's maximum, 300 s.
      expect(await cell('longest')).toMatch(/^5 min( \d+ s)?$/);
      expect(await cell('abandonWait')).toBe(sv(q.abandonWaitSec.mean));
      // Durations stay on one line: their spaces are no-break spaces.
      expect(await page.locator('#queue-table tr[data-row="longest"] td').textContent()).not.toMatch(/ /);

      // The heatmap: weekday by hour, one cell per slot with callers, its numbers those of the API.
      const figure = page.locator('#queue-stats figure[data-queue="vaxeln"]');
      expect(plain(await figure.locator('h2').textContent())).toBe('Växeln: besvarade inom målet per timme och veckodag');
      const chart: { role: string | null; label: string | null; type: string; data: { value: number[]; cell: unknown }[]; days: string[]; hours: string[] } = await page.evaluate(`(() => {
        const el = document.querySelector('#queue-stats figure[data-queue="vaxeln"] .chart');
        const o = echarts.getInstanceByDom(el).getOption();
        return { role: el.getAttribute('role'), label: el.getAttribute('aria-label'), type: o.series[0].type, data: o.series[0].data.map((d) => ({ value: d.value, cell: d.cell })), days: o.yAxis[0].data, hours: o.xAxis[0].data };
      })()`);
      expect(chart.type).toBe('heatmap');
      expect(chart.role).toBe('img');
      expect(chart.label).toBe('Diagram: Växeln: besvarade inom målet per timme och veckodag. Dess data finns som tabell under det.');
      expect(chart.days).toEqual(['mån', 'tis', 'ons', 'tors', 'fre']);
      expect(chart.hours).toEqual(['09', '10', '11', '12', '13']);
      expect(chart.data.map((d) => d.cell)).toEqual(heat.cells);
      expect(heat.cells.map((c: { weekday: number; hour: number }) => `${c.weekday}:${c.hour}`)).toEqual(['1:9', '1:13', '2:9', '3:9', '3:13', '4:9', '5:9', '5:13']);
      for (const d of chart.data) {
        const c = d.cell as { weekday: number; hour: number; serviceLevel: number };
        expect(d.value).toEqual([chart.hours.indexOf(String(c.hour).padStart(2, '0')), c.weekday - 1, Math.round(c.serviceLevel * 1000) / 10]);
      }
      const rows = await figure.locator('details.chart-data tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/[\u00a0\u202f]/g, ' '))));
      expect((await figure.locator('details.chart-data thead th').allTextContents()).map(plain)).toEqual(['Veckodag', 'Timme', 'Ställde sig i kö', 'Besvarade', 'Besvarade inom 60 s', 'Andel inom målet']);
      expect(rows).toEqual(
        heat.cells.map((c: { weekday: number; hour: number; offered: number; answered: number; answeredWithin: number; serviceLevel: number }) => [
          ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag'][c.weekday - 1],
          `${String(c.hour).padStart(2, '0')}–${String(c.hour + 1).padStart(2, '0')}`,
          String(c.offered),
          String(c.answered),
          String(c.answeredWithin),
          `${Math.round(c.serviceLevel * 100)} %`,
        ]),
      );

      // In English too.
      await page.click('[data-lang="en"]');
      expect(await page.locator('#queue-table tbody th').first().textContent()).toBe('Joined the queue (offered)');
      expect(plain(await page.locator('#queue-table tr[data-row="serviceLevel"] td').textContent())).toMatch(/^\d+% within 60 secs?, target 80%$/);
      expect(plain(await figure.locator('h2').textContent())).toBe('Växeln: answered within the target by hour and weekday');
      await page.click('[data-lang="sv"]');
    });

    test('a fallback out of the queue is named in words: the queue by its label, why in Swedish', async () => {
      const page = await signedIn('sv');
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      const row = page.locator('#fallback-table tbody tr').filter({ has: page.locator('td:first-child', { hasText: /^Kö till växeln$/ }) });
      expect((await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['Kö till växeln', 'Växeln', 'Väntade för länge i kön', 'Växeln upptagen']);
      const sankey: string[] = await page.evaluate(`echarts.getInstanceByDom(document.getElementById('chart-sankey')).getOption().series[0].data.map((n) => n.title)`);
      expect(sankey).toContain('Kö till växeln · Väntade för länge i kön');
      const text = await page.locator('#view-metrics').innerText();
      expect(text).not.toMatch(/reason\.|vaxeln/);
      await page.click('[data-lang="en"]');
      expect((await row.locator('td').allTextContents()).slice(1, 3)).toEqual(['Växeln', 'Waited too long in the queue']);
      await page.click('[data-lang="sv"]');
    });

    test('a flow without queue calls in the range shows no queue section', async () => {
      const page = await signedIn('sv');
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await page.fill('#metrics-pickers input[name="from"]', '2026-01-05');
      await page.fill('#metrics-pickers input[name="to"]', '2026-01-09');
      await page.locator('#metrics-pickers input[name="to"]').dispatchEvent('change');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await until(async () => await page.locator('#queue-stats').isHidden());
      expect(await page.locator('#queue-stats figure').count()).toBe(0);
    });

    test('the monthly report has the queue figures beside the month before, and the heatmap', async () => {
      const page = await signedIn('sv', '/report?month=2026-02');
      await page.locator('#report[data-state="ready"]').waitFor();
      const feb = (await h.api('/api/metrics/queues?from=2026-01-31T23:00:00.000Z&to=2026-02-28T23:00:00.000Z&flow=vaxel-ko')).body.queues[0];
      expect(feb.offered).toBe(31);
      const part = page.locator('#report-queues .report-queue[data-queue="vaxeln"]');
      expect(await page.locator('#report-queues').isVisible()).toBe(true);
      expect(await part.locator('.queue-table thead th').allTextContents()).toEqual(['Mått', 'februari 2026', 'januari 2026']);
      const row = async (key: string) => (await part.locator(`.queue-table tr[data-row="${key}"] td`).allTextContents()).map(plain);
      expect(await row('offered')).toEqual(['31', '–']);
      expect(await row('answered')).toEqual([share(feb.answered, 31), '–']);
      expect(await row('serviceLevel')).toEqual([`${Math.round(feb.serviceLevel.share * 100)} % inom 60 s, mål 80 %`, '–']);
      expect(await row('longest')).toEqual([sv(feb.waitSec.longest), '–']);
      expect(await part.locator('.report-chart svg path').count()).toBeGreaterThan(5);
      await page.screenshot({ path: artifactPath('report-queue.png'), fullPage: true });
    });
  });
});
