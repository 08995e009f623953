import { mongoStores } from '../helpers/store-factories';
import { runStoreContract } from './store-contract';
import { mongoTestUri } from '../helpers/prerequisites';

/**
 * Runs the store contract against a real MongoDB wire-protocol server: FerretDB in CI (started by
 * scripts/test.sh), or any MongoDB given in MONGODB_TEST_URI. A missing server fails the suite.
 */
// A fresh database per test keeps tests independent.
runStoreContract(mongoStores(mongoTestUri(), 'callpath_contract'));
