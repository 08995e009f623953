import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness';
import { launchChromium, signInNewStaff } from './browser';

jest.setTimeout(120_000);

interface Box {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The flow picture is readable: on the demo flow, at a desktop width and a phone's, no two texts of
 * the picture (the nodes' names, the arrows' keys and reasons) lie on top of each other. Read from
 * the drawn chart itself: every text element ECharts put on its canvas, with its box on screen.
 */
describe('the flow picture at 1280 px and 390 px', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    h = await startHarness();
    browser = await launchChromium();
    await signInNewStaff(browser.context, h, ['analyst', 'admin']);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function texts(page: Page): Promise<Box[]> {
    await page.goto(`${h.baseUrl}/#menus`);
    await page.locator('#chart-flow canvas').waitFor();
    // Drawn without animation (reduced motion): the boxes are final once the chart has rendered.
    // (A function, not a string: the page's CSP allows no eval.)
    // Each line of a label is a tspan on the canvas. (A function, not a string: the page's CSP allows no eval.)
    await page.waitForFunction(() => {
      const g = globalThis as any;
      const c = g.echarts.getInstanceByDom(g.document.querySelector('#chart-flow'));
      return !!c && c.getZr().storage.getDisplayList(true).some((el: { type: string }) => el.type === 'tspan');
    });
    return page.evaluate(`(() => {
      const chart = echarts.getInstanceByDom(document.querySelector('#chart-flow'));
      const out = [];
      for (const el of chart.getZr().storage.getDisplayList(true)) {
        if (el.type !== 'tspan' || el.ignore || el.invisible || !el.style || !el.style.text) continue;
        const r = el.getBoundingRect().clone();
        r.applyTransform(el.getComputedTransform());
        if (r.width > 0 && r.height > 0) out.push({ text: String(el.style.text), x: r.x, y: r.y, w: r.width, h: r.height });
      }
      return out;
    })()`);
  }

  function overlaps(boxes: Box[]): string[] {
    const found: string[] = [];
    // A pixel of slack: neighbouring texts may touch at their edges.
    const hit = (a: Box, b: Box) => a.x + 1 < b.x + b.w && b.x + 1 < a.x + a.w && a.y + 1 < b.y + b.h && b.y + 1 < a.y + a.h;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (hit(boxes[i], boxes[j])) found.push(`"${boxes[i].text}" over "${boxes[j].text}"`);
    return found;
  }

  test.each([
    [1280, 900],
    [390, 844],
  ])('at %i px wide no two texts of the demo flow overlap, and only the picture scrolls sideways', async (width, height) => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height });
    await page.addInitScript(`localStorage.setItem('callpath.lang', 'sv')`);
    const boxes = await texts(page);
    // Every node of the demo flow and the arrows' labels are drawn: a check of nothing would pass.
    expect(boxes.length).toBeGreaterThan(15);
    expect(overlaps(boxes)).toEqual([]);
    // The demo flow's columns need more than either width: the picture scrolls sideways in its frame, the page never does.
    const widths = (await page.evaluate(`(() => { const f = document.querySelector('.chart-scroll'); return { page: document.scrollingElement.scrollWidth, frame: f.clientWidth, picture: f.scrollWidth }; })()`)) as { page: number; frame: number; picture: number };
    expect(widths.page).toBeLessThanOrEqual(width);
    expect(widths.frame).toBeLessThan(width);
    expect(widths.picture).toBeGreaterThan(widths.frame);
    await page.close();
  });
});
