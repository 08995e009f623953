import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Runs a command, optionally pinned to one CPU core with taskset (which execs, so the pid is the program's). */
export function spawnPinned(core: number | null, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; logFile?: string; cwd?: string } = {}): ChildProcess {
  const [file, argv] = core === null ? [cmd, args] : ['taskset', ['-c', String(core), cmd, ...args]];
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  return spawn(file, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', out, out] });
}

/** Runs a command to completion and returns its stdout; rejects with its stderr on failure. */
export function runPinned(core: number | null, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  const [file, argv] = core === null ? [cmd, args] : ['taskset', ['-c', String(core), cmd, ...args]];
  return new Promise((resolve, reject) => {
    const p = spawn(file, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args[0] ?? ''} exited ${code}: ${err.trim().slice(-2000)}`))));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a URL until it answers 200, or fails after the deadline (or when the process has exited). */
export async function waitForHttp(url: string, proc: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`process exited with code ${proc.exitCode} before answering ${url}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if the process has not exited in time. */
export async function stopProcess(proc: ChildProcess, graceMs = 20_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
