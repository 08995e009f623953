import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * One schema step: SQL run once, in order, inside the transaction that moves `PRAGMA user_version`
 * to its position in the list (1 for the first). Steps are only ever appended: a database a user has
 * keeps its data, and the next start applies what is new.
 */
export type Migration = string;

export interface OpenOptions {
  /**
   * WAL with synchronous=NORMAL (the default here) makes every commit durable against a crash of the
   * process: the commit is in the WAL, in the operating system's hands, before the call returns. A
   * power cut can lose the last commits, never the database's integrity. FULL adds an fsync per
   * commit: milliseconds each, which the webhook path must not pay.
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * Opens (creating when absent) an SQLite database file the way this service uses every one: WAL, so
 * readers (a backup, the sqlite3 tool, a script) never block the writer; secure_delete, so a deleted
 * row's bytes are overwritten with zeros rather than left in free space (an erased caller's pseudonym
 * must not survive in the file); a busy timeout, for the moments another process holds the write lock.
 */
export function openDatabase(file: string, migrations: readonly Migration[], opts: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // The WAL file is cut back to 64 MiB each time it starts over, so a burst (a bulk load) does not
    // leave it at its largest size on disk.
    db.pragma('journal_size_limit = 67108864');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Db, file: string, migrations: readonly Migration[]): void {
  const at = db.pragma('user_version', { simple: true }) as number;
  if (at > migrations.length) {
    throw new Error(`${file}: schema version ${at} is newer than this version of callpath knows (${migrations.length}); run the newer version or restore a backup`);
  }
  if (at === migrations.length) return;
  db.transaction(() => {
    for (let v = at; v < migrations.length; v++) db.exec(migrations[v]);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

/**
 * Moves everything in the WAL into the database file and empties the WAL, so that deleted rows
 * (zeroed by secure_delete in their new page versions) leave no older page version behind in the
 * WAL either. Returns false when a reader in another process kept part of the WAL in use.
 */
export function checkpointTruncate(db: Db): boolean {
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return r.busy === 0;
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return n === 1 ? '?' : '?,'.repeat(n - 1) + '?';
}
