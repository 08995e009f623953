import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'instance-id';

/**
 * This service instance's id, created once and kept in its DATA_DIR (each instance has its own, as
 * for the outbox journal). It marks the rollup intents the instance writes, so that after a restart it
 * recognises and repairs its own leftovers while other instances sharing the database work on.
 */
export function instanceIdIn(dataDir: string): string {
  const file = path.join(dataDir, FILE);
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{6,64}$/.test(id)) return id;
  } catch {
    // not created yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const id = crypto.randomBytes(9).toString('base64url');
  // Written aside and renamed: a crash never leaves an empty id that would be replaced by another.
  fs.writeFileSync(`${file}.tmp`, id + '\n');
  fs.renameSync(`${file}.tmp`, file);
  return id;
}
