import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import mongoose from 'mongoose';
import { AuditActions } from '../../src/identity/audit-actions';
import { AuditTrail } from '../../src/identity/audit-trail';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { SqliteStore, STORE_FILE } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { mongoTestUri, UNIT_SCOPE } from '../helpers/prerequisites';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const T0 = Date.parse('2026-12-05T08:00:00Z');

/** Six entries as a day at reception leaves them: sign-in, timelines read, an extract, sign-out. */
async function aDay(store: Store): Promise<AuditTrail> {
  let now = T0;
  const trail = new AuditTrail(store.identity, () => (now += 60_000));
  const actor = 'user:lena.berg@kommun.se';
  await trail.record({ actor, action: AuditActions.SIGNIN, object: 'lena.berg@kommun.se', address: '10.1.2.3', details: { via: 'local' } });
  for (let i = 1; i <= 3; i++) await trail.record({ actor, action: AuditActions.CALL_TIMELINE_READ, object: `CA${String(i).padStart(32, '0')}`, address: '10.1.2.3' });
  await trail.record({ actor: 'service:API_TOKEN', action: AuditActions.REGISTER_EXTRACT, object: 'k1:abcdef', address: '10.9.9.9' });
  await trail.record({ actor, action: AuditActions.SIGNOUT, object: 'lena.berg@kommun.se', address: '10.1.2.3' });
  return trail;
}

describe('audit:verify on the embedded store', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('callpath-audit-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verifyScript = () => {
    const { MONGODB_URI: _notHere, ...env } = process.env;
    return run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'audit-verify.ts')], { cwd: ROOT, env: { ...env, DATA_DIR: dir, STORE: 'embedded' } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  };

  test('a whole trail verifies; one changed record is reported at that record by npm run audit:verify', async () => {
    const store = await SqliteStore.open(dir);
    await aDay(store);
    await store.close();
    expect(await verifyScript()).toEqual({ code: 0, out: expect.stringContaining('the audit trail is whole (6 entries checked)') });

    // Someone with access to the file makes the third read look like another call's.
    const db = new Database(path.join(dir, STORE_FILE));
    db.prepare('UPDATE audit SET object = ? WHERE seq = 3').run('CA' + 'f'.repeat(32));
    db.close();
    const changed = await verifyScript();
    expect(changed.code).toBe(1);
    expect(changed.out).toContain('entry 3 does not hold: its content was changed after it was written (changed)');
  });

  test('a removed record is found where the gap is', async () => {
    const store = await SqliteStore.open(dir);
    await aDay(store);
    await store.close();
    const db = new Database(path.join(dir, STORE_FILE));
    db.prepare('DELETE FROM audit WHERE seq = 5').run();
    db.close();
    expect((await verifyScript()).out).toContain('entry 6 does not hold');
  });
});

if (!UNIT_SCOPE) {
  describe('audit verification on MongoDB', () => {
    let uri: string;
    let store: MongoStore;
    let c: mongoose.Connection;
    beforeEach(async () => {
      const u = new URL(mongoTestUri());
      u.pathname = `/callpath_audit_verify_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      uri = u.toString();
      store = await MongoStore.connect(uri, createLogger('silent'));
      c = await mongoose.createConnection(uri).asPromise();
    });
    afterEach(async () => {
      await store.close();
      await c.dropDatabase();
      await c.close();
    });

    test('a changed record is found at that record', async () => {
      const trail = await aDay(store);
      expect(await trail.verify()).toEqual({ ok: true, checked: 6 });
      await c.collection('audit').updateOne({ _id: 4 } as never, { $set: { actor: 'user:someone-else@kommun.se' } });
      expect(await trail.verify()).toEqual({ ok: false, checked: 4, firstBad: { seq: 4, problem: 'changed' } });
    });

    test('a removed record is found where the gap is', async () => {
      const trail = await aDay(store);
      await c.collection('audit').deleteOne({ _id: 2 } as never);
      expect((await trail.verify()).firstBad).toEqual({ seq: 3, problem: 'removed-or-reordered' });
    });
  });
}
