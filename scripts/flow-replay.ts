/**
 * Replays recorded calls against a candidate flow: what each caller wanted (whom they reached or
 * last tried, and the fallbacks they met), and the key presses and menu time that would cost on
 * the candidate, against the flow version each call was made on.
 *
 *   npm run flow:replay -- --flow ivr-flows/new.yaml --from 2026-03-01 --to 2026-04-01
 *   npm run flow:replay -- --flow new.yaml --journeys calls.json --baseline old.yaml
 *
 * Options:
 *   --flow FILE             the candidate flow (required)
 *   --from DATE, --to DATE  calls started in [from, to) (ISO date or date-time)
 *   --journeys FILE         journeys from a JSON file (an array, or a page of GET /api/calls) instead of the store
 *   --baseline FILE         a flow version the calls were made on (repeatable); versions the service has served are
 *                           also the versions kept in the store and FLOWS_DIR
 *   --think-ms N            caller model: time to answer a prompt (default 1500)
 *   --digit-ms N            caller model: each further digit of an extension (default 0)
 *   --speech-ms-per-char N  caller model: speech time per character (default 60)
 *   --json                  the report as JSON
 * Reads the store from STORE, MONGODB_URI and DATA_DIR like the service. With the embedded store,
 * run it on a copy of DATA_DIR, or while the service is stopped: the store is one process's files.
 * Exit status: 0 a report, 1 the candidate flow is invalid, 2 the command itself was wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadToolConfig, type ToolConfig } from '../src/config';
import { FlowError } from '../src/errors';
import type { Journey } from '../src/journey/journey';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/open';
import { loadFlowDir, loadFlowFile } from '../src/flow/loader';
import type { Flow } from '../src/flow/schema';
import { importLegacyArchive, loadArchivedFlows } from '../src/flow/replay/archive';
import { formatReplay } from '../src/flow/replay/format';
import { DEFAULT_CALLER_MODEL, type CallerModel } from '../src/flow/replay/model';
import { replayJourneys } from '../src/flow/replay/replay';

export interface ReplayIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `usage: npm run flow:replay -- --flow candidate.yaml [--from DATE] [--to DATE] [--journeys calls.json]
                           [--baseline old.yaml ...] [--think-ms N] [--digit-ms N] [--speech-ms-per-char N] [--json]
`;

const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const PAGE = 1000;

/**
 * flow:replay as a function of its arguments, so tests run it without a build. Journeys come from
 * the configured store (STORE, MONGODB_URI, DATA_DIR), or from a JSON file (an array of journeys,
 * or a page of GET /api/calls). Returns the exit status: 0 a report, 1 the candidate flow is
 * invalid, 2 the command itself was wrong or its input unreadable.
 */
export async function runFlowReplay(argv: string[], io: ReplayIo): Promise<number> {
  const fail = (message: string, code = 2) => {
    io.err(`flow:replay: ${message}\n${code === 2 ? USAGE : ''}`);
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        flow: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        journeys: { type: 'string' },
        baseline: { type: 'string', multiple: true },
        'think-ms': { type: 'string' },
        'digit-ms': { type: 'string' },
        'speech-ms-per-char': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    io.out(USAGE);
    return 0;
  }
  if (!v.flow) return fail('--flow is required: the candidate flow file');
  for (const [name, value] of [['from', v.from], ['to', v.to]] as const) {
    if (value !== undefined && (!DATE.test(value) || !Number.isFinite(Date.parse(value)))) return fail(`--${name} must be an ISO date or date-time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z, not "${value}"`);
  }
  const from = v.from ? new Date(v.from).toISOString() : undefined;
  const to = v.to ? new Date(v.to).toISOString() : undefined;
  if (from && to && from >= to) return fail('--to must be after --from');
  let model: CallerModel;
  try {
    model = {
      speechMsPerChar: number(v['speech-ms-per-char'], '--speech-ms-per-char', DEFAULT_CALLER_MODEL.speechMsPerChar),
      thinkMs: number(v['think-ms'], '--think-ms', DEFAULT_CALLER_MODEL.thinkMs),
      digitMs: number(v['digit-ms'], '--digit-ms', DEFAULT_CALLER_MODEL.digitMs),
    };
  } catch (err) {
    return fail((err as Error).message);
  }
  let config: ToolConfig;
  try {
    config = loadToolConfig(io.env);
  } catch (err) {
    return fail((err as Error).message);
  }

  const resolve = (p: string) => path.resolve(io.cwd, p);
  if (!fs.existsSync(resolve(v.flow))) return fail(`no such file: ${v.flow}`);
  let candidate: Flow;
  try {
    candidate = loadFlowFile(resolve(v.flow));
  } catch (err) {
    if (err instanceof FlowError) return fail(`the candidate flow does not load:\n${err.message}`, 1);
    throw err;
  }
  const versions: Flow[] = [];
  for (const b of v.baseline ?? []) {
    try {
      versions.push(loadFlowFile(resolve(b)));
    } catch (err) {
      if (err instanceof FlowError) return fail(`--baseline ${b} does not load:\n${err.message}`);
      throw err;
    }
  }
  try {
    const archived = await readArchivedFlows(config, io);
    versions.push(...archived.flows);
    for (const p of archived.problems) io.err(`flow:replay: archived flow version skipped: ${p}\n`);
  } catch (err) {
    io.err(`flow:replay: the archived flow versions could not be read (${(err as Error).message}); replaying with --baseline and the flow files only\n`);
  }
  try {
    versions.push(...loadFlowDir(config.flowsDir));
  } catch {
    // The flows in service are only one more source of old versions; the archive and --baseline are the others.
  }

  let journeys: Journey[];
  try {
    journeys = v.journeys ? readJourneysFile(resolve(v.journeys), from, to) : await readJourneysFromStore(config, candidate.id, from, to, io);
  } catch (err) {
    return fail((err as Error).message);
  }

  for (const warning of periodWarnings(journeys, candidate.id, from, to)) io.err(`flow:replay: ${warning}\n`);
  const report = replayJourneys(journeys, candidate, { model, versions });
  const period = from || to ? ` (${from ?? 'the start'} to ${to ?? 'now'})` : '';
  const shown = path.relative(io.cwd, candidate.source) || candidate.source;
  if (v.json) io.out(JSON.stringify(report, null, 2) + '\n');
  else io.out(formatReplay(report, { title: `Replay of ${journeys.length} recorded calls${period} against ${shown} (${candidate.id}@${candidate.version})` }));
  return 0;
}

const DAY = 86_400_000;

/**
 * What a reader of the report must know about the period: that it held no calls at all, or calls in
 * only part of it (more than a day without any at its start or end), so that a report over a few
 * days is not read as one over the month asked for.
 */
function periodWarnings(journeys: readonly Journey[], flowId: string, from?: string, to?: string): string[] {
  const asked = from || to ? ` from ${from?.slice(0, 10) ?? 'the start'} to ${to?.slice(0, 10) ?? 'now'}` : '';
  const starts = journeys.map((j) => j.startedAt).filter((t): t is string => !!t).sort();
  if (!starts.length) return [`no recorded calls of flow "${flowId}"${asked}: the report has nothing to compare; choose a period with calls, or give --journeys FILE`];
  const out: string[] = [];
  const first = starts[0];
  const last = starts[starts.length - 1];
  if (from && Date.parse(first) - Date.parse(from) > DAY) out.push(`only part of the period has calls: the first is on ${first.slice(0, 10)}, though the period starts on ${from.slice(0, 10)}`);
  const end = to ? Math.min(Date.parse(to), Date.now()) : null;
  if (to && end !== null && end - Date.parse(last) > DAY) out.push(`only part of the period has calls: the last is on ${last.slice(0, 10)}, though the period ends on ${to.slice(0, 10)}`);
  return out;
}

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`${name} must be a number of milliseconds, not "${value}"`);
  return Number(value);
}

function readJourneysFile(file: string, from?: string, to?: string): Journey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--journeys ${file}: ${(err as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { calls?: unknown })?.calls;
  if (!Array.isArray(list)) throw new Error(`--journeys ${file}: expected an array of journeys or {"calls": [...]} as GET /api/calls returns`);
  return (list as Journey[]).filter((j) => (!from || (j.startedAt ?? '') >= from) && (!to || (j.startedAt ?? '') < to));
}

/** The versions kept in the store, and any still in the folder an earlier version kept them in. */
async function readArchivedFlows(config: ToolConfig, io: ReplayIo): Promise<{ flows: Flow[]; problems: string[] }> {
  const store = await openStore(config, createLogger('error', { write: (line: string) => io.err(line) }));
  try {
    await importLegacyArchive(config.dataDir, store);
    return await loadArchivedFlows(store);
  } finally {
    await store.close();
  }
}

async function readJourneysFromStore(config: ToolConfig, flowId: string, from: string | undefined, to: string | undefined, io: ReplayIo): Promise<Journey[]> {
  const store = await openStore(config, createLogger('error', { write: (line: string) => io.err(line) }));
  try {
    const all: Journey[] = [];
    let before: { startedAt: string; callSid: string } | undefined;
    for (;;) {
      const page = await store.listJourneys({ from, to, flowId, limit: PAGE, before });
      all.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) break;
      before = { startedAt: last.startedAt ?? '', callSid: last.callSid };
    }
    return all;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runFlowReplay(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`flow:replay: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
