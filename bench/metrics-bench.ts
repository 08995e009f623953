import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { MetricsResults, MetricsSpec } from './metrics-child';
import { SERVICE_NODE_FLAGS } from '../src/node-flags';

export interface MetricsBenchOptions {
  repoRoot: string;
  distBench: string;
  calls: number;
  log: (line: string) => void;
}

export interface MetricsGoal {
  view: string;
  yearMs: number;
  dayMs: number;
  ratio: number;
  under50: boolean;
  ratioOk: boolean;
}

export interface MetricsBenchResults extends MetricsResults {
  heapLimitMiB: number;
  goal: { met: boolean; views: MetricsGoal[]; why: string };
}

const GOAL_MS = 50;
const GOAL_RATIO = 3;

/**
 * A year of synthetic traffic through the ingestion path, then the views over a day, a month and a
 * year, a full rollup rebuild, and memory. Runs in a child process so its RSS is its own; the heap
 * limit is raised because the embedded store keeps every event in memory.
 */
export async function runMetricsBench(o: MetricsBenchOptions): Promise<MetricsBenchResults> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-metrics-'));
  const spec: MetricsSpec = { repoRoot: o.repoRoot, calls: o.calls, year: 2025, templates: 200, batchEvents: 500, runs: 21, seed: 20250101, dir };
  // About 10 KiB of heap per call, with room to spare, but never more than three quarters of the machine.
  const heapLimitMiB = Math.min(Math.round((os.totalmem() / 2 ** 20) * 0.75), Math.max(2048, Math.round((o.calls * 12 * 1024) / 2 ** 20) + 1024));
  const child = (args: string[]) => runChild(o, heapLimitMiB, args);
  let r: MetricsResults;
  try {
    r = JSON.parse(await child([JSON.stringify(spec)])) as MetricsResults;
    r.reopen = JSON.parse(await child(['--reopen', dir, String(o.calls)])) as MetricsResults['reopen'];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const views: MetricsGoal[] = (['summary', 'fallbacks', 'nodes'] as const).map((view) => {
    const day = r.views.find((v) => v.view === view && v.range === 'day')!;
    const year = r.views.find((v) => v.view === view && v.range === 'year')!;
    const worst = Math.max(...r.views.filter((v) => v.view === view).map((v) => v.medianMs));
    return { view, yearMs: year.medianMs, dayMs: day.medianMs, ratio: r.ratioYearToDay[view], under50: worst < GOAL_MS, ratioOk: r.ratioYearToDay[view] <= GOAL_RATIO };
  });
  const met = views.every((v) => v.under50 && v.ratioOk) && r.check.summaryBefore === r.calls && r.check.summaryAfter === r.calls;
  const why = views
    .map((v) => `${v.view}: year ${v.yearMs} ms, day ${v.dayMs} ms, year/day ${v.ratio}× (${v.under50 ? `all under ${GOAL_MS} ms` : `NOT all under ${GOAL_MS} ms`}; ${v.ratioOk ? `≤ ${GOAL_RATIO}×` : `NOT ≤ ${GOAL_RATIO}×`})`)
    .join('; ');
  return { ...r, heapLimitMiB, goal: { met, views, why } };
}

/** Runs the metrics child with a raised heap limit, relaying its progress; resolves with its last stdout line. */
async function runChild(o: MetricsBenchOptions, heapLimitMiB: number, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--expose-gc', `--max-old-space-size=${heapLimitMiB}`, path.join(o.distBench, 'metrics-child.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    let i: number;
    while ((i = err.indexOf('\n')) !== -1) {
      o.log(err.slice(0, i));
      err = err.slice(i + 1);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`metrics bench exited with code ${code}${err ? `: ${err}` : ''}`);
  return out.trim().split('\n').pop()!;
}
