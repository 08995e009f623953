import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import type { Logger } from '../log';
import { EmbeddedStore } from './embedded/embedded-store';
import { OpeningStore, type OpenProgress, type StoreOpener } from './opening-store';
import type { Store } from './store';

type StoreConfig = Pick<Config, 'store' | 'mongoUri' | 'dataDir'>;

/** Opens the configured store and waits for it (tools, scripts). The Mongo adapter is loaded only when used, so the embedded default needs no driver set-up. */
export async function openStore(config: StoreConfig, log: Logger): Promise<Store> {
  if (config.store === 'mongo') {
    const { MongoStore } = await import('./mongo/mongo-store');
    return MongoStore.connect(config.mongoUri!, log);
  }
  return EmbeddedStore.open(path.join(config.dataDir, 'store'), log);
}

/** The service's store: opened in the background while the service already answers webhooks (see OpeningStore). */
export function openStoreInBackground(config: StoreConfig, log: Logger): OpeningStore {
  if (config.store === 'mongo') return new OpeningStore('mongo', connectMongo(config.mongoUri!, log), { watches: true });
  return new OpeningStore('embedded', loadEmbedded(path.join(config.dataDir, 'store'), log));
}

/** The embedded store's load, with its start and end in the log (sizes and counts, never a caller). */
export function loadEmbedded(dir: string, log: Logger, opts: { chunkBytes?: number; pace?: (p: OpenProgress) => Promise<void> | void } = {}): StoreOpener {
  return async ({ signal, progress }) => {
    const started = Date.now();
    let last: OpenProgress = { bytesRead: 0, bytesTotal: 0 };
    log.info({ dir }, 'embedded store: loading in the background; webhooks are answered meanwhile');
    const store = await EmbeddedStore.load(dir, {
      log,
      signal,
      chunkBytes: opts.chunkBytes,
      onProgress: (p) => {
        last = p;
        progress(p);
        return opts.pace?.(p);
      },
    });
    log.info({ durationMs: Date.now() - started, bytes: last.bytesRead, ...store.loadReport }, 'embedded store: loaded');
    return store;
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
