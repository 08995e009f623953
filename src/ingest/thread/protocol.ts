import type { CallEvent } from '../../journey/events';
import type { RollupRepairReport } from '../ingestor';
import type { OutboxStats } from '../outbox';

/** What the ingestion thread needs to open the journal and the store (a plain object: it crosses to the thread). */
export interface IngestThreadSettings {
  dataDir: string;
  store: 'embedded' | 'mongo';
  mongoUri?: string;
  timeZone: string;
  outboxMaxEvents: number;
  logLevel: string;
  instanceId: string;
}

/** The requests the service makes of the thread and awaits (see IngestThread.call). */
export interface ThreadMethods {
  /** The service's store is open (an old data folder imported): the thread opens its own connection. */
  storeOpened(): void;
  release(): void;
  flush(timeoutMs: number): boolean;
  deliverEnqueued(timeoutMs: number): { delivered: boolean; waiting: number };
  purgeDelivered(): void;
  repairRollups(): RollupRepairReport | null;
  deleteCalls(callSids: string[]): { journeys: number; events: number };
  /** The service's connection deleted calls (retention): what the thread holds of them goes. */
  forgetHeldCalls(): void;
  /** Delivers what it can in time, closes the journal, the ingestor and the store. */
  stop(timeoutMs: number): boolean;
}

export type MethodName = keyof ThreadMethods;

export type ToThread =
  /** A turn's events: journaled by the thread, which then answers `journaled` with the same number. */
  | { kind: 'enqueue'; batch: number; events: CallEvent[] }
  | { kind: 'call'; id: number; method: MethodName; args: unknown[] };

export type FromThread =
  | { kind: 'journaled'; batch: number }
  | { kind: 'stats'; stats: OutboxStats }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'failed'; id: number; error: { message: string; code?: string } };
