import type { Logger } from './log';

/** Runs a housekeeping task soon after start and then every interval; a failure is logged and retried next time. */
export function every(name: string, intervalMs: number, task: () => Promise<void>, log: Logger, firstAfterMs = 5_000): () => void {
  const run = async () => {
    try {
      await task();
    } catch (err) {
      log.warn({ task: name, err: (err as Error).message }, 'housekeeping task failed; will try again');
    }
  };
  const first = setTimeout(run, firstAfterMs);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
