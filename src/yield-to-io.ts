const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lets the event loop take what arrived while a long piece of background work held it (webhooks,
 * the ingestion thread's messages), and what those armed in turn, before the work goes on: the
 * outbox between batches, the ingestor between groups, the store between chunks of a deletion.
 *
 * One setImmediate is not enough: the work's own immediate is queued before the network's callbacks
 * run, so the outbox's end-of-turn journal write (a setImmediate armed by those webhooks) would run
 * after the next stretch of work, and each answer would wait for two stretches instead of one. The
 * second immediate is queued once the first has run, behind everything armed meanwhile.
 */
export async function yieldToIo(): Promise<void> {
  await immediate();
  await immediate();
}
