/**
 * Rebuilds every rollup from the stored events (after a change to the metrics contribution, the
 * TIME_ZONE, or to repair). Stop the service first: calls ingested meanwhile would be missed.
 *
 *   npm run rollups:rebuild
 */
import { loadToolConfig } from '../src/config';
import { createLogger } from '../src/log';
import { createRollupContribution } from '../src/metrics/contribution';
import { rebuildRollups } from '../src/metrics/rebuild';
import { openStore } from '../src/store/open';
import { answerHelp } from './usage';

const USAGE = `npm run rollups:rebuild: rebuilds every rollup from the stored events (after a change to the
metrics or TIME_ZONE). Stop the service first: calls ingested meanwhile would be missed.

  --help, -h         this text`;

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  const config = loadToolConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const store = await openStore(config, log);
  try {
    const started = Date.now();
    const result = await rebuildRollups(store, {
      contribution: createRollupContribution({ timeZone: config.timeZone }),
      batchSize: 1000,
      onProgress: (calls) => {
        const s = (Date.now() - started) / 1000;
        process.stdout.write(`  ${calls} calls, ${Math.round(calls / s)} calls/s\n`);
      },
    });
    const perSecond = result.ms > 0 ? Math.round((result.calls / result.ms) * 1000) : result.calls;
    console.log(
      `rebuilt rollups of ${result.calls} calls in ${(result.ms / 1000).toFixed(1)} s (${perSecond} calls/s, ${result.rollupWrites} rollup writes, ${result.journeysRewritten} journeys re-projected) in the ${store.kind} store (time zone ${config.timeZone})`,
    );
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`rollups:rebuild: ${(err as Error).message}`);
  process.exit(1);
});
