import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { StoreLoadError } from '../../errors';
import type { CallEvent } from '../../journey/events';
import type { Journey } from '../../journey/journey';
import { projectJourney } from '../../journey/projector';
import type { RollupDelta, RollupIntent } from '../store';
import { SqliteStore, STORE_FILE } from './sqlite-store';

/**
 * Data folders written before the store moved to SQLite: DATA_DIR/store held JSON-lines files (events,
 * journeys, rollups, rollup intents), DATA_DIR/outbox the outbox journal and its delivery position.
 * Each is imported once, then renamed with an `.imported` suffix (kept, never deleted by callpath:
 * removing it is the owner's call once the new store is trusted).
 */
export const LEGACY_STORE_FOLDER = 'store';
export const LEGACY_OUTBOX_FOLDER = 'outbox';
const LEGACY_STORE_FILES = ['events.jsonl', 'journeys.jsonl', 'rollups.jsonl', 'rollup-intents.jsonl'] as const;
/** Unreadable lines a file may hold: each torn line was one crash mid-append; more means a damaged file. */
const MAX_UNREADABLE_LINES = 100;
const BATCH = 2000;

export interface ImportProgress {
  bytesRead: number;
  bytesTotal: number;
}

export interface LegacyImportReport {
  events: number;
  journeys: number;
  rollupLines: number;
  intents: number;
  unreadableLines: number;
}

export function hasLegacyStore(dataDir: string): boolean {
  const dir = path.join(dataDir, LEGACY_STORE_FOLDER);
  return LEGACY_STORE_FILES.some((f) => fs.existsSync(path.join(dir, f)));
}

type DeletionLine = { deletedCalls: string[] };
const isDeletion = (l: object): l is DeletionLine => Array.isArray((l as Partial<DeletionLine>).deletedCalls);
type IntentLine = { put: RollupIntent } | { clear: string[] };

/**
 * Imports DATA_DIR/store into a new SQLite store: written to a temporary file that becomes the
 * store's file only once the whole import is in it, so a crash half-way leaves nothing half-imported
 * (the next start begins again). Lines are applied in file order, as the old store read them: a
 * deletion line removes the calls' records before it, a later journey replaces an earlier one,
 * rollup lines add up. A call in progress had its journey in memory only: projected from its events.
 */
export async function importLegacyStore(
  dataDir: string,
  opts: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void | Promise<void> } = {},
): Promise<LegacyImportReport> {
  const legacyDir = path.join(dataDir, LEGACY_STORE_FOLDER);
  const target = path.join(dataDir, STORE_FILE);
  if (fs.existsSync(target)) {
    throw new StoreLoadError(`${legacyDir} holds a store in the old format, and ${target} exists too. Move one of them aside: the old folder is imported only into a new store.`, { legacyDir, target });
  }
  const temp = `${target}.importing`;
  for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) fs.rmSync(f, { force: true });
  const files = LEGACY_STORE_FILES.map((f) => path.join(legacyDir, f));
  const bytesTotal = files.reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  let bytesBefore = 0;
  const report: LegacyImportReport = { events: 0, journeys: 0, rollupLines: 0, intents: 0, unreadableLines: 0 };
  const store = SqliteStore.openFile(temp);
  try {
    const read = async <T extends object>(file: string, onBatch: (lines: T[]) => void) => {
      const r = await readLines<T>(file, onBatch, async (bytes) => {
        opts.signal?.throwIfAborted();
        await opts.onProgress?.({ bytesRead: bytesBefore + bytes, bytesTotal });
      });
      bytesBefore += r.bytes;
      report.unreadableLines += r.torn;
      if (r.torn > MAX_UNREADABLE_LINES) {
        throw new StoreLoadError(`${file}: ${r.torn} of ${r.lines + r.torn} lines unreadable; the file is damaged. Restore it from a backup, or move it aside to start without its records.`, { file, unreadable: r.torn, lines: r.lines });
      }
    };
    await read<CallEvent | DeletionLine>(files[0], (lines) =>
      store.write((t) => {
        for (const l of lines) {
          if (isDeletion(l)) t.events.delete(l.deletedCalls);
          else report.events += t.events.append([l]).length;
        }
      }),
    );
    await read<Journey | DeletionLine>(files[1], (lines) =>
      store.write((t) => {
        for (const l of lines) {
          if (isDeletion(l)) t.journeys.delete(l.deletedCalls);
          else t.journeys.put(l);
        }
      }),
    );
    await read<RollupDelta>(files[2], (lines) => {
      report.rollupLines += lines.length;
      store.write((t) => t.rollups.apply(lines));
    });
    await read<IntentLine>(files[3], (lines) =>
      store.write((t) => {
        for (const l of lines) t.rollups.writeIntents('put' in l ? [l.put] : [], 'clear' in l ? l.clear : []);
      }),
    );
    report.journeys = projectCallsInProgress(store);
    report.intents = (await store.listRollupIntents()).length;
  } catch (err) {
    await store.close();
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) fs.rmSync(f, { force: true });
    throw err;
  }
  await store.close();
  fs.renameSync(temp, target);
  fs.renameSync(legacyDir, imported(legacyDir));
  return report;
}

/**
 * The old store wrote only ended calls' journeys: a call in progress gets its journey from its
 * events, as the old store's load did. An ended call whose journey is behind its events was cut off
 * before its journey write; its events are redelivered by the outbox, which moves the rollups by it.
 * Returns how many journeys the store holds.
 */
function projectCallsInProgress(store: SqliteStore): number {
  const behind = store.db
    .prepare(
      `SELECT e.call_sid FROM events e LEFT JOIN journeys j ON j.call_sid = e.call_sid
       GROUP BY e.call_sid HAVING count(*) <> coalesce(max(j.event_count), -1)`,
    )
    .pluck()
    .all() as string[];
  for (let i = 0; i < behind.length; i += BATCH) {
    const sids = behind.slice(i, i + BATCH);
    store.write((t) => {
      const events = t.events.forCalls(sids);
      for (const [sid, list] of events) {
        const journey = projectJourney(sid, list);
        if (!journey.ended) t.journeys.put(journey);
      }
    });
  }
  return store.db.prepare('SELECT count(*) FROM journeys').pluck().get() as number;
}

export function hasLegacyOutbox(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, LEGACY_OUTBOX_FOLDER, 'outbox.jsonl'));
}

/**
 * The old outbox journal's undelivered events (after the recorded delivery position; an erasure's
 * placeholder lines skipped), in order, for the new journal. Synchronous: an outbox holds what waits
 * for the store, seldom more than an outage's worth.
 */
export function readLegacyOutbox(dataDir: string): CallEvent[] {
  const dir = path.join(dataDir, LEGACY_OUTBOX_FOLDER);
  let acked = 0;
  try {
    acked = Number(JSON.parse(fs.readFileSync(path.join(dir, 'outbox.ack'), 'utf8')).acked) || 0;
  } catch {
    // No position recorded: everything is delivered again, and the store ignores repeats.
  }
  const events: CallEvent[] = [];
  const lines = fs.readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8').split('\n');
  let position = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    let record: CallEvent | { erased: true };
    try {
      record = JSON.parse(line);
    } catch {
      continue; // A torn line: the old journal never counted it as a position either.
    }
    if (position++ < acked || 'erased' in record) continue;
    events.push(record);
  }
  return events;
}

/** Renames the old outbox folder once its events are in the new journal. */
export function markLegacyOutboxImported(dataDir: string): void {
  const dir = path.join(dataDir, LEGACY_OUTBOX_FOLDER);
  fs.renameSync(dir, imported(dir));
}

function imported(dir: string): string {
  let name = `${dir}.imported`;
  for (let n = 2; fs.existsSync(name); n++) name = `${dir}.imported-${n}`;
  return name;
}

/** Reads a JSON-lines file in batches; a line that does not parse is counted, not passed on. */
async function readLines<T>(file: string, onBatch: (lines: T[]) => void, onBytes: (bytes: number) => Promise<void>): Promise<{ lines: number; torn: number; bytes: number }> {
  if (!fs.existsSync(file)) return { lines: 0, torn: 0, bytes: 0 };
  const stream = fs.createReadStream(file);
  let bytes = 0;
  stream.on('data', (chunk) => (bytes += chunk.length));
  let batch: T[] = [];
  let lines = 0;
  let torn = 0;
  for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line) continue;
    try {
      batch.push(JSON.parse(line) as T);
      lines++;
    } catch {
      torn++;
    }
    if (batch.length >= BATCH) {
      onBatch(batch);
      batch = [];
      await onBytes(bytes);
    }
  }
  if (batch.length) onBatch(batch);
  await onBytes(bytes);
  return { lines, torn, bytes };
}
