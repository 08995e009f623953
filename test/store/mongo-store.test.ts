import { mongoStores } from '../helpers/store-factories';
import { runStoreContract } from './store-contract';

/**
 * Runs the store contract against a real MongoDB wire-protocol server: FerretDB in CI (started by
 * scripts/test.sh), or any MongoDB given in MONGODB_TEST_URI. In CI a missing server is a failure.
 */
const uri = process.env.MONGODB_TEST_URI;

if (!uri) {
  test('MONGODB_TEST_URI is set (the Mongo store must be tested against a real server)', () => {
    if (process.env.CI) throw new Error('MONGODB_TEST_URI is not set in CI: scripts/test.sh should have started FerretDB');
    console.warn('MONGODB_TEST_URI not set: the Mongo store contract is not run here (npm test starts FerretDB and sets it)');
  });
} else {
  // A fresh database per test keeps tests independent.
  runStoreContract(mongoStores(uri, 'callpath_contract'));
}
