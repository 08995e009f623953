/**
 * The demo: the service with the embedded store and the demo flow, development tokens, and on the
 * first start a few weeks of demo traffic played through the real webhooks so the dashboard has
 * something to show (set DEMO_SEED_CALLS=0 to start empty).
 */
import { loadConfig, type Config } from '../src/config';
import { createIdentity } from '../src/identity/create';
import type { Store } from '../src/store/store';
import { createLogger } from '../src/log';
import { demoUsersIfNone } from '../src/sim/demo-users';
import { seedTraffic } from '../src/sim/seed';
import { openStore } from '../src/store/open';
import { hasLegacyStore } from '../src/store/sqlite/legacy-import';
import { answerHelp } from './usage';

const USAGE = `npm run demo: the service with the embedded store in DATA_DIR (default ./data), the demo flow and
development tokens; on the first start a few weeks of demo traffic (DEMO_SEED_CALLS, default 800;
0 starts empty). Stop it with Ctrl-C.

  --help, -h         this text`;

/** The demo users' sign-ins, printed on the first start only: the store keeps no password in clear. */
async function demoUsers(config: Config, store: Store): Promise<void> {
  const made = await demoUsersIfNone(createIdentity(store.identity, config.identity, Date.now));
  if (!made.length) return;
  console.log('demo: sign in to the dashboard as one of these (shown this once; each chooses a new password at first sign-in):');
  for (const u of made) console.log(`  ${u.role.padEnd(10)} ${u.email.padEnd(27)} ${u.temporaryPassword}`);
}

async function prepare(): Promise<void> {
  const config = loadConfig(process.env);
  const calls = Number(process.env.DEMO_SEED_CALLS ?? 800);
  if (config.store !== 'embedded') return;
  // A data folder of an earlier version: the service imports it at start (the store refuses to open before).
  if (hasLegacyStore(config.dataDir)) return;
  const log = createLogger('warn');
  const store = await openStore(config, log);
  try {
    if (calls > 0 && !(await store.listJourneys({ limit: 1 })).length) {
      console.log(`demo: first start, playing ${calls} demo calls over six weeks through the webhooks (DEMO_SEED_CALLS=0 skips this)…`);
      const r = await seedTraffic({ config, store, log, calls });
      console.log(`demo: ${r.calls} calls seeded in ${(r.ms / 1000).toFixed(1)} s; the flow changed on ${r.switchedAt.slice(0, 10)}`);
    }
    await demoUsers(config, store);
  } finally {
    await store.close();
  }
}

/**
 * A signal to `npm run demo` stops npm but not this process, which npm does not pass it on to: the
 * service would go on holding its port. So it stops as it would on SIGTERM once npm is gone (the
 * process then has another parent). Ctrl-C reaches both anyway.
 */
function stopWithParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}

async function demo(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  stopWithParent();
  process.env.DEV_MODE ??= 'true';
  await prepare();
  console.log('demo: dashboard at http://localhost:%s/  (scripts: Authorization: Bearer dev-api-token-change-me)', process.env.PORT ?? '3000');
  console.log('demo: try a call: npm run call -- --digits 5,4711,0 --no-answer --survey 5,4,1');
  require('../src/main');
}

demo().catch((err) => {
  console.error(`demo: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
