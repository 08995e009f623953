import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, tempDir } from './harness';

/** A MongoDB wire-protocol server the tests can start, kill and restart themselves (FerretDB, built by scripts/ferretdb.sh). */
export const FERRET_BIN = path.join(__dirname, '../../tools/ferretdb/bin/ferretdb');

export async function waitForPort(port: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on ${port}`);
}

export function startFerret(port: number, stateDir: string): ChildProcess {
  return spawn(FERRET_BIN, ['-listen', `127.0.0.1:${port}`, '-state-dir', stateDir, '-log-level', 'error'], { stdio: 'ignore' });
}

export const ferretAvailable = fs.existsSync(FERRET_BIN);

/** A FerretDB on a free port that a test kills (SIGKILL) and starts again on the same port and data. */
export interface KillableFerret {
  port: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function startKillableFerret(): Promise<KillableFerret> {
  const port = await freePort();
  const stateDir = tempDir('callpath-ferret-state-');
  let proc = startFerret(port, stateDir);
  await waitForPort(port);
  return {
    port,
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    async restart() {
      proc = startFerret(port, stateDir);
      await waitForPort(port);
    },
  };
}
