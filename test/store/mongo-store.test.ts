import mongoose from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { runStoreContract } from './store-contract';

/**
 * Runs the store contract against a real MongoDB wire-protocol server: FerretDB in CI (started by
 * scripts/test.sh), or any MongoDB given in MONGODB_TEST_URI. In CI a missing server is a failure.
 */
const uri = process.env.MONGODB_TEST_URI;
const log = createLogger('silent');

if (!uri) {
  test('MONGODB_TEST_URI is set (the Mongo store must be tested against a real server)', () => {
    if (process.env.CI) throw new Error('MONGODB_TEST_URI is not set in CI: scripts/test.sh should have started FerretDB');
    console.warn('MONGODB_TEST_URI not set: the Mongo store contract is not run here (npm test starts FerretDB and sets it)');
  });
} else {
  let n = 0;
  let dbUri = '';
  runStoreContract({
    name: 'mongo',
    async open() {
      // A fresh database per test keeps tests independent.
      const u = new URL(uri);
      u.pathname = `/callpath_contract_${process.pid}_${++n}`;
      dbUri = u.toString();
      return MongoStore.connect(dbUri, log);
    },
    async reopen(previous) {
      await previous.close();
      return MongoStore.connect(dbUri, log);
    },
    async cleanup() {
      const c = await mongoose.createConnection(dbUri).asPromise();
      await c.dropDatabase();
      await c.close();
    },
  });
}
