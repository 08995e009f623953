import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** What a figure was measured on: results from different machines are not comparable without it. */
export interface MachineFacts {
  date: string;
  nproc: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  platform: string;
  /** The 1-minute load average when the bench started: other work on the machine skews figures. */
  loadAvg1: number;
  commit: string;
}

export function machineFacts(): MachineFacts {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvg1: Math.round(os.loadavg()[0] * 100) / 100,
    commit: gitCommit(),
  };
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${sha}+uncommitted-src-changes` : sha;
  } catch {
    return 'unknown';
  }
}

/** Resident set size of a process in MiB, from /proc (Linux); null elsewhere or once it has exited. */
export function rssMiB(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kib('VmRSS') / 1024), peak: Math.round(kib('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** True when `taskset` can pin processes to cores (Linux with util-linux and at least two cores). */
export function canPin(): boolean {
  if (os.availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CPU time of a process and how long its main thread waited for a CPU, both in ms since it started. */
export interface CpuSample {
  at: number;
  cpuMs: number;
  waitMs: number;
}

/**
 * CPU time in ms from a /proc stat file (`/proc/PID/stat`: all threads of a process;
 * `/proc/PID/task/TID/stat`: one thread): utime and stime, fields 14 and 15, in clock ticks of 10 ms.
 * The name field may hold spaces, so fields are counted from its ")". Throws where there is no /proc.
 */
export function statCpuMs(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function cpuSample(pid: number): CpuSample | null {
  try {
    const cpuMs = statCpuMs(`/proc/${pid}/stat`);
    // schedstat: ns on the CPU, ns waiting on a run queue (the main thread, which runs all JavaScript).
    const [, wait] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { at: Date.now(), cpuMs, waitMs: wait / 1e6 };
  } catch {
    return null;
  }
}

/**
 * Between two samples: the share of one core the process used, and the share of the time its main
 * thread was ready to run but waited for the CPU — work of other processes on the same core, which
 * inflates latency and is no fault of the process measured.
 */
export function cpuBetween(a: CpuSample | null, b: CpuSample | null): { cpuPct: number; waitPct: number } | null {
  if (!a || !b || b.at <= a.at) return null;
  const wall = b.at - a.at;
  return { cpuPct: Math.round(((b.cpuMs - a.cpuMs) / wall) * 100), waitPct: Math.round(((b.waitMs - a.waitMs) / wall) * 100) };
}
