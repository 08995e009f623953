import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { EmbeddedStore } from './embedded/embedded-store';
import type { Store } from './store';

/** Opens the configured store. The Mongo adapter is loaded only when used, so the embedded default needs no driver set-up. */
export async function openStore(config: Pick<Config, 'store' | 'mongoUri' | 'dataDir'>, log: Logger): Promise<Store> {
  if (config.store === 'mongo') {
    const { MongoStore } = await import("./mongo/mongo-store");
    return MongoStore.connect(config.mongoUri!, log);
  }
  return EmbeddedStore.open(path.join(config.dataDir, 'store'), log);
}
