import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';

/**
 * The project root: the folder with package.json and src/web. Found by walking up, so the same
 * code serves the assets from ts-jest (src/api) and from a build (dist/src/api); tsc does not copy
 * the assets, and they need not be copied.
 */
export function findProjectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'web', 'index.html'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`dashboard assets (src/web/index.html) not found above ${from}`);
    dir = up;
  }
}

export interface DashboardPagesOptions {
  /** Where the page assets are; src/web of the project by default. */
  webDir?: string;
  /** Where echarts.min.js is; the installed package by default. */
  echartsFile?: string;
}

/**
 * The dashboard (GET /, and GET /signin for its sign-in view) and the printable monthly report (GET /report), with their scripts, styles
 * and the chart library, all from this server: the pages work on a network without internet.
 * The pages hold no data; every figure comes from the authenticated API and the live socket.
 */
export function dashboardPages(opts: DashboardPagesOptions = {}): express.Router {
  const webDir = opts.webDir ?? path.join(findProjectRoot(), 'src', 'web');
  const echartsFile = opts.echartsFile ?? require.resolve('echarts/dist/echarts.min.js');
  const r = express.Router();

  r.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // ECharts positions its tooltip through element.style, which CSP allows; no inline <style> or style="" is used.
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Served over plain http on an internal network too; upgrading would break that.
      strictTransportSecurity: false,
    }),
  );

  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(webDir, file));
  };
  r.get('/', page('index.html'));
  // The sign-in view is the dashboard's; its own address is where the identity provider's failures land.
  r.get('/signin', page('index.html'));
  r.get('/report', page('report.html'));
  r.get('/assets/echarts.min.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res.sendFile(echartsFile);
  });
  r.use('/assets', express.static(webDir, { index: false, fallthrough: false, maxAge: 0, etag: true, extensions: false }));
  return r;
}
