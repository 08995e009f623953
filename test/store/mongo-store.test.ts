import mongoose from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { mongoStores } from '../helpers/store-factories';
import { runStoreContract } from './store-contract';
import { mongoTestUri } from '../helpers/prerequisites';

/**
 * Runs the store contract against a real MongoDB wire-protocol server: FerretDB in CI (started by
 * scripts/test.sh), or any MongoDB given in MONGODB_TEST_URI. A missing server fails the suite.
 */
// A fresh database per test keeps tests independent.
runStoreContract(mongoStores(mongoTestUri(), 'callpath_contract'));

/**
 * What the multi-instance guarantees rest on: MongoDB updates each document atomically. FerretDB 1.x
 * alone does not (an update is a query and then a write; FerretDB issue #3040), so the test server
 * lets one write through at a time (tools/ferretdb/serialize_writes.go). Without that, this lost
 * about 40 % of the increments.
 */
test('two connections incrementing the same rollups and scope version at once: every increment counts', async () => {
  const u = new URL(mongoTestUri());
  u.pathname = `/callpath_atomic_${process.pid}`;
  const log = createLogger('silent');
  const [one, two] = await Promise.all([MongoStore.connect(u.toString(), log), MongoStore.connect(u.toString(), log)]);
  try {
    const hour = '2026-03-02T08:00:00.000Z';
    const delta = { flowId: 'vaxel', flowVersion: 'v1', hour, dim: 'call', counts: { calls: 1 } };
    const intent = (who: string, i: number) => ({ id: `${who}:${i}`, owner: who, at: 0, hours: [hour] });
    const writer = async (store: MongoStore, who: string) => {
      for (let i = 0; i < 60; i++) {
        await store.writeRollupIntents([intent(who, i)], i ? [`${who}:${i - 1}`] : []);
        await store.applyRollups([delta]);
      }
    };
    await Promise.all([writer(one, 'a'), writer(two, 'b')]);
    const [rollup] = await one.queryRollups({ from: hour, to: '2026-03-02T09:00:00.000Z' });
    expect(rollup.counts).toEqual({ calls: 120 });
    expect((await one.rollupScopeVersions([`hour:${hour}`])).get(`hour:${hour}`)).toBe(120);
  } finally {
    await one.close();
    await two.close();
    const c = await mongoose.createConnection(u.toString()).asPromise();
    await c.dropDatabase();
    await c.close();
  }
});
