import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness';
import { invitedStaff, staffSession } from '../helpers/staff';
import { launchChromium, SESSION_COOKIE, useSession, WatchedTabs } from './browser';

jest.setTimeout(180_000);

/**
 * Staff sign in as themselves (issue 23) in a real Chromium against a real service: the form, the
 * forced password change, what each role's views are, the admin's pages for users, keys and the
 * audit trail, and signing out.
 */
describe('signing in as oneself, in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const tabs = new WatchedTabs(() => h.baseUrl);

  async function open(path = '/'): Promise<Page> {
    const { page } = await tabs.open(browser.context);
    // Confirmations (revoke a key) are answered yes, as the user would.
    page.on('dialog', (d) => void d.accept());
    await page.addInitScript(`localStorage.setItem('callpath.lang', 'sv')`);
    await page.goto(h.baseUrl + path);
    return page;
  }

  const visibleTabs = (page: Page) => page.evaluate(`[...document.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden).map((t) => t.id)`);

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
  });

  beforeEach(async () => {
    await browser.context.clearCookies();
  });

  afterEach(async () => {
    expect(await tabs.closeAll()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('through the form: a wrong password is refused in Swedish; the temporary password leads to choosing one, then the dashboard shows the name', async () => {
    const anna = await invitedStaff(h, 'anna.lind@example.se', ['reception', 'analyst'], 'Anna Lind');
    const page = await open('/');
    await page.locator('#signin-form').waitFor();
    expect(await page.locator('#token').count()).toBe(0);
    // No identity provider is configured here: no button for it.
    expect(await page.locator('#signin-oidc').isHidden()).toBe(true);

    await page.fill('#signin-email', anna.email);
    await page.fill('#signin-password', 'inte-rätt-lösenord');
    await page.click('#signin-form button[type=submit]');
    await page.locator('#signin-error:not([hidden])').waitFor();
    expect(await page.locator('#signin-error').textContent()).toBe('Fel e-postadress eller lösenord. Försök igen.');
    expect(await page.locator('main').isHidden()).toBe(true);
    tabs.forgetErrors();

    await page.fill('#signin-email', anna.email);
    await page.fill('#signin-password', anna.temporaryPassword);
    await page.click('#signin-form button[type=submit]');
    await page.locator('#password-form:not([hidden])').waitFor();
    expect(await page.locator('#password-form h1').textContent()).toBe('Välj ett nytt lösenord');
    expect(await page.locator('main').isHidden()).toBe(true);

    // Two different new passwords, then one the server finds too weak: its Swedish reason is shown.
    await page.fill('#password-current', anna.temporaryPassword);
    await page.fill('#password-next', 'Sommarlov-i-Ystad-2026');
    await page.fill('#password-repeat', 'Sommarlov-i-Ystad-2027');
    await page.click('#password-form button[type=submit]');
    expect(await page.locator('#password-error').textContent()).toContain('inte likadana');
    await page.fill('#password-next', 'kort');
    await page.fill('#password-repeat', 'kort');
    await page.click('#password-form button[type=submit]');
    await page.locator('#password-error:text("minst 12 tecken")').waitFor();

    tabs.forgetErrors();
    await page.fill('#password-next', 'Sommarlov-i-Ystad-2026');
    await page.fill('#password-repeat', 'Sommarlov-i-Ystad-2026');
    await page.click('#password-form button[type=submit]');
    await page.locator('#conn[data-state="live"]').waitFor();
    expect(await page.locator('#user-name').textContent()).toBe('Anna Lind');
    expect(await page.locator('#role-badge').textContent()).toBe('Reception, Analytiker');
    expect((await h.service.identity.users.get(anna.email))?.mustChangePassword).toBe(false);
    // Nothing of the session is kept where scripts could read it.
    expect(await page.evaluate('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })')).not.toMatch(/cpt_|Sommarlov|session/i);
  });

  test('a locked account is told in Swedish how long to wait', async () => {
    const bo = await invitedStaff(h, 'bo.ek@example.se', ['reception'], 'Bo Ek');
    for (let i = 0; i < 5; i++) {
      await fetch(h.baseUrl + '/auth/signin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: bo.email, password: 'fel' }) });
    }
    const page = await open('/');
    await page.fill('#signin-email', bo.email);
    await page.fill('#signin-password', bo.temporaryPassword);
    await page.click('#signin-form button[type=submit]');
    await page.locator('#signin-error:not([hidden])').waitFor();
    expect(await page.locator('#signin-error').textContent()).toBe('För många misslyckade försök, försök igen om 15 minuter.');
    tabs.forgetErrors();
  });

  test("the identity provider's failure comes back to /signin with its message", async () => {
    const page = await open('/signin?error=' + encodeURIComponent('Ditt konto är avstängt i callpath.'));
    await page.locator('#signin-error:not([hidden])').waitFor();
    expect(await page.locator('#signin-error').textContent()).toBe('Ditt konto är avstängt i callpath.');
  });

  test('a reception user sees the live board, Återuppringningar, Hänvisningar and Kommentarer, but not Statistik or Användare', async () => {
    await useSession(browser.context, h, await staffSession(h, 'reception@example.se', ['reception'], 'Rut Reception'));
    const page = await open('/');
    await page.locator('#conn[data-state="live"]').waitFor();
    expect(await visibleTabs(page)).toEqual(['tab-live', 'tab-callbacks', 'tab-notices', 'tab-comments', 'tab-keys']);
    expect(await page.locator('#report-link').isHidden()).toBe(true);
    expect(await page.locator('#role-badge').textContent()).toBe('Reception');
    // Asking for a hidden view by its address opens the live board instead.
    await page.goto(h.baseUrl + '/#users');
    await page.locator('#conn[data-state="live"]').waitFor();
    expect(await page.locator('#view-users').isHidden()).toBe(true);
    expect(await page.locator('#live-call-search').isVisible()).toBe(true);
  });

  test('an analyst sees Statistik, the menus and the report, but not the live board', async () => {
    await useSession(browser.context, h, await staffSession(h, 'analys@example.se', ['analyst'], 'Alf Analys'));
    const page = await open('/');
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    expect(await visibleTabs(page)).toEqual(['tab-metrics', 'tab-menus', 'tab-keys']);
    expect(await page.locator('#report-link').isVisible()).toBe(true);
    expect(await page.locator('#view-live').isHidden()).toBe(true);
    // A call's timeline is the reception's: no search for one here.
    expect(await page.locator('#call-search').isHidden()).toBe(true);
    await page.click('#tab-menus');
    await page.locator('#view-menus[data-state="ready"]').waitFor();
    expect(await page.locator('#menus-notice').isHidden()).toBe(true);
  });

  test('an admin invites a user (the temporary password shown once), creates a key (shown once), revokes it, and the log lists both', async () => {
    await useSession(browser.context, h, await staffSession(h, 'admin@example.se', ['admin'], 'Ada Admin'));
    const page = await open('/#users');
    await page.locator('#view-users[data-state="ready"]').waitFor();
    expect(await visibleTabs(page)).toEqual(['tab-callbacks', 'tab-notices', 'tab-comments', 'tab-menus', 'tab-users', 'tab-audit', 'tab-keys']);

    await page.fill('#invite-email', 'cilla.ny@example.se');
    await page.fill('#invite-name', 'Cilla Ny');
    await page.check('#invite-form input[value="reception"]');
    await page.click('#invite-form button[type=submit]');
    const shown = page.locator('#invite-result .secret-value');
    await shown.waitFor();
    const temporary = await shown.textContent();
    expect(temporary).toMatch(/^[a-zåäö]+(-[a-zåäö]+){3}-\d{2}$/);
    expect(await page.locator('#invite-result').textContent()).toContain('Lämna över lösenordet');
    const row = page.locator('#users-table tr', { hasText: 'cilla.ny@example.se' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Reception');
    expect(await row.textContent()).toContain('Lokalt konto');
    // Shown once: the list, reloaded, has no password in it.
    await page.reload();
    await page.locator('#view-users[data-state="ready"]').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(temporary!);

    // Her keys: one made, shown once with a copy button, then revoked.
    await page.click('#users-table button[data-email="cilla.ny@example.se"]');
    await page.locator('#user-detail .tokens-table').waitFor();
    await page.fill('#user-detail .tokens-form input[name="name"]', 'Rapportskript');
    await page.fill('#user-detail .tokens-form input[name="days"]', '30');
    await page.click('#user-detail .tokens-form button[type=submit]');
    const key = page.locator('#user-detail .secret-value');
    await key.waitFor();
    const token = (await key.textContent())!;
    expect(token).toMatch(/^cpt_/);
    expect(await page.locator('#user-detail .secret-once button').textContent()).toBe('Kopiera');
    expect((await h.api('/api/session', token)).status).toBe(200);
    const keyRow = page.locator('#user-detail .tokens-table tbody tr', { hasText: 'Rapportskript' });
    await keyRow.waitFor();
    expect(await keyRow.textContent()).toContain('Giltig');
    await keyRow.locator('button').click();
    await page.locator('#user-detail .tokens-table tbody tr', { hasText: 'Återkallad' }).waitFor();
    expect(await page.locator('#user-detail .secret-value').count()).toBe(0);
    expect((await h.api('/api/session', token)).status).toBe(401);

    await page.click('#tab-audit');
    await page.locator('#view-audit[data-state="ready"]').waitFor();
    await page.fill('#audit-filters input[name="object"]', 'cilla.ny@example.se');
    await page.click('#audit-filters button[type=submit]');
    await page.locator('#audit-table tbody tr', { hasText: 'Återkallade en API-nyckel' }).waitFor();
    const log = (await page.locator('#audit-table').textContent())!;
    expect(log).toContain('Bjöd in en användare');
    expect(log).toContain('Skapade en API-nyckel');
    expect(log).toContain('admin@example.se');
    // Times in Swedish: "2 mars 2026 09:00" (the harness's clock).
    expect(await page.locator('#audit-table tbody td time').first().textContent()).toMatch(/^\d{1,2} [a-zåäö]{3,4} \d{4} \d{2}:\d{2}$/);
    expect(await page.locator('#audit-csv').getAttribute('href')).toBe('/api/audit.csv?object=cilla.ny%40example.se');
  });

  test('every user manages their own keys under "Mina API-nycklar"', async () => {
    await useSession(browser.context, h, await staffSession(h, 'egen@example.se', ['reception'], 'Eva Egen'));
    const page = await open('/#keys');
    await page.locator('#own-tokens .tokens-table').waitFor();
    await page.fill('#own-tokens input[name="name"]', 'Min nyckel');
    await page.click('#own-tokens button[type=submit]');
    await page.locator('#own-tokens .secret-value').waitFor();
    await page.locator('#own-tokens .tokens-table tbody tr', { hasText: 'Min nyckel' }).locator('button').click();
    await page.locator('#own-tokens .tokens-table tbody tr', { hasText: 'Återkallad' }).waitFor();
  });

  test('signing out returns to sign-in, and the old cookie opens nothing any more', async () => {
    const staff = await staffSession(h, 'utloggad@example.se', ['reception'], 'Ulf Ut');
    await useSession(browser.context, h, staff);
    const page = await open('/');
    await page.locator('#conn[data-state="live"]').waitFor();
    await page.click('#sign-out');
    await page.locator('#signin-form:not([hidden])').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await page.locator('#signin-error').isHidden()).toBe(true);
    expect(await page.locator('main').isHidden()).toBe(true);
    const res = await fetch(h.baseUrl + '/api/session', { headers: { cookie: `${SESSION_COOKIE}=${staff.cookieValue}` } });
    expect(res.status).toBe(401);
  });

  test('a session that ends elsewhere (the account disabled) sends the page back to sign-in', async () => {
    const staff = await staffSession(h, 'avstangd@example.se', ['reception'], 'Ante Avstängd');
    await useSession(browser.context, h, staff);
    const page = await open('/');
    await page.locator('#conn[data-state="live"]').waitFor();
    await h.service.identity.users.change(staff.email, { disabled: true });
    await page.locator('#signin-form:not([hidden])').waitFor();
    expect(await page.locator('#signin-error').textContent()).toBe('Du har loggats ut. Logga in igen för att fortsätta.');
  });

  test('the report opens with the cookie, and without one goes to sign-in and back', async () => {
    const page = await open('/report');
    await page.locator('#signin-form:not([hidden])').waitFor();
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/report');
    const staff = await staffSession(h, 'rapport@example.se', ['analyst'], 'Rapport Läsare');
    await useSession(browser.context, h, staff);
    const report = await open('/report');
    await report.locator('#report[data-state="ready"]').waitFor();
  });
});
