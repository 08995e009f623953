import fs from 'node:fs';
import { StoreNotReadyError } from '../../src/errors';
import { OpeningStore } from '../../src/store/opening-store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { staffUser } from './identity-contract';

/** The identity store of a store still opening fails like every other operation, then is the open store's. */
describe('OpeningStore.identity', () => {
  test('rejects with STORE_LOADING while the store opens, then reaches the open store', async () => {
    let finish!: (s: Store) => void;
    const opening = new OpeningStore('embedded', () => new Promise<Store>((r) => (finish = r)));
    // A rejection, not a throw: callers that only await see it.
    const pending = opening.identity.getUser('anna@kommun.example');
    await expect(pending).rejects.toBeInstanceOf(StoreNotReadyError);
    await expect(opening.identity.listUsers()).rejects.toMatchObject({ code: 'STORE_LOADING' });
    const records = opening.identity.auditRecords()[Symbol.asyncIterator]();
    await expect(records.next()).rejects.toMatchObject({ code: 'STORE_LOADING' });

    const dir = tempDir('callpath-opening-identity-');
    const real = SqliteStore.open(dir);
    finish(real);
    await opening.ready;
    await opening.identity.putUser(staffUser('anna@kommun.example'));
    expect(await real.identity.getUser('anna@kommun.example')).toEqual(staffUser('anna@kommun.example'));
    expect(await opening.identity.listUsers()).toHaveLength(1);
    await opening.close();
    await expect(opening.identity.listUsers()).rejects.toThrow();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('rejects with STORE_LOAD_FAILED once the open failed', async () => {
    const failed = new OpeningStore('embedded', async () => {
      throw new Error('disk gone');
    });
    await failed.ready.catch(() => undefined);
    await expect(failed.identity.auditAnchor()).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED' });
  });
});
