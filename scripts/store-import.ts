/**
 * Imports a data folder written by a version before the SQLite store (DATA_DIR/store with JSON-lines
 * files, and DATA_DIR/outbox) into DATA_DIR/callpath.sqlite and DATA_DIR/outbox.sqlite. The service
 * does the same at its first start on such a folder; this does it beforehand, with the service
 * stopped. The old folders are kept as store.imported and outbox.imported.
 *
 *   npm run store:import
 */
import { loadToolConfig } from '../src/config';
import { createLogger } from '../src/log';
import { openServiceJournal } from '../src/ingest/outbox-journal';
import { hasLegacyOutbox, hasLegacyStore, importLegacyStore } from '../src/store/sqlite/legacy-import';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log('npm run store:import\n  Imports DATA_DIR/store and DATA_DIR/outbox of an earlier version into the SQLite store. Stop the service first.');
    return;
  }
  const config = loadToolConfig();
  if (config.store !== 'embedded') throw new Error('STORE is not embedded: there is nothing to import into MongoDB');
  if (!hasLegacyStore(config.dataDir) && !hasLegacyOutbox(config.dataDir)) {
    console.log(`store:import: nothing to import in ${config.dataDir}`);
    return;
  }
  if (hasLegacyStore(config.dataDir)) {
    const started = Date.now();
    let shown = 0;
    const report = await importLegacyStore(config.dataDir, {
      onProgress: ({ bytesRead, bytesTotal }) => {
        const percent = bytesTotal ? Math.floor((100 * bytesRead) / bytesTotal) : 100;
        if (percent >= shown + 10) process.stdout.write(`  ${(shown = percent)} %\n`);
      },
    });
    console.log(
      `store:import: ${report.events} events, ${report.journeys} journeys, ${report.rollupLines} rollup lines and ${report.intents} rollup intents in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (report.unreadableLines ? ` (${report.unreadableLines} unreadable lines skipped)` : '') +
        '; the old files are kept in store.imported',
    );
  }
  const journal = openServiceJournal(config.dataDir, createLogger('info'));
  if (!journal) throw new Error('the outbox journal could not be opened (see the log line above)');
  console.log(`store:import: the outbox journal holds ${journal.count()} undelivered events`);
  await journal.close();
}

main().catch((err) => {
  console.error(`store:import: ${(err as Error).message}`);
  process.exit(1);
});
