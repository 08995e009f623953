import fs from 'node:fs';
import path from 'node:path';
import type { MachineFacts } from './machine';
import type { MetricsBenchResults } from './metrics-bench';
import { cpuMicrosPerRequest, type WebhookResults } from './webhook-bench';

export interface Results {
  webhook?: WebhookResults & { machine: MachineFacts };
  metrics?: MetricsBenchResults & { machine: MachineFacts };
}

/**
 * Merges this run's sections into bench/results.json (a part not run keeps its previous figures)
 * and renders bench/results.md from it. Earlier runs live in the git history.
 */
export function writeResults(dir: string, fresh: Results): string[] {
  const jsonFile = path.join(dir, 'results.json');
  const mdFile = path.join(dir, 'results.md');
  let previous: Results = {};
  try {
    previous = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Results;
  } catch {
    // first run
  }
  const merged: Results = { ...previous, ...fresh };
  fs.writeFileSync(jsonFile, JSON.stringify(merged, null, 2) + '\n');
  fs.writeFileSync(mdFile, renderMarkdown(merged));
  return [path.relative(process.cwd(), mdFile), path.relative(process.cwd(), jsonFile)];
}

function machineLine(m: MachineFacts): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.nproc} cores, ${m.cpuModel}, ${m.memGiB} GiB · Node ${m.node} · ${m.platform} · load average at start ${m.loadAvg1} · commit ${m.commit}`;
}

const TARGET_NAMES: Record<string, string> = {
  'bare-node': 'bare Node http (fixed TwiML)',
  'callpath-embedded': 'callpath, embedded store',
  'callpath-mongo': 'callpath, FerretDB (Mongo wire protocol)',
};

/** Server CPU per answered request: unlike req/s, it does not depend on whether the server or the load generator was the bottleneck. */

/** Closed loop: the generator's CPU. Open loop: how late it sent (it spins between sends, so its CPU says nothing). */
function generatorCell(l: { generatorCpuPct?: number; sendLagMs?: { p99: number; max: number } | null }): string {
  if (l.sendLagMs) return `late p99 ${l.sendLagMs.p99} ms, max ${l.sendLagMs.max} ms`;
  return l.generatorCpuPct === undefined ? '' : `CPU ${l.generatorCpuPct} %`;
}

function renderWebhook(w: NonNullable<Results['webhook']>): string {
  const out: string[] = [];
  out.push('## Webhook throughput and latency', '');
  out.push(`Measured ${machineLine(w.machine)}.`, '');
  out.push(
    `Each server runs in its own process ${w.pinned ? 'pinned to core 0; the load generator runs on core 1' : '(not pinned: taskset or a second core was missing)'}. ` +
      `Requests are signed Twilio webhooks replayed from ${w.callMix.length} call types played through the real flow ` +
      `(${w.webhooksPerCall} webhooks per call, ${w.callDurationSec} s per call on average), every call with fresh CallSids, so the store keeps each one. ` +
      `**Closed loop** (autocannon): each connection sends its next request as soon as the last is answered; at saturation, latency is mostly ` +
      `queueing (p50 ≈ connections ÷ throughput), for bare Node too. **Open loop** (requests at a fixed rate, latency counted from when each was due, ` +
      `up to 200 sockets, 200 calls in progress): first ${w.realPaceRate}/s, what 200 calls in progress send at the pace of real calls; for callpath, half and three quarters of its own closed-loop throughput at 200 connections, ` +
      `where nearly every webhook is projected on its own as with real calls and ingestion must keep up (the closed loop at 10 connections is 10 calls sending webhooks back to back, so one delivery projects a call once for a dozen of its webhooks; at 200 saturating connections ingestion falls behind and the outbox grows); ` +
      `then the goal's throughput, 40 % of bare Node's at 200 connections (for callpath only when it answers that many saturated; arrivals beyond that queue without bound). ` +
      `${w.durationSec} s per level (30 s at the real pace); autocannon's latency resolution is 1 ms. ` +
      `"CPU" is the CPU time accounted to the server (kernel network work in interrupts is not, so saturation shows below 100 %), "waited" the share of time its main thread was ready but another process held the core: ` +
      `a high figure means the machine was busy with other work and latencies are inflated. ` +
      `"CPU µs per request" is that CPU time over the requests answered: what one webhook costs the server, whichever side limited the rate. ` +
      `"Generator" is, in a closed loop, the load generator's own CPU (near 100 %, the generator, not the server, set the rate), and in an open loop how late it sent requests against their schedule ` +
      `(it spins between sends, so its CPU says nothing there; a lag of more than a few ms is in every latency of that row, which then says more about the generator than the server). ` +
      `Bare Node's closed loop sends one signed webhook again and again (its answer does not depend on the request), which autocannon sends from a buffer built once; ` +
      `a request made for each send, as callpath needs, costs the generator about what bare Node's answer costs the server, and bare Node's figure was then the generator's limit.`,
    '',
  );
  out.push('| server | connections | mode | req/s | vs bare Node | p50 ms | p99 ms | max ms | errors | non-2xx | RSS MiB | outbox backlog | CPU % | waited % | CPU µs per request | generator |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of w.targets) {
    const rows = [...t.levels, ...t.open];
    if (!rows.length) out.push(`| ${TARGET_NAMES[t.target]} | – | – | – | – | – | – | – | – | – | – | – | – | – | – | ${t.note ?? ''} |`);
    for (const l of rows) {
      out.push(
        `| ${TARGET_NAMES[t.target]} | ${l.connections} | ${l.openRate ? `open, ${l.openRate}/s` : 'closed'} | ${l.reqPerSec} | ${l.ratioToBare === null ? '' : `${(l.ratioToBare * 100).toFixed(1)} %`} | ` +
          `${l.latencyMs.p50} | ${l.latencyMs.p99} | ${l.latencyMs.max} | ${l.errors} | ${l.non2xx} | ${l.rssMiB ?? ''} | ${l.outboxPending ?? ''} | ${l.serverCpuPct ?? ''} | ${l.serverWaitPct ?? ''} | ${cpuMicrosPerRequest(l) ?? ''} | ${generatorCell(l)} |`,
      );
    }
  }
  out.push('');
  const drained = w.targets.filter((t) => t.drain);
  if (drained.length) {
    out.push('After the load, until every event was in the store (at most a minute):', '');
    out.push('| server | waited | caught up | events stored | still in outbox | events/s stored meanwhile | RSS MiB | peak RSS MiB |');
    out.push('|---|---:|---|---:|---:|---:|---:|---:|');
    for (const t of drained) {
      const d = t.drain!;
      out.push(`| ${TARGET_NAMES[t.target]} | ${(d.ms / 1000).toFixed(1)} s | ${d.complete ? 'yes' : 'no'} | ${d.eventsStored} | ${d.eventsPending} | ${d.storedPerSec || ''} | ${d.rssMiB ?? ''} | ${d.peakRssMiB ?? ''} |`);
    }
    out.push('');
  }
  for (const t of w.targets) if (t.note) out.push(`- ${TARGET_NAMES[t.target]}: ${t.note}.`);
  out.push(
    '',
    "**Goal** (≥ 40 % of bare Node's throughput with p99 < 20 ms at 200 concurrent calls, one core). Judged as: throughput at 200 saturating connections ≥ 40 % of bare Node's; " +
      'p99 < 20 ms both with 200 calls in progress at the pace of real calls and with webhooks arriving at the goal\'s throughput (open loop). ' +
      "The p99 at 200 saturating connections is shown but not judged: there every request waits behind the others, so latency is at least 200 ÷ throughput " +
      '(25 ms at 8,000/s), and bare Node itself is above 20 ms.',
    '',
  );
  for (const g of w.goal) out.push(`- ${TARGET_NAMES[g.store]}: **${g.met ? 'met' : 'not met'}** — ${g.why}.`);
  out.push('', 'Call mix (share, webhooks per call, call length):', '');
  for (const c of w.callMix) out.push(`- ${c.weight} % ${c.name} (${c.webhooks} webhooks, ${c.durationSec} s)`);
  out.push('');
  return out.join('\n');
}

function renderMetrics(m: NonNullable<Results['metrics']>): string {
  const out: string[] = [];
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  out.push('## Metrics over a year of traffic', '');
  out.push(`Measured ${machineLine(m.machine)}.`, '');
  out.push(
    `${m.calls.toLocaleString('en')} synthetic calls over ${m.year} (weekday office-hour peaks, quiet July and holidays), drawn from ${m.templates} calls played ` +
      `through the real flow and moved in time, with fresh ids, callers and survey answers; ${m.eventsPerCall} events per call. ` +
      `Loaded through \`Ingestor.ingest\` into the embedded store in batches of ${m.load.batchEvents} events (the outbox's batch size), ` +
      `so every call is stored, projected and rolled up as in service. Views are the real metrics routes over HTTP in the same process; ` +
      `median of the runs after one warm-up.`,
    '',
  );
  out.push(`Load: ${(m.load.ms / 1000).toFixed(0)} s, **${m.load.callsPerSec} calls/s** (${m.load.eventsPerSec} events/s).`, '');
  out.push('| view | day ms | month ms | year ms | year ÷ day | rollups read (day / month / year) |');
  out.push('|---|---:|---:|---:|---:|---|');
  for (const view of ['summary', 'fallbacks', 'nodes'] as const) {
    const at = (range: string) => m.views.find((v) => v.view === view && v.range === range)!;
    out.push(`| ${view} | ${at('day').medianMs} | ${at('month').medianMs} | ${at('year').medianMs} | ${m.ratioYearToDay[view]}× | ${at('day').rollupsRead} / ${at('month').rollupsRead} / ${at('year').rollupsRead} |`);
  }
  out.push('');
  if (m.whileCompacting) {
    const w = m.whileCompacting;
    out.push(
      'The table is measured after a first round of the same views with no compaction running, and judges the goal. ' +
        `The first round, right after the load, while the process settled (the store's background compaction ran until ${(w.settledAfterMs / 1000).toFixed(0)} s after the load, ` +
        'and V8 collected what the load left on a heap of gigabytes), measured (median ms, day / month / year, and year ÷ day): ' +
        (['summary', 'fallbacks', 'nodes'] as const)
          .map((view) => {
            const at = (range: string) => w.views.find((v) => v.view === view && v.range === range)!.medianMs;
            return `${view} ${at('day')} / ${at('month')} / ${at('year')} (${w.ratioYearToDay[view]}×)`;
          })
          .join('; ') +
        '.',
      '',
    );
  }
  out.push(
    `Full rebuild of the rollups from the events: ${(m.rebuild.ms / 1000).toFixed(0)} s, **${m.rebuild.callsPerSec} calls/s**. ` +
      `Check: the year's summary counts ${m.check.summaryBefore.toLocaleString('en')} calls before and ${m.check.summaryAfter.toLocaleString('en')} after the rebuild (${m.check.loaded.toLocaleString('en')} loaded).`,
    '',
  );
  out.push('Memory of the process holding the embedded store (after a full GC; heap limit ' + m.heapLimitMiB + ' MiB):', '');
  out.push('| after | RSS MiB | heap used MiB |');
  out.push('|---|---:|---:|');
  out.push(`| loading the year | ${m.memory.afterLoad.rssMiB} | ${m.memory.afterLoad.heapUsedMiB} |`);
  out.push(`| the views | ${m.memory.afterViews.rssMiB} | ${m.memory.afterViews.heapUsedMiB} |`);
  out.push(`| the rebuild | ${m.memory.afterRebuild.rssMiB} | ${m.memory.afterRebuild.heapUsedMiB} |`);
  if ('ms' in m.reopen) out.push(`| opening the store's folder again (a restart; took ${(m.reopen.ms / 1000).toFixed(0)} s) | ${m.reopen.rssMiB} | ${m.reopen.heapUsedMiB} |`);
  out.push('');
  if (!('ms' in m.reopen)) out.push(`Opening the store's folder again (a restart) FAILED: ${m.reopen.error}`, '');
  out.push('RSS after a full GC still counts memory V8 has not returned to the system; heap used is what the data needs.', '');
  const s = m.sizes;
  const files = Object.entries(s.embeddedFiles).map(([f, b]) => `${f} ${mib(b)} MiB`).join(', ');
  out.push(
    `Storage: per call, ${s.bsonPerCall.events} B of events and ${s.bsonPerCall.journey} B of journey as uncompressed BSON (MongoDB documents, before indexes and compression); ` +
      `${s.rollups.docs.toLocaleString('en')} rollup documents for the year, ${mib(s.rollups.bsonBytes)} MiB (${s.rollups.bsonBytesPerCall} B per call at this volume). ` +
      `Embedded store files: ${files}.`,
    '',
  );
  out.push(`**Goal** (each view under 50 ms from rollups; the year no more than 3× the day): **${m.goal.met ? 'met' : 'not met'}** — ${m.goal.why}.`, '');
  return out.join('\n');
}

export function renderMarkdown(r: Results): string {
  const parts = ['# Benchmark results', '', 'Written by `npm run bench` (see bench/run.ts); figures from the latest run of each part. Explanation: README, "Benchmarks and capacity".', ''];
  if (r.webhook) parts.push(renderWebhook(r.webhook));
  if (r.metrics) parts.push(renderMetrics(r.metrics));
  return parts.join('\n');
}
