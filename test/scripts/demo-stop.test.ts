import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { freePort, tempDir } from '../helpers/harness';

/** `npm run demo` stopped by a signal to npm (not Ctrl-C, which reaches every process) stops the service too. */
test('a SIGTERM to npm run demo stops the service and frees its port', async () => {
  const port = await freePort();
  const npm = spawn('npm', ['run', '-s', 'demo'], {
    cwd: path.join(__dirname, '../..'),
    env: { ...process.env, PORT: String(port), DATA_DIR: tempDir('callpath-demo-stop-'), DEMO_SEED_CALLS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => out.includes(text) && resolve();
      npm.stdout.on('data', (b: Buffer) => ((out += b.toString('utf8')), check()));
      setTimeout(() => reject(new Error(`no "${text}" within 30 s:\n${out}`)), 30_000).unref();
      check();
    });
  await seen('callpath listening');
  npm.kill('SIGTERM');
  await seen('"msg":"stopped"');
  const refused = await new Promise<boolean>((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => (c.end(), resolve(false)));
    c.on('error', () => resolve(true));
  });
  expect(refused).toBe(true);
}, 60_000);
