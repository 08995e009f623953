import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Harness } from '../helpers/harness';
import { staffSession, type StaffSession } from '../helpers/staff';
import type { Role } from '../../src/identity/model';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '../../test-artifacts');

/**
 * Debian's Chromium, headless, with a fresh profile and nothing that reaches the internet. A missing
 * browser is a failure that says how to install it, never a skipped test.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The dashboard tests need a real browser: ` +
        'install it with `apt-get install -y chromium` (scripts/ci-deps.sh does this in CI), or set CHROMIUM_PATH.',
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    // As a user who asked the system for less motion: charts drawn at once, so screenshots show them whole.
    reducedMotion: 'reduce',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** The session cookie's name on plain http (identity/create.ts sessionCookieName). */
export const SESSION_COOKIE = 'callpath_session';

/**
 * The browser signed in as this staff member by their session cookie, as if they had used the form
 * (which one test does for real): every tab of the context is then theirs, and no one else's.
 */
export async function useSession(context: BrowserContext, h: Harness, staff: StaffSession): Promise<void> {
  await context.clearCookies();
  await context.addCookies([{ name: SESSION_COOKIE, value: staff.cookieValue, url: h.baseUrl }]);
}

/** Chromium logs a failed request as a console error: the 401 of GET /api/session is how a page learns nobody is signed in yet. */
export const isSignedOutProbe = (consoleText: string): boolean => /status of 401 \(Unauthorized\)/.test(consoleText);

let staffMade = 0;

/** A new local user with these roles (every role by default), signed in on this browser by their cookie. */
export async function signInNewStaff(context: BrowserContext, h: Harness, roles: Role[] = ['reception', 'analyst', 'admin'], name = 'Vera Växel'): Promise<StaffSession> {
  const staff = await staffSession(h, `staff${++staffMade}.${process.pid}@example.se`, roles, name);
  await useSession(context, h, staff);
  return staff;
}

/** A tab whose page errors and console errors (but the signed-out probe) are kept to be checked. */
export interface WatchedTab {
  page: Page;
  errors: string[];
}

/**
 * The tabs a test opens: closed after it, with every error they saw returned for the test to check.
 * Given the service's address, a request to anywhere else (but a data: URL) is one of those errors:
 * the dashboard loads from the service alone.
 */
export class WatchedTabs {
  private tabs: WatchedTab[] = [];

  constructor(private readonly serviceUrl?: () => string) {}

  async open(context: BrowserContext): Promise<WatchedTab> {
    const page = await context.newPage();
    const tab = { page, errors: [] as string[] };
    this.tabs.push(tab);
    page.on('pageerror', (err) => tab.errors.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !isSignedOutProbe(m.text())) tab.errors.push(`console: ${m.text()}`);
    });
    if (this.serviceUrl) {
      const base = this.serviceUrl();
      const socket = base.replace(/^http/, 'ws');
      page.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(base) && !url.startsWith(socket) && !url.startsWith('data:')) tab.errors.push(`foreign request: ${url}`);
      });
    }
    return tab;
  }

  /** The tab showing this page (for a test that checks an error it provoked on purpose). */
  of(page: Page): WatchedTab {
    const tab = this.tabs.find((t) => t.page === page);
    if (!tab) throw new Error('not a tab opened here, or already closed or kept');
    return tab;
  }

  /** Takes the page's tab out of the list, for one kept across tests: closing it and checking its errors are then the caller's. */
  keep(page: Page): WatchedTab {
    const tab = this.of(page);
    this.tabs.splice(this.tabs.indexOf(tab), 1);
    return tab;
  }

  /** Forgets the errors seen so far: for the refusals a test provokes on purpose (Chromium logs each as an error). */
  forgetErrors(): void {
    for (const t of this.tabs) t.errors.length = 0;
  }

  async closeAll(): Promise<string[]> {
    const tabs = this.tabs.splice(0);
    for (const t of tabs) await t.page.close();
    return tabs.flatMap((t) => t.errors);
  }
}
