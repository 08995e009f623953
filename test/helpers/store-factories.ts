import fs from 'node:fs';
import mongoose from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore, type MongoConnectOptions } from '../../src/store/mongo/mongo-store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import type { StoreFactory } from '../store/store-contract';
import { tempDir } from './harness';
import { mongoTestUri, UNIT_SCOPE } from './prerequisites';

/** A store a test opens fresh, reopens as a restarted process would find it, and removes afterwards. */
export interface ReopenableStoreFactory extends StoreFactory {
  reopen(previous: Store): Promise<Store>;
  cleanup(): Promise<void>;
}

/** An embedded (SQLite) store in a new temporary folder for each open(), unless `open` says how to open the folder. */
export function embeddedStores(
  dirPrefix: string,
  { name = 'embedded', open = async (dir: string): Promise<Store> => SqliteStore.open(dir) }: { name?: string; open?: (dir: string) => Promise<Store> } = {},
): ReopenableStoreFactory {
  let dir = '';
  return {
    name,
    async open() {
      dir = tempDir(dirPrefix);
      return open(dir);
    },
    async reopen(previous) {
      await previous.close();
      return open(dir);
    },
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server at `baseUri` for each open(), so tests stay independent; dropped by cleanup(). */
export function mongoStores(baseUri: string, dbPrefix: string, opts: MongoConnectOptions = {}): ReopenableStoreFactory {
  const log = createLogger('silent');
  let n = 0;
  let uri = '';
  return {
    name: 'mongo',
    async open() {
      const u = new URL(baseUri);
      u.pathname = `/${dbPrefix}_${process.pid}_${++n}`;
      uri = u.toString();
      return MongoStore.connect(uri, log, opts);
    },
    async reopen(previous) {
      await previous.close();
      return MongoStore.connect(uri, log, opts);
    },
    async cleanup() {
      const c = await mongoose.createConnection(uri).asPromise();
      await c.dropDatabase();
      await c.close();
    },
  };
}

/** The embedded store and MongoDB (scripts/test.sh starts FerretDB); the embedded store alone in `npm run test:unit`. */
export function embeddedAndMongoStores(dirPrefix: string, dbPrefix: string): ReopenableStoreFactory[] {
  return [embeddedStores(dirPrefix), ...(UNIT_SCOPE ? [] : [mongoStores(mongoTestUri(), dbPrefix)])];
}
