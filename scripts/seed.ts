/**
 * Demo traffic through the real webhooks: virtual callers against in-process services with manual
 * clocks, written into the configured store (DATA_DIR, or MONGODB_URI). Stop the service first when
 * it uses the embedded store: two processes must not write the same folder.
 *
 *   npm run seed -- --calls 3000 --days 42 --seed 1 --lanes 2
 *
 * Options: --calls N (default 3000), --days N (default 42, ending now), --switch-after DAYS (default
 * half way), --seed N (default 1), --lanes N (services playing calls side by side, default 2).
 * Without PSEUDONYM_KEYS/API_TOKEN it runs with the development defaults (DEV_MODE).
 */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { seedTraffic } from '../src/sim/seed';
import { openStore } from '../src/store/open';
import { answerHelp } from './usage';

const USAGE = `npm run seed -- [options]: demo traffic through the real webhooks into the configured store
(DATA_DIR, or MONGODB_URI). Stop the service first when it uses the embedded store.

  --calls N          calls to play (default 3000)
  --days N           days they spread over, ending now (default 42)
  --switch-after N   day the flow changes version (default half way)
  --seed N           random seed (default 1)
  --lanes N          services playing calls side by side (default 2)
  --help, -h         this text`;

function option(argv: string[], name: string): number | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  const argv = process.argv.slice(2);
  const known = new Set(['--calls', '--days', '--switch-after', '--seed', '--lanes']);
  argv.forEach((a, i) => {
    if (i % 2 === 0 && !known.has(a)) throw new Error(`unknown option ${a} (known: ${[...known].join(', ')})`);
  });
  const config = loadConfig({ DEV_MODE: 'true', ...process.env });
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const store = await openStore(config, log);
  const total = option(argv, 'calls') ?? 3000;
  let lastShown = 0;
  try {
    const result = await seedTraffic({
      config,
      store,
      log,
      calls: total,
      days: option(argv, 'days'),
      switchAfterDays: option(argv, 'switch-after'),
      seed: option(argv, 'seed'),
      lanes: option(argv, 'lanes'),
      onProgress: (done) => {
        if (done - lastShown >= 500 || done === total) {
          lastShown = done;
          process.stdout.write(`  ${done}/${total} calls\n`);
        }
      },
    });
    console.log(`seeded ${result.calls} calls from ${result.from} to ${result.to} in ${(result.ms / 1000).toFixed(1)} s (${result.callsPerSecond} calls/s) into the ${store.kind} store`);
    console.log(`flow ${result.flowId}: ${result.before.calls} calls on ${result.before.version}, then from ${result.switchedAt} ${result.after.calls} on ${result.after.version} (a person's no-answer goes straight to the operator)`);
    if (result.errors) console.log(`warning: ${result.errors} calls ended in an error`);
    console.log(`compare: GET /api/metrics/compare?flow=${result.flowId}&a=${result.before.version}&b=${result.after.version}`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`seed: ${(err as Error).message}`);
  process.exit(1);
});
