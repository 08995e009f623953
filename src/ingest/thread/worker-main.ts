/**
 * The ingestion thread (see ingest-thread.ts): the outbox with its journal, the ingestor and a
 * connection of its own to the store, on the second core. The service's thread sends each turn's
 * events here and answers its webhooks once this thread has journaled them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../../log';
import { createRollupContribution } from '../../metrics/contribution';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { Ingestor } from '../ingestor';
import { Outbox } from '../outbox';
import { openServiceJournal } from '../outbox-journal';
import type { FromThread, IngestThreadSettings, ThreadMethods, ToThread } from './protocol';

/** How often the service's copy of the outbox's figures (health, the dashboard) is brought up to date. */
const STATS_EVERY_MS = 200;

const port = parentPort!;
const settings = workerData as IngestThreadSettings;
const log = createLogger(settings.logLevel).child({ thread: 'ingest' });
const post = (message: FromThread) => port.postMessage(message);

let store: Store | null = null;
let ingestor: Ingestor | null = null;
const outbox = new Outbox(
  (events) => {
    if (!ingestor) throw new Error('ingestion thread: the store is not open here yet');
    return ingestor.ingest(events);
  },
  { journal: openServiceJournal(settings.dataDir, log), maxInMemory: settings.outboxMaxEvents, log, held: true },
);

/** This thread's id in the operating system: /proc/thread-self names it on Linux; elsewhere unknown. */
function osThreadId(): number | null {
  try {
    return Number(path.basename(fs.readlinkSync('/proc/thread-self'))) || null;
  } catch {
    return null;
  }
}
const thread = { osThreadId: osThreadId() };

let lastSent = '';
/** Sent when they changed: an idle service's thread stays quiet. */
const sendStats = () => {
  const stats = { ...outbox.stats(), thread };
  const text = JSON.stringify(stats);
  if (text === lastSent) return;
  lastSent = text;
  post({ kind: 'stats', stats });
};
const statsTimer = setInterval(sendStats, STATS_EVERY_MS);
statsTimer.unref();

const methods: { [K in keyof ThreadMethods]: (...args: Parameters<ThreadMethods[K]>) => Promise<ReturnType<ThreadMethods[K]>> | ReturnType<ThreadMethods[K]> } = {
  async storeOpened() {
    if (store) return;
    store = await openThreadStore();
    ingestor = new Ingestor({ store, contribution: createRollupContribution({ timeZone: settings.timeZone }), instanceId: settings.instanceId });
  },
  release: () => outbox.release(),
  flush: (timeoutMs) => outbox.flush(timeoutMs),
  deliverEnqueued: (timeoutMs) => outbox.deliverEnqueued(timeoutMs),
  purgeDelivered: () => outbox.purgeDelivered(),
  repairRollups: () => requireIngestor().repairRollups(),
  deleteCalls: (callSids) => requireIngestor().deleteCalls(callSids),
  forgetHeldCalls: () => {
    if (store instanceof SqliteStore) store.forgetHeldCalls();
  },
  async stop(timeoutMs) {
    clearInterval(statsTimer);
    const flushed = await outbox.stop(timeoutMs);
    if (ingestor) await ingestor.close().catch((err: Error) => log.warn({ err: err.message }, 'rollup intents not cleared at shutdown; their hours are recomputed at the next start'));
    await store?.close();
    store = null;
    ingestor = null;
    sendStats();
    return flushed;
  },
};

/**
 * The thread's own connection. The service has opened the store before (and imported an old data
 * folder), so this only connects. The Mongo adapter is required, not import()ed: under the tests the
 * thread runs its TypeScript through tsx's CommonJS hook, which import() bypasses.
 */
async function openThreadStore(): Promise<Store> {
  if (settings.store === 'mongo') {
    const { MongoStore } = require('../../store/mongo/mongo-store') as typeof import('../../store/mongo/mongo-store');
    return MongoStore.connect(settings.mongoUri!, log);
  }
  return SqliteStore.open(settings.dataDir);
}

function requireIngestor(): Ingestor {
  if (!ingestor) throw Object.assign(new Error('the store is not open in the ingestion thread yet'), { code: 'STORE_NOT_READY' });
  return ingestor;
}

port.on('message', (message: ToThread) => {
  if (message.kind === 'enqueue') {
    outbox.enqueue(message.events, () => post({ kind: 'journaled', batch: message.batch }));
    return;
  }
  const { id, method, args } = message;
  Promise.resolve()
    .then(() => (methods[method] as (...a: unknown[]) => unknown)(...args))
    .then(
      (value) => {
        // First: whoever awaited the call (a flush) reads the figures as they are after it.
        sendStats();
        post({ kind: 'result', id, value: value ?? null });
      },
      (err: Error & { code?: string }) => post({ kind: 'failed', id, error: { message: err.message, code: err.code } }),
    );
});
sendStats();
