import mongoose from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { mongoTestUri, UNIT_SCOPE } from '../helpers/prerequisites';
import { embeddedStores, mongoStores } from '../helpers/store-factories';
import { AUDIT_TEST_PAGE, auditEntry, runIdentityContract } from './identity-contract';

/**
 * The identity contract on the embedded store, and on MongoDB (FerretDB, started by npm test; left
 * out by npm run test:unit), both reading the audit trail in small pages.
 */
runIdentityContract(embeddedStores('callpath-identity-', { open: async (dir) => SqliteStore.open(dir, { auditPageSize: AUDIT_TEST_PAGE }) }));

if (!UNIT_SCOPE) {
  runIdentityContract(mongoStores(mongoTestUri(), 'callpath_identity', { auditPageSize: AUDIT_TEST_PAGE }));

  /**
   * Each instance appends one entry at a time (see MongoIdentityStore.appendAudit), so within one
   * process appends never race: two connections are two instances, whose appends do, and the
   * duplicate seq is what makes the loser try again.
   */
  test('two instances appending to the audit trail at once: seq 1..40 without gaps, each entry linked to the one before', async () => {
    const u = new URL(mongoTestUri());
    u.pathname = `/callpath_identity_two_${process.pid}`;
    const log = createLogger('silent');
    const [one, two] = await Promise.all([MongoStore.connect(u.toString(), log), MongoStore.connect(u.toString(), log)]);
    try {
      const append = (store: MongoStore, who: string) =>
        Promise.all(Array.from({ length: 20 }, (_, i) => store.identity.appendAudit(auditEntry({ at: new Date(Date.UTC(2026, 2, 2, 8, 0, i)).toISOString(), actor: `user:${who}@kommun.example`, action: 'call.timeline.read' }))));
      await Promise.all([append(one, 'one'), append(two, 'two')]);
      const stored = await one.identity.listAudit({});
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (let i = 1; i < stored.length; i++) expect(stored[i].prevHash).toBe(stored[i - 1].hash);
      expect(stored.filter((e) => e.actor === 'user:one@kommun.example')).toHaveLength(20);
    } finally {
      await one.close();
      await two.close();
      const c = await mongoose.createConnection(u.toString()).asPromise();
      await c.dropDatabase();
      await c.close();
    }
  });
}
