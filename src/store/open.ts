import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import { StoreLoadError } from '../errors';
import type { Logger } from '../log';
import { OpeningStore, type OpenProgress, type StoreOpener } from './opening-store';
import { hasLegacyStore, importLegacyStore, LEGACY_STORE_FOLDER } from './sqlite/legacy-import';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store';
import type { Store } from './store';

type StoreConfig = Pick<Config, 'store' | 'mongoUri' | 'dataDir'>;

/**
 * Opens the configured store (tools, scripts). The Mongo adapter is loaded only when used, so the
 * embedded default needs no driver set-up. A data folder in the old format is not imported here: the
 * tool refuses and says how (the service imports it at start, or `npm run store:import`).
 */
export async function openStore(config: StoreConfig, log: Logger): Promise<Store> {
  if (config.store === 'mongo') {
    const { MongoStore } = await import('./mongo/mongo-store');
    return MongoStore.connect(config.mongoUri!, log);
  }
  if (hasLegacyStore(config.dataDir)) {
    throw new StoreLoadError(
      `${config.dataDir}/${LEGACY_STORE_FOLDER} holds calls in the store format of earlier versions. Import them first with \`npm run store:import\` (or start the service, which imports them), then run this again.`,
      { dataDir: config.dataDir },
    );
  }
  return SqliteStore.open(config.dataDir);
}

/** The service's store: opened in the background while the service already answers webhooks (see OpeningStore). */
export function openStoreInBackground(config: StoreConfig, log: Logger, embedded: SqliteStoreOptions = {}): OpeningStore {
  if (config.store === 'mongo') return new OpeningStore('mongo', connectMongo(config.mongoUri!, log), { watches: true });
  return new OpeningStore('embedded', openEmbedded(config.dataDir, log, { store: embedded }));
}

/**
 * The embedded store. Opening it takes milliseconds; the one long open is the first start on a data
 * folder of an earlier version, whose calls are imported first (minutes for a large municipality's
 * year), with webhooks answered and journaled meanwhile and the progress in /healthz.
 */
export function openEmbedded(dataDir: string, log: Logger, opts: { pace?: (p: OpenProgress) => Promise<void> | void; store?: SqliteStoreOptions } = {}): StoreOpener {
  return async ({ signal, progress }) => {
    if (hasLegacyStore(dataDir)) {
      const started = Date.now();
      log.info({ dataDir }, 'embedded store: importing the data folder of an earlier version into SQLite; webhooks are answered meanwhile');
      const report = await importLegacyStore(dataDir, {
        signal,
        onProgress: (p) => {
          progress(p);
          return opts.pace?.(p);
        },
      });
      log.info({ durationMs: Date.now() - started, ...report }, `embedded store: imported; the old files are kept in ${LEGACY_STORE_FOLDER}.imported (remove them once you trust the new store)`);
    }
    return SqliteStore.open(dataDir, opts.store);
  };
}

/**
 * Connects to MongoDB, trying again with backoff while the database is not reachable (it may start
 * after the service): the service answers webhooks meanwhile, as it does when the database goes
 * away later.
 */
function connectMongo(uri: string, log: Logger): StoreOpener {
  return async ({ signal }) => {
    const { MongoStore } = await import('./mongo/mongo-store');
    for (let attempt = 1; ; attempt++) {
      try {
        return await MongoStore.connect(uri, log);
      } catch (err) {
        signal.throwIfAborted();
        if (attempt === 1 || attempt % 10 === 0) log.warn({ err: (err as Error).message, attempt }, 'MongoDB not reachable; trying again');
        await sleep(Math.min(30_000, 500 * 2 ** attempt), undefined, { signal });
      }
    }
  };
}
