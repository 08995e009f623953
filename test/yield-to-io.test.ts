import { yieldToIo } from '../src/yield-to-io';

/**
 * Background work (the outbox's deliveries, the ingestor's groups, the store's deletion chunks) yields with yieldToIo between
 * stretches: what arrived meanwhile and what it armed with setImmediate (the outbox's end-of-turn
 * journal write, which lets webhooks answer) must run before the work goes on.
 */
describe('yieldToIo', () => {
  /** Runs `work` (a stretch, then a yield, then the next stretch) while a message arrives as network I/O does. */
  async function order(yieldFn: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    const channel = new MessageChannel();
    // A webhook arriving: handled in the poll phase, it arms its journal write for the end of the turn.
    channel.port2.on('message', () => {
      seen.push('webhook');
      setImmediate(() => seen.push('journal write'));
    });
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      seen.push('stretch 1');
      channel.port1.postMessage('arrives during stretch 1');
      await yieldFn();
      seen.push('stretch 2');
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
      return seen;
    } finally {
      channel.port1.close();
    }
  }

  test('what arrived during a stretch, and the journal write it armed, run before the next stretch', async () => {
    expect(await order(yieldToIo)).toEqual(['stretch 1', 'webhook', 'journal write', 'stretch 2']);
  });

  test('one setImmediate alone lets the webhook in but not its journal write (why yieldToIo yields twice)', async () => {
    expect(await order(() => new Promise<void>((resolve) => setImmediate(resolve)))).toEqual(['stretch 1', 'webhook', 'stretch 2', 'journal write']);
  });
});
