/**
 * One service instance's ingestion as a process of its own, for two-instance-kill.test.ts: it connects
 * to the MongoDB named, optionally repairs its rollup leftovers first (tried again until done, as the
 * service does every minute), delivers the deliveries of a JSON file one after the other, and prints
 * one JSON line per step. With `killAtRollupWrite` it sends itself SIGKILL as its nth rollup write
 * begins: its journeys are stored, its rollup delta is not, and nothing of it runs afterwards.
 *
 *   node --import tsx ingest-instance.ts '{"uri":…,"instanceId":…,"deliveriesFile":…,"killAtRollupWrite":3,"repairFirst":true,"pauseMs":20}'
 */
import fs from 'node:fs';
import { ErrorCodes } from '../../../src/errors';
import { Ingestor } from '../../../src/ingest/ingestor';
import type { CallEvent } from '../../../src/journey/events';
import { createLogger } from '../../../src/log';
import { createRollupContribution } from '../../../src/metrics/contribution';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import type { Store } from '../../../src/store/store';

interface Options {
  uri: string;
  instanceId: string;
  deliveriesFile: string;
  killAtRollupWrite?: number;
  repairFirst?: boolean;
  /** Between deliveries: the other instance's repair finds moments when no group of this one runs. */
  pauseMs?: number;
}

const say = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify({ ...line, at: Date.now() }) + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2]) as Options;
  const deliveries = JSON.parse(fs.readFileSync(opts.deliveriesFile, 'utf8')) as CallEvent[][];
  const real = await MongoStore.connect(opts.uri, createLogger('silent'));
  let store: Store = real;
  if (opts.killAtRollupWrite) {
    let writes = 0;
    store = Object.create(real) as Store;
    store.applyRollups = async (deltas) => {
      if (++writes === opts.killAtRollupWrite) {
        say({ killed: writes });
        process.kill(process.pid, 'SIGKILL');
        await new Promise<never>(() => undefined);
      }
      return real.applyRollups(deltas);
    };
  }
  const ingestor = new Ingestor({
    store,
    contribution: createRollupContribution({ timeZone: 'Europe/Stockholm' }),
    instanceId: opts.instanceId,
    clearIntentsAfterMs: 0,
  });
  if (opts.repairFirst) {
    for (let attempt = 1; ; attempt++) {
      try {
        say({ repaired: await ingestor.repairRollups(), attempt });
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== ErrorCodes.ROLLUP_REPAIR_BUSY || attempt >= 200) throw err;
        say({ repairBusy: attempt });
        await sleep(20);
      }
    }
  }
  for (let i = 0; i < deliveries.length; i++) {
    await ingestor.ingest(deliveries[i]);
    say({ delivered: i });
    if (opts.pauseMs) await sleep(opts.pauseMs);
  }
  await ingestor.close();
  await real.close();
  say({ done: true });
}

main().catch((err) => {
  say({ error: String((err as Error).stack ?? err) });
  process.exit(1);
});
