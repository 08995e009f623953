import type express from 'express';

export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/**
 * Every route registered on an Express app, with the paths its routers are mounted at: what the
 * access rules must cover (test/api/access-rules.test.ts walks them). Middleware (static files,
 * body parsers) is not a route.
 */
export function registeredRoutes(app: express.Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push({ method: m.toUpperCase(), path: join(prefix, p) });
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, join(prefix, typeof layer.rawPath === 'string' ? layer.rawPath : ''));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

function join(prefix: string, path: string): string {
  const base = prefix === '/' ? '' : prefix;
  const p = `${base}${path === '/' && base ? '' : path}`;
  return p || '/';
}
