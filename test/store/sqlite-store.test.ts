import { embeddedStores } from '../helpers/store-factories';
import { runStoreContract } from './store-contract';

runStoreContract(embeddedStores('callpath-store-'));
