import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createIdentity } from '../../src/identity/create';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

test('npm run users:add makes the first admin of a new installation, who signs in with the password it printed once', async () => {
  const dir = tempDir('callpath-users-add-');
  try {
    const { MONGODB_URI: _none, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'users-add.ts'), '--email', 'IT@Kommun.se', '--name', 'IT-avdelningen', '--roles', 'admin,analyst'], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: dir, STORE: 'embedded' },
    });
    const password = /shown this once: (\S+)/.exec(stdout)![1];
    const store = await SqliteStore.open(dir);
    try {
      const identity = createIdentity(store.identity, { sessionIdleMs: 3_600_000, sessionMaxMs: 43_200_000 }, Date.now);
      const signedIn = await identity.localSignIn.signIn('it@kommun.se', password);
      expect(signedIn).toMatchObject({ ok: true, user: { email: 'it@kommun.se', roles: ['analyst', 'admin'], mustChangePassword: true } });
      expect((await identity.audit.list({})).map((e) => [e.actor, e.action, e.object])).toEqual([['cli:users:add', 'user.created', 'it@kommun.se']]);
    } finally {
      await store.close();
    }
    await expect(run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'users-add.ts'), '--email', 'x@kommun.se', '--name', 'X', '--roles', 'chef'], { cwd: ROOT, env: { ...env, DATA_DIR: dir } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown role chef'),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
