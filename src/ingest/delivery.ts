import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { Ingestor, type RollupContribution, type RollupRepairReport } from './ingestor';
import { Outbox } from './outbox';
import { openServiceJournal } from './outbox-journal';
import { IngestThread } from './thread/ingest-thread';
import type { IngestThreadSettings } from './thread/protocol';

/** What the service asks of the outbox: the same whether it runs here or in the ingestion thread. */
export type OutboxPort = Pick<Outbox, 'enqueue' | 'stats' | 'deliverEnqueued' | 'release' | 'flush' | 'stop'> & {
  /** See Outbox.purgeDelivered; in the thread it is done once the promise resolves (never rejects). */
  purgeDelivered(): void | Promise<void>;
};

/** The way from a webhook's events to the store: the outbox and the ingestor behind it. */
export interface Delivery {
  outbox: OutboxPort;
  /** The service's store is open: deliveries can begin once released. */
  storeOpened(): Promise<void>;
  repairRollups(): Promise<RollupRepairReport | null>;
  /** Deletes calls so that their ingestion cannot interleave with it (Ingestor.deleteCalls). */
  deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }>;
  /** The service's own connection deleted calls (retention): what ingestion held of them is dropped. */
  callsDeleted(): void;
  /** After outbox.stop(): the ingestor's last intents cleared (and, in the thread, its store closed). */
  close(): Promise<void>;
}

/** The outbox and the ingestor on the service's own thread, over the service's store (tests, one core). */
export function deliveryHere(deps: {
  store: Store;
  contribution: RollupContribution;
  onJourney: (journey: Journey) => void;
  instanceId: string;
  dataDir: string;
  outboxMaxEvents: number;
  log: Logger;
}): Delivery {
  const ingestor = new Ingestor({ store: deps.store, contribution: deps.contribution, onJourney: deps.onJourney, instanceId: deps.instanceId });
  const outbox = new Outbox((events: CallEvent[]) => ingestor.ingest(events), {
    journal: openServiceJournal(deps.dataDir, deps.log),
    maxInMemory: deps.outboxMaxEvents,
    log: deps.log,
    // Until the store is open (see the service's start-up).
    held: true,
  });
  return {
    outbox,
    storeOpened: async () => undefined,
    repairRollups: () => ingestor.repairRollups(),
    deleteCalls: (callSids) => ingestor.deleteCalls(callSids),
    callsDeleted: () => undefined,
    close: () => ingestor.close(),
  };
}

/** The outbox and the ingestor in a worker thread with its own connection to the store (see thread/ingest-thread.ts). */
export function deliveryInThread(settings: IngestThreadSettings, log: Logger): Delivery {
  const thread = new IngestThread(settings, log);
  return {
    outbox: thread,
    storeOpened: () => thread.storeOpened(),
    repairRollups: () => thread.repairRollups(),
    deleteCalls: (callSids) => thread.deleteCalls(callSids),
    callsDeleted: () => thread.forgetHeldCalls(),
    // The thread's stop (outbox.stop) closed its ingestor and store.
    close: async () => undefined,
  };
}
