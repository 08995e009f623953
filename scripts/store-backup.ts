/**
 * A consistent copy of the embedded store, taken with SQLite's online backup while the service runs
 * (it goes on answering and writing meanwhile). The copy is a complete database: open it with the
 * sqlite3 tool, or put it in place of DATA_DIR/callpath.sqlite (service stopped) to restore.
 *
 *   npm run store:backup -- FILE
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadToolConfig } from '../src/config';
import { SqliteStore, STORE_FILE } from '../src/store/sqlite/sqlite-store';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target || target === '--help') {
    console.log('npm run store:backup -- FILE\n  Copies DATA_DIR/callpath.sqlite to FILE with SQLite\'s online backup; the service may keep running.');
    if (!target) process.exitCode = 1;
    return;
  }
  const config = loadToolConfig();
  if (config.store !== 'embedded') throw new Error('STORE is mongo: back MongoDB up with mongodump or your host\'s snapshots');
  const source = path.join(config.dataDir, STORE_FILE);
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist: nothing to back up`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; name a new file`);
  const store = SqliteStore.openFile(source);
  try {
    const started = Date.now();
    await store.backup(target);
    console.log(`store:backup: ${source} copied to ${target} (${(fs.statSync(target).size / 2 ** 20).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`store:backup: ${(err as Error).message}`);
  process.exit(1);
});
