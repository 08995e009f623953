import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** The axe-core version the accessibility tests were written against (a devDependency). */
export const AXE_CORE = 'axe-core@4.14.1';

/**
 * axe-core's browser bundle, from the installed package. A missing package is a failure that says
 * how to install it, never a skipped test.
 */
export function axeSource(): string {
  let file: string;
  try {
    file = require.resolve('axe-core/axe.min.js');
  } catch {
    throw new Error(`axe-core is not installed: the accessibility tests need it (devDependency ${AXE_CORE}). Run \`npm install\` (or \`npm ci\`).`);
  }
  return fs.readFileSync(file, 'utf8');
}

export interface AxeFinding {
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe on the page as it is shown and returns the serious and critical violations, with how
 * many rules passed (so a run that checked nothing shows). The bundle is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy (script-src 'self') does not govern.
 */
export async function seriousViolations(page: Page): Promise<{ violations: AxeFinding[]; passes: number }> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(axeSource());
  return page.evaluate(`axe.run(document, { resultTypes: ['violations', 'passes'] }).then((r) => ({
    passes: r.passes.length,
    violations: r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')) })),
  }))`);
}

/** Fails the test on any serious or critical violation where the page is now, naming where; a run that checked nothing fails too. */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const { violations, passes } = await seriousViolations(page);
  expect(passes).toBeGreaterThan(10);
  expect({ where, violations }).toEqual({ where, violations: [] });
}
