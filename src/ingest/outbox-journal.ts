import path from 'node:path';
import type { CallEvent } from '../journey/events';
import type { Logger } from '../log';
import { hasLegacyOutbox, markLegacyOutboxImported, readLegacyOutbox } from '../store/sqlite/legacy-import';
import { Checkpointer } from '../store/sqlite/checkpointer';
import { checkpointTruncate, openDatabase, type Db } from '../store/sqlite/database';

/** The outbox journal's database file in DATA_DIR, beside the store's (for the embedded and the Mongo store alike). */
export const OUTBOX_FILE = 'outbox.sqlite';

const MIGRATIONS = [
  // AUTOINCREMENT: positions never go back, not even once the table has been emptied, so the outbox
  // can read on from the last position it delivered without ever skipping a row written later.
  'CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);',
];

export interface JournalRow {
  seq: number;
  event: CallEvent;
}

/**
 * The outbox's journal: the events between the webhook and the store. A turn's events are one
 * transaction, committed (to the WAL, in the operating system's hands: see database.ts) before their
 * webhooks answer, so a crash of the process loses nothing a caller was answered on; delivered rows
 * are deleted, bytes zeroed (secure_delete), so the journal holds only what waits.
 */
export class OutboxJournal {
  private readonly insert;
  private readonly after;
  private readonly deleteUpTo;
  private readonly countAll;
  private readonly checkpointer: Checkpointer;

  private constructor(
    readonly db: Db,
    file: string,
  ) {
    // Checkpoints (with their fsyncs) off the webhook path: a turn's commit then writes the WAL alone.
    this.checkpointer = new Checkpointer(db, file);
    this.insert = db.prepare('INSERT INTO journal (body) VALUES (?)');
    this.after = db.prepare('SELECT seq, body FROM journal WHERE seq > ? ORDER BY seq LIMIT ?').raw();
    this.deleteUpTo = db.prepare('DELETE FROM journal WHERE seq <= ?');
    this.countAll = db.prepare('SELECT count(*) FROM journal').pluck();
  }

  static open(dataDir: string): OutboxJournal {
    return OutboxJournal.openFile(path.join(dataDir, OUTBOX_FILE));
  }

  static openFile(file: string): OutboxJournal {
    return new OutboxJournal(openDatabase(file, MIGRATIONS), file);
  }

  /** One transaction; throws (nothing written) when the disk refuses it. */
  append(events: readonly CallEvent[]): JournalRow[] {
    return this.db.transaction(() => events.map((event) => ({ seq: Number(this.insert.run(JSON.stringify(event)).lastInsertRowid), event })))();
  }

  /** Up to `limit` rows after position `seq` (0 for the first), in order. */
  readAfter(seq: number, limit: number): JournalRow[] {
    return (this.after.all(seq, limit) as [number, string][]).map(([s, body]) => ({ seq: s, event: JSON.parse(body) as CallEvent }));
  }

  /** Deletes the rows up to and with position `seq` (delivered). */
  deleteThrough(seq: number): void {
    this.deleteUpTo.run(seq);
  }

  count(): number {
    return this.countAll.get() as number;
  }

  /** Empties the WAL (see checkpointTruncate): deleted rows then leave no copy in it. */
  purgeWal(): void {
    checkpointTruncate(this.db);
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}

/**
 * The service's journal: opened in DATA_DIR, with the undelivered events of an earlier version's
 * journal (DATA_DIR/outbox) moved into it first. A journal that cannot be opened (a read-only or
 * full disk) is logged loudly and the outbox holds events in memory only: calls are still answered.
 */
export function openServiceJournal(dataDir: string, log: Pick<Logger, 'warn' | 'error'>): OutboxJournal | null {
  try {
    const journal = OutboxJournal.open(dataDir);
    if (hasLegacyOutbox(dataDir)) {
      const events = readLegacyOutbox(dataDir);
      journal.append(events);
      markLegacyOutboxImported(dataDir);
      log.warn({ events: events.length }, 'outbox: the undelivered events of an earlier version\'s journal were moved into the new journal');
    }
    return journal;
  } catch (err) {
    log.error({ err: (err as Error).message, dataDir }, 'outbox: the journal could not be opened; events are held in memory only until it can (a crash loses them)');
    return null;
  }
}
