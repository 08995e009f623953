import type { Page } from 'playwright-core';
import { startHarness, takenAfter, type Harness } from '../helpers/harness';
import { freshSession, request, staffMember, staffSession, type StaffSession } from '../helpers/staff';
import type { Role } from '../../src/identity/model';
import { expectNoSeriousViolations } from './axe';
import { artifactPath, launchChromium, useSession, WatchedTabs } from './browser';

jest.setTimeout(240_000);

/** The demo flow's directory (ivr-flows/vaxel.yaml): extension, name, number. */
const ANNA = { ext: '4711', name: 'Anna Lind', number: '+46101304711' };
const JOHAN = { ext: '4712', name: 'Johan Berg', number: '+46101304712' };
const SARA = { email: 'sara.holm@exempelstad.se', name: 'Sara Holm', ext: '4713', number: '+46101304713' };
const ERIK = { email: 'erik.nystrom@exempelstad.se', ext: '4714', number: '+46101304714' };

const SKOLA_COMMENT = 'Personen på skolan var trevlig men jag fick vänta länge.';
const RANG_OUT_COMMENT = 'Ingen svarade hos Johan, men växeln hjälpte mig.';

/**
 * The reception's new parts of the dashboard (issue 20) in Chromium against a real service: absence
 * notices set in Hänvisningar and heard by a virtual caller before any ring, "Min hänvisning" for a
 * person in the directory, callers' spoken comments with their filters and timeline, the notice
 * figures under Statistik; axe on each in Swedish and English.
 */
describe('absence notices and comments in the dashboard, in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const tabs = new WatchedTabs(() => h.baseUrl);
  const calls: Record<string, string> = {};
  let made = 0;

  /** A tab signed in as a new staff member (a session started now: the virtual calls move the clock on). */
  async function openAs(who: Role[] | StaffSession, lang: 'sv' | 'en' = 'sv'): Promise<{ page: Page; staff: StaffSession }> {
    const staff = Array.isArray(who) ? await staffSession(h, `mottagning${++made}@exempelstad.se`, who, 'Rita Reception') : await freshSession(h, who);
    await useSession(browser.context, h, staff);
    const { page } = await tabs.open(browser.context);
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(h.baseUrl + '/');
    await page.locator('main:not([hidden])').waitFor();
    return { page, staff };
  }

  const text = (page: Page, sel: string) => page.locator(sel).innerText().then((s) => s.replace(/\u00a0/g, ' ').trim());
  const verbsOf = (t: { requests: { verbs: string[] }[] }) => t.requests.flatMap((r) => r.verbs);
  /** The calls whose comments the list shows, in its order. */
  const listedCalls = (page: Page) => page.locator('#comments-table tbody tr[data-call-sid]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call-sid')));
  /** Waits until the list shows these calls' comments (the page's CSP refuses the eval of a polled string). */
  async function untilListed(page: Page, sids: string[]): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (JSON.stringify(await listedCalls(page)) === JSON.stringify(sids) && (await page.locator('#view-comments').getAttribute('data-state')) === 'ready') return;
      await page.waitForTimeout(50);
    }
    expect(await listedCalls(page)).toEqual(sids);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
    // Erik has a notice that one caller meets (and rates); Johan's phone rings out for another, who leaves a comment.
    const reception = await staffMember(h, 'seed.reception@exempelstad.se', ['reception']);
    // Sara has no backup: a caller who meets her notice is not put through to a colleague.
    const put = await request(h, 'PUT', `/api/notices/${encodeURIComponent(SARA.number)}`, reception.token, { reason: 'out', until: '2026-03-02T16:00:00+01:00' });
    expect(put.status).toBe(200);
    const metSara = await h.caller.call({ digits: ['5', SARA.ext, '0'], queue: takenAfter(10), survey: ['2', '3', '1'] });
    expect(verbsOf(metSara)).not.toContain('Dial');
    await request(h, 'DELETE', `/api/notices/${encodeURIComponent(SARA.number)}`, reception.token);
    const skola = await h.caller.call({ from: '+46701239001', digits: ['1'], dials: [{ answer: true }], survey: ['4', '2', '1'], speech: SKOLA_COMMENT });
    const rangOut = await h.caller.call({ from: '+46701239002', digits: ['5', JOHAN.ext, '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(5), survey: ['5', '5', '1'], speech: RANG_OUT_COMMENT });
    calls.skola = skola.callSid;
    calls.rangOut = rangOut.callSid;
    await h.settle();
  });

  afterEach(async () => {
    expect(await tabs.closeAll()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('Statistik shows the notice figures to an analyst: calls that met a notice, rings avoided, time saved, the survey beside rung-out calls', async () => {
    const { page } = await openAs(['analyst']);
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    await page.locator('#notice-stats:not([hidden])').waitFor();
    expect(await text(page, '#notice-stats h2')).toBe('Hänvisningar');
    expect(await text(page, '[data-kpi="noticeCalls"] .kpi-value')).toBe('1');
    expect(await text(page, '[data-kpi="ringsAvoided"] .kpi-value')).toBe('1');
    // Erik has no ring-out of his own: the directory's 20 s ring stands in, in Swedish format.
    expect(await text(page, '[data-kpi="timeSaved"] .kpi-value')).toBe('20 s');
    const rows = await page.locator('#notice-survey tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/\u00a0/g, ' '))));
    expect(rows).toEqual([
      ['Samtal', '1', '1'],
      ['Bemötande (index)', '25,0 (1 svar)', '100,0 (1 svar)'],
      ['Enkelhet (index)', '50,0 (1 svar)', '100,0 (1 svar)'],
    ]);
    expect(await page.locator('#notice-survey thead th').allInnerTexts()).toEqual(['Enkäten', 'Mötte en hänvisning', 'Ringde utan svar']);
    // An analyst sets nobody's notice and reads no comments: neither tab, and no "Min hänvisning" (not in a directory).
    expect(await page.locator('#tab-notices').isHidden()).toBe(true);
    expect(await page.locator('#tab-comments').isHidden()).toBe(true);
    expect(await page.locator('#my-notice').isHidden()).toBe(true);
    await page.screenshot({ path: artifactPath('reception-notice-stats.png'), fullPage: true });
  });

  test('reception sets a notice for Anna, sees it listed with what callers hear, and a caller to 4711 hears it before any ring', async () => {
    const { page } = await openAs(['reception']);
    await page.click('#tab-notices');
    await page.locator('#view-notices[data-state="ready"]').waitFor();
    const annaRow = page.locator(`#notices-table tr[data-number="${ANNA.number}"]`);
    expect(await annaRow.locator('td').nth(1).innerText()).toBe(ANNA.ext);
    expect(await annaRow.locator('td').nth(2).innerText()).toBe('Ingen');

    await annaRow.locator('button[data-action="edit"]').click();
    await page.locator('#notice-editor:not([hidden])').waitFor();
    expect(await text(page, '#notice-editor-title')).toBe('Hänvisning för Anna Lind');
    // The short list in Swedish.
    expect(await page.locator('#notice-editor-reason option').allInnerTexts()).toEqual(['Möte', 'Ute på uppdrag', 'Sjuk', 'Ledig', 'Gått för dagen', 'Annat']);
    await page.selectOption('#notice-editor-reason', 'meeting');
    // A meeting needs a return time: refused in Swedish without one.
    await page.click('#notice-editor button[type="submit"]');
    expect(await text(page, '#notice-editor .error')).toBe('En hänvisning för möte behöver en tid då personen är tillbaka.');
    await page.fill('#notice-editor input[name="date"]', '2026-03-02');
    await page.fill('#notice-editor input[name="time"]', '14:00');
    expect(await text(page, '#notice-editor .notice-readback')).toBe('Tillbaka måndag 2 mars 14:00.');
    await expectNoSeriousViolations(page, 'sv notice editor');
    await page.click('#notice-editor button[type="submit"]');
    await page.locator('#notices-status:text("Hänvisningen för Anna Lind är sparad.")').waitFor();
    expect(await page.locator('#notice-editor').isHidden()).toBe(true);
    expect(await annaRow.locator('td').nth(2).innerText()).toBe('Möte till måndag 2 mars 14:00');
    expect(await annaRow.locator('td').nth(3).innerText()).toBe('Anna Lind är på möte till klockan 14.');
    expect(await annaRow.locator('td').nth(4).innerText()).toMatch(/^mottagning\d+@exempelstad\.se$/);
    // Stored as the instant 14:00 Stockholm time means.
    const stored = (await h.service.store.listNotices()).find((n) => n.person === ANNA.number);
    expect(stored).toMatchObject({ reason: 'meeting', until: '2026-03-02T13:00:00.000Z' });

    // "Annat" with its text, open-ended; then cleared.
    const johanRow = page.locator(`#notices-table tr[data-number="${JOHAN.number}"]`);
    await johanRow.locator('button[data-action="edit"]').click();
    await page.selectOption('#notice-editor-reason', 'other');
    await page.fill('#notice-editor-text', 'Han arbetar hemifrån i dag och svarar på e-post');
    await page.click('#notice-editor button[type="submit"]');
    await page.locator('#notices-status:text("Hänvisningen för Johan Berg är sparad.")').waitFor();
    expect(await johanRow.locator('td').nth(3).innerText()).toBe('Johan Berg kan inte svara. Han arbetar hemifrån i dag och svarar på e-post.');
    expect(await johanRow.locator('td').nth(2).innerText()).toBe('Annat tills vidare');
    await expectNoSeriousViolations(page, 'sv notices');
    await page.screenshot({ path: artifactPath('reception-notices.png'), fullPage: true });
    await johanRow.locator('button[data-action="clear"]').click();
    await page.locator('#notices-status:text("Hänvisningen för Johan Berg är borttagen.")').waitFor();
    expect(await johanRow.locator('td').nth(2).innerText()).toBe('Ingen');

    // The caller seeks Anna: the notice first, no <Dial> to her, and on to the operator.
    const trace = await h.caller.call({ digits: ['5', ANNA.ext, '0'], queue: takenAfter(10) });
    const at = trace.said.indexOf('Anna Lind är på möte till klockan 14.');
    expect(at).toBeGreaterThan(-1);
    expect(verbsOf(trace)).not.toContain('Dial');
    expect(verbsOf(trace)).toContain('Enqueue');
    expect((await h.journey(trace.callSid)).notices).toEqual([expect.objectContaining({ target: ANNA.ext, reason: 'meeting' })]);
  });

  test('a person in the directory sets and clears their own notice from "Min hänvisning"; the dialog passes axe in Swedish and English', async () => {
    const sara = await staffSession(h, SARA.email, ['analyst'], SARA.name);
    for (const lang of ['sv', 'en'] as const) {
      const { page } = await openAs(sara, lang);
      await page.locator('#my-notice:not([hidden])').waitFor();
      expect(await page.locator('#tab-notices').isHidden()).toBe(true);
      await page.click('#my-notice');
      await page.locator('#my-notice-dialog[open] .notice-form').waitFor();
      expect(await text(page, '#my-notice-dialog .my-notice-now')).toBe(lang === 'sv' ? 'Du har ingen hänvisning. Din telefon ringer som vanligt.' : 'You have no notice. Your phone rings as usual.');
      await page.selectOption('#my-notice-reason', 'gone-for-the-day');
      await page.fill('#my-notice-dialog input[name="date"]', '2026-03-03');
      await page.fill('#my-notice-dialog input[name="time"]', '08:00');
      await page.click('#my-notice-dialog button[type="submit"]');
      await page.locator('#my-notice-clear').waitFor();
      const now = await text(page, '#my-notice-dialog .my-notice-now');
      expect(now).toContain(
        lang === 'sv' ? 'Den som ringer hör: ”Sara Holm har gått för dagen och är tillbaka i morgon klockan 8.”' : 'Callers hear: “Sara Holm has left for the day and will be back tomorrow at 8 am.”',
      );
      expect(now).toContain(lang === 'sv' ? 'Din hänvisning: Gått för dagen till tisdag 3 mars 08:00.' : 'Your notice: Gone for the day until Tuesday 3 March 08:00.');
      expect((await h.service.store.listNotices()).find((n) => n.person === SARA.number)).toMatchObject({ reason: 'gone-for-the-day', until: '2026-03-03T07:00:00.000Z', setBy: `user:${SARA.email}` });
      await expectNoSeriousViolations(page, `${lang} my notice`);
      if (lang === 'sv') await page.screenshot({ path: artifactPath('reception-my-notice.png') });
      await page.click('#my-notice-clear');
      await page.locator(`#my-notice-dialog [role="status"]:text("${lang === 'sv' ? 'Din hänvisning är borttagen.' : 'Your notice is removed.'}")`).waitFor();
      expect(await page.locator('#my-notice-clear').count()).toBe(0);
      expect((await h.service.store.listNotices()).find((n) => n.person === SARA.number)).toBeUndefined();
    }
  });

  test('comments are listed newest first with whom the call sought, its fallbacks and scores; the filters narrow them; a comment opens its timeline with the words', async () => {
    const { page } = await openAs(['reception']);
    await page.click('#tab-comments');
    await page.locator('#view-comments[data-state="ready"]').waitFor();
    const listed = () => listedCalls(page);
    expect(await listed()).toEqual([calls.rangOut, calls.skola]);
    const rang = page.locator(`#comments-table tr[data-call-sid="${calls.rangOut}"]`);
    const cells = await rang.locator('td').allInnerTexts();
    expect(cells[1]).toContain(RANG_OUT_COMMENT);
    expect(cells[2]).toBe('Johan Berg, Växeln');
    expect(cells[3]).toMatch(/^Johan Berg: Ingen svarade, vidare till /);
    expect(cells[4]).toBe('bemötande 5, enkelhet 5');
    expect(cells[0]).toMatch(/^2 mars 2026 \d\d:\d\d$/);

    await page.selectOption('#comments-filters select[name="score"]', '1,2');
    await untilListed(page, [calls.skola]);
    await page.selectOption('#comments-filters select[name="score"]', '');
    await page.selectOption('#comments-filters select[name="fallback"]', 'no-answer');
    await untilListed(page, [calls.rangOut]);
    await page.selectOption('#comments-filters select[name="fallback"]', '');
    // Targets by name: a department by its label, a person by theirs.
    expect(await page.locator('#comments-filters select[name="target"] option[value="skola"]').innerText()).toBe('Förskola och skola');
    expect(await page.locator(`#comments-filters select[name="target"] option[value="${JOHAN.ext}"]`).innerText()).toBe('Johan Berg');
    await page.selectOption('#comments-filters select[name="target"]', 'skola');
    await untilListed(page, [calls.skola]);
    await page.selectOption('#comments-filters select[name="score"]', '5');
    await page.locator('#comments-table td:text("Inga kommentarer med dessa val.")').waitFor();
    await page.selectOption('#comments-filters select[name="score"]', '');
    await page.selectOption('#comments-filters select[name="target"]', '');
    await untilListed(page, [calls.rangOut, calls.skola]);
    await page.screenshot({ path: artifactPath('reception-comments.png'), fullPage: true });

    await page.click(`#comments-table tr[data-call-sid="${calls.skola}"] button[data-call-sid]`);
    await page.locator('#call-dialog .timeline').waitFor();
    expect(await text(page, '#call-dialog .call-comment')).toBe(SKOLA_COMMENT);
    expect(await page.locator('#call-dialog .timeline li:has-text("Lämnade en kommentar")').count()).toBe(1);
    // Opened from a comment, the timeline has no list to go back to.
    expect(await page.locator('#call-dialog button:text("Tillbaka")').count()).toBe(0);
    await page.click('#call-dialog .dialog-close');
  });

  test('comments page by the cursor: "Visa fler" fetches the next, older page', async () => {
    // A third comment; the view's pages are cut to two (its request rewritten), so one is left for "Visa fler".
    const third = await h.caller.call({ from: '+46701239003', digits: ['1'], dials: [{ answer: true }], survey: ['3', '3', '1'], speech: 'Helt okej.' });
    await h.settle();
    const { page } = await openAs(['admin']);
    const asked: string[] = [];
    await page.route('**/api/comments?*', (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '2');
      asked.push(url.search);
      return route.continue({ url: url.toString() });
    });
    await page.click('#tab-comments');
    await page.locator('#view-comments[data-state="ready"]').waitFor();
    const listed = () => listedCalls(page);
    expect(await listed()).toEqual([third.callSid, calls.rangOut]);
    expect(await text(page, '#comments-shown')).toBe('2 kommentarer visas.');
    await page.click('#comments-more');
    await untilListed(page, [third.callSid, calls.rangOut, calls.skola]);
    expect(await page.locator('#comments-more').isHidden()).toBe(true);
    expect(asked[1]).toMatch(/cursor=/);
  });

  for (const lang of ['sv', 'en'] as const) {
    test(`axe finds no serious violation on Hänvisningar, Kommentarer with a timeline, and the notice figures (${lang})`, async () => {
      const { page } = await openAs(['reception', 'analyst', 'admin'], lang);
      await page.click('#tab-notices');
      await page.locator('#view-notices[data-state="ready"]').waitFor();
      await page.locator(`#notices-table tr[data-number="${ERIK.number}"] button[data-action="edit"]`).click();
      await page.selectOption('#notice-editor-reason', 'other');
      await expectNoSeriousViolations(page, `${lang} notices with the editor`);
      await page.click('#tab-comments');
      await page.locator('#view-comments[data-state="ready"]').waitFor();
      await expectNoSeriousViolations(page, `${lang} comments`);
      await page.click(`#comments-table tr[data-call-sid="${calls.skola}"] button[data-call-sid]`);
      await page.locator('#call-dialog .call-comment').waitFor();
      await expectNoSeriousViolations(page, `${lang} comment's timeline`);
      await page.click('#call-dialog .dialog-close');
      await page.click('#tab-metrics');
      await page.locator('#view-metrics[data-state="ready"]').waitFor();
      await page.locator('#notice-stats:not([hidden])').waitFor();
      expect(await text(page, '#notice-stats h2')).toBe(lang === 'en' ? 'Absence notices' : 'Hänvisningar');
      await expectNoSeriousViolations(page, `${lang} metrics with the notice figures`);
      // Logg names the new actions in words and filters by them.
      await page.click('#tab-audit');
      await page.locator('#view-audit[data-state="ready"]').waitFor();
      await page.selectOption('#audit-filters select[name="action"]', 'notice.set');
      await page.click('#audit-filters button[type="submit"]');
      await page.locator(`#audit-table td:text("${lang === 'sv' ? 'Satte en hänvisning' : 'Set an absence notice'}")`).first().waitFor();
      expect(await page.locator('#audit-table td:text("person:vaxel/4713")').count()).toBeGreaterThan(0);
    });
  }
});
