import { createLogger } from '../../src/log';
import { oidcSignIn, type OidcSignIn } from '../../src/identity/oidc-sign-in';
import { parseRoleMap } from '../../src/identity/oidc-settings';
import { startHarness, type Harness } from '../helpers/harness';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider';
import { isSignedOutProbe, launchChromium, SESSION_COOKIE } from './browser';

jest.setTimeout(180_000);

const CLIENT = { clientId: 'callpath', clientSecret: 'callpath-test-secret-0123456789' };

/**
 * The municipality's login in a real Chromium: the dashboard's button, the identity provider's own
 * login page (oidc-provider 9 on loopback, started here), and back signed in with the roles its
 * groups give.
 */
describe('signing in with the municipality account, in Chromium', () => {
  let h: Harness;
  let provider: TestProvider;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let inner: OidcSignIn | null = null;
  const errors: string[] = [];
  const late: OidcSignIn = { label: 'Logga in med kommunens konto', begin: (r) => inner!.begin(r), finish: (u, p) => inner!.finish(u, p) };

  beforeAll(async () => {
    h = await startHarness({ options: { oidc: late } });
    const redirectUrl = `${h.baseUrl}/auth/oidc/callback`;
    provider = await startTestProvider({ redirectUri: redirectUrl, ...CLIENT });
    const roleMap = parseRoleMap('callpath-reception=reception;callpath-analytiker=analyst;callpath-admin=admin').roleMap;
    const connected = oidcSignIn({ issuer: provider.issuer, ...CLIENT, roleClaim: 'groups', roleMap, label: late.label, redirectUrl }, createLogger('silent'));
    await connected.ready;
    inner = connected;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await provider?.stop();
  });

  /** From the dashboard's sign-in view through the provider's login and consent pages, as a person clicks them. */
  async function signInAs(login: string) {
    // Another person at another browser: nobody is signed in at the provider or here.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !isSignedOutProbe(m.text()) && page.url().startsWith(h.baseUrl)) errors.push(`console: ${m.text()}`);
    });
    await page.addInitScript(`localStorage.setItem('callpath.lang', 'sv')`);
    await page.goto(h.baseUrl + '/');
    const button = page.locator('#signin-oidc-link');
    await button.waitFor();
    expect(await button.textContent()).toBe('Logga in med kommunens konto');
    await button.click();
    // The provider's pages: its login form, then its consent to share the e-mail address, name and groups.
    await page.waitForURL((u) => u.href.startsWith(provider.issuer));
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'anything');
    await page.click('button[type="submit"]');
    await page.waitForLoadState();
    if (page.url().startsWith(provider.issuer)) await page.click('button[type="submit"]');
    await page.waitForURL((u) => u.href.startsWith(h.baseUrl));
    return page;
  }

  test("anna's group gives reception: the dashboard shows her and the live board; sign-out ends the session on the server", async () => {
    const page = await signInAs('anna@kommun.se');
    await page.locator('#user-name').waitFor();
    expect(await page.locator('#user-name').textContent()).toBe('Anna Andersson');
    expect(await page.locator('#role-badge').textContent()).toMatch(/Reception/);
    const tabs = await page.evaluate(`[...document.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden).map((t) => t.textContent.trim())`);
    expect(tabs).toContain('Just nu');
    expect(tabs).not.toContain('Statistik');

    const cookie = (await browser.context.cookies(h.baseUrl)).find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.click('#sign-out');
    await page.locator('#signin-form').waitFor();
    // The cookie the browser had is refused now: the session ended on the server, not just in the page.
    const again = await fetch(`${h.baseUrl}/api/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
    expect(again.status).toBe(401);
    await page.close();
  });

  test("erik's groups give analyst and admin; once his session has expired the dashboard asks him to sign in again", async () => {
    const page = await signInAs('erik@kommun.se');
    await page.locator('#user-name').waitFor();
    expect(await page.locator('#user-name').textContent()).toBe('Erik Eriksson');
    const tabs = await page.evaluate(`[...document.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden).map((t) => t.textContent.trim())`);
    expect(tabs).toEqual(expect.arrayContaining(['Statistik', 'Användare', 'Logg']));
    expect(tabs).not.toContain('Just nu');

    h.clock.advance(13 * 3_600_000);
    await page.reload();
    await page.locator('#signin-form').waitFor();
    // The browser still holds the cookie (its clock is not the service's); the service refuses it.
    const cookie = (await browser.context.cookies(h.baseUrl)).find((c) => c.name === SESSION_COOKIE)!;
    expect((await fetch(`${h.baseUrl}/api/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } })).status).toBe(401);
    await page.close();
    expect(errors).toEqual([]);
  });
});
