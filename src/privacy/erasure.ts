import { ErasurePendingError, StoreNotReadyError } from '../errors';
import type { EnqueuedDelivery } from '../ingest/outbox';
import type { Store } from '../store/store';

export interface ErasureDeps {
  store: Pick<Store, 'journeysOfCaller' | 'ping'>;
  /** Where events wait between the webhook and the store (the outbox); absent where none wait. */
  pending?: {
    deliverEnqueued(timeoutMs: number): Promise<EnqueuedDelivery>;
    /** Leaves no copy of delivered events in the outbox journal's files (its WAL); never throws. */
    purgeDelivered(): void | Promise<void>;
  };
  /** Deletes calls so that their ingestion cannot interleave with it (Ingestor.deleteCalls). */
  deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }>;
  /** How long the events recorded before the request may take to be stored (default 10 s). */
  pendingTimeoutMs?: number;
}

export interface ErasureResult {
  journeys: number;
  events: number;
}

/**
 * Erases one caller's calls (GDPR art. 17): everything stored under their pseudonyms, and everything
 * recorded before the request but not yet stored, so that a call of theirs still in the outbox (a
 * call that has just ended, events waiting while the store is slow) does not reappear under their
 * pseudonym once it is delivered.
 *
 * All or nothing: if the events recorded before the request cannot be stored within the bound (the
 * store slow or down), nothing is erased and ErasurePendingError says so; the request is repeated
 * later. An erasure that reported success while some of the caller's data was still on its way to the
 * store would be worse than one that reports it could not be done yet.
 *
 * Their delivered events are gone from the outbox journal already (it deletes what it delivers);
 * its WAL, which may still hold a copy of them, is emptied too.
 *
 * Events of the caller's calls recorded after the request (a call still in progress, a late status
 * callback) are stored as new records afterwards, as the store's deleteCalls describes.
 */
export async function eraseCallerData(deps: ErasureDeps, pseudonyms: readonly string[]): Promise<ErasureResult> {
  if (deps.pending) {
    const delivery = await deps.pending.deliverEnqueued(deps.pendingTimeoutMs ?? 10_000);
    if (!delivery.delivered) {
      // A store still opening (or whose open failed) answers with its own code; any other trouble
      // (a database away) is what the pending events wait for, and what the error says.
      await deps.store.ping().catch((err: unknown) => {
        if (err instanceof StoreNotReadyError) throw err;
      });
      throw new ErasurePendingError(delivery.waiting);
    }
  }
  const journeys = (await Promise.all(pseudonyms.map((p) => deps.store.journeysOfCaller(p)))).flat();
  const callSids = [...new Set(journeys.map((j) => j.callSid))];
  if (!callSids.length) return { journeys: 0, events: 0 };
  const erased = await deps.deleteCalls(callSids);
  await deps.pending?.purgeDelivered();
  return erased;
}
