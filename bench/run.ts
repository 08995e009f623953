/**
 * callpath benchmarks: prints figures and writes them to bench/results.md and bench/results.json.
 *
 *   npm run bench                      everything (about 25 minutes on 2 cores, most of it loading 1 000 000 calls)
 *   npm run bench -- --only webhook    one part: webhook | metrics
 *   npm run bench -- --quick           3 s levels and 100 000 calls, for a trial run (about 5 minutes)
 *
 * Options: --levels 10,50,200  --duration SECONDS (per level, default 10)  --no-mongo
 *          --calls N (metrics: synthetic calls in the year, default 1 000 000)  --profile (CPU profiles to bench/profiles/)
 *          --no-write (print only)
 */
import path from 'node:path';
import { canPin, machineFacts } from './machine';
import { COMPARISON_HEADER, comparisonRows, writeResults, type Results } from './report';
import { runMetricsBench } from './metrics-bench';
import { runWebhookBench } from './webhook-bench';

interface Args {
  only: 'webhook' | 'metrics' | null;
  levels: number[];
  durationSec: number;
  mongo: boolean;
  calls: number;
  profile: boolean;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { only: null, levels: [10, 50, 200], durationSec: 10, mongo: true, calls: 1_000_000, profile: false, write: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    const positive = (x: string) => {
      const n = Number(x.replace(/_/g, ''));
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${k}: "${x}" is not a positive whole number`);
      return n;
    };
    switch (k) {
      case '--only': {
        const x = v();
        if (x !== 'webhook' && x !== 'metrics') throw new Error('--only: webhook or metrics');
        a.only = x;
        break;
      }
      case '--levels':
        a.levels = v().split(',').map(positive);
        break;
      case '--duration':
        a.durationSec = positive(v());
        break;
      case '--calls':
        a.calls = positive(v());
        break;
      case '--no-mongo':
        a.mongo = false;
        break;
      case '--profile':
        a.profile = true;
        break;
      case '--no-write':
        a.write = false;
        break;
      case '--quick':
        a.durationSec = 3;
        a.calls = 100_000;
        break;
      default:
        throw new Error(`unknown option ${k}`);
    }
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const distBench = __dirname;
  const repoRoot = path.resolve(__dirname, '../..');
  const machine = machineFacts();
  const log = (line: string) => process.stdout.write(line + '\n');
  log(`callpath bench — ${machine.date}, ${machine.nproc} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAvg1}, commit ${machine.commit}`);
  const results: Results = {};
  if (args.only !== 'metrics') {
    const pin = canPin();
    if (!pin) log('taskset or a second core is missing: server and load generator share the CPU, so figures are pessimistic');
    const webhook = await runWebhookBench({
      repoRoot,
      distBench,
      levels: args.levels,
      durationSec: args.durationSec,
      mongo: args.mongo,
      pin,
      profileDir: args.profile ? path.join(repoRoot, 'bench/profiles') : null,
      log,
    });
    results.webhook = { machine, ...webhook };
    for (const row of [COMPARISON_HEADER, ...comparisonRows(webhook)]) log(row.join(' | '));
    for (const g of webhook.goal) log(`GOAL ${g.store}: ${g.met ? 'MET' : 'NOT MET'} — ${g.why}`);
    // Written at once, so a failure in the next part does not lose these figures.
    if (args.write) log(`written: ${writeResults(path.join(repoRoot, 'bench'), { webhook: results.webhook }).join(', ')}`);
  }
  if (args.only !== 'webhook') {
    const metrics = await runMetricsBench({ repoRoot, distBench, calls: args.calls, log });
    results.metrics = { machine: { ...machineFacts(), date: machine.date }, ...metrics };
    log(`GOAL metrics views: ${metrics.goal.met ? 'MET' : 'NOT MET'} — ${metrics.goal.why}`);
    if (args.write) log(`written: ${writeResults(path.join(repoRoot, 'bench'), { metrics: results.metrics }).join(', ')}`);
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
