import { startHarness, type Harness } from '../helpers/harness';
import { expectNoSeriousViolations } from './axe';
import { launchChromium, signInNewStaff } from './browser';

jest.setTimeout(120_000);

/**
 * Statistik's "Ringde igen": a resident who rang Sara Holm, got no answer, and rang again the next
 * day counts as calling again; the table names the extension sought, never the caller.
 */
describe('repeat callers on Statistik, in Chromium', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    h = await startHarness();
    const resident = '+46705550123';
    await h.caller.call({ from: resident, digits: ['5', '4713', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 30 } });
    h.clock.advance(86_400_000);
    await h.caller.call({ from: resident, digits: ['5', '4713', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 30 } });
    await h.caller.call({ from: '+46705550999', digits: ['5', '4713', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 30 } });
    await h.settle();
    browser = await launchChromium();
    await signInNewStaff(browser.context, h, ['analyst']);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test.each(['sv', 'en'] as const)('the person sought, their calls and the repeats, beside the survey (%s)', async (lang) => {
    const page = await browser.context.newPage();
    await page.addInitScript(`localStorage.setItem('callpath.lang', '${lang}')`);
    await page.goto(`${h.baseUrl}/#metrics`);
    await page.locator('#view-metrics[data-state="ready"]').waitFor();
    await page.locator('#repeat-stats:not([hidden])').waitFor();
    const rows = await page.locator('#repeat-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    // A person by extension, as everywhere in the statistics: they measure the switchboard, not staff.
    const sara = rows.find((r) => r[0] === (lang === 'sv' ? 'Anknytning 4713' : 'Extension 4713'))!;
    // Percent as each language writes it: "33 %" in Swedish, "33%" in English.
    expect(sara.slice(1, 3)).toEqual(['3', lang === 'sv' ? expect.stringMatching(/^1 \(33\s%\)$/) : '1 (33%)']);
    expect(rows[rows.length - 1][0]).toBe(lang === 'sv' ? 'Alla samtal' : 'All calls');
    expect(JSON.stringify(rows)).not.toContain('555');
    await expectNoSeriousViolations(page, `${lang} repeat callers`);
    await page.close();
  });
});
