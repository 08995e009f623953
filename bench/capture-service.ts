import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../src/clock';
import { loadConfig, type Config } from '../src/config';
import { createLogger } from '../src/log';
import { createService, type Service } from '../src/service';
import { VirtualCaller } from '../src/sim/virtual-caller';

export const BENCH_AUTH_TOKEN = 'bench-twilio-auth-token';
export const BENCH_PUBLIC_URL = 'https://callpath.bench.invalid';
export const BENCH_PSEUDONYM_KEYS = 'bench:bench-pseudonym-secret-0123456789';

/** The configuration of a callpath run inside a bench process: the bench's Twilio token, URL and keys. */
export function benchServiceConfig(dataDir: string, flowsDir: string, logLevel: string): Config {
  return loadConfig({
    PORT: '0',
    PUBLIC_BASE_URL: BENCH_PUBLIC_URL,
    TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
    API_TOKEN: 'bench-api-token-0123456789',
    PSEUDONYM_KEYS: BENCH_PSEUDONYM_KEYS,
    DATA_DIR: dataDir,
    FLOWS_DIR: flowsDir,
    LOG_LEVEL: logLevel,
  });
}

export interface CaptureService {
  service: Service;
  clock: ManualClock;
  port: number;
}

/**
 * A real callpath in this process (engine, webhooks, outbox, ingestion, embedded store in a temp
 * folder) with a manual clock, so simulated calls take no real time. Removed afterwards.
 */
export async function withCaptureService<T>(flowsDir: string, fn: (s: CaptureService) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-bench-capture-'));
  const clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
  const config = benchServiceConfig(dataDir, flowsDir, 'silent');
  const service = await createService(config, createLogger('silent'), { clock });
  const server = await service.listen(0, '127.0.0.1');
  try {
    return await fn({ service, clock, port: (server.address() as { port: number }).port });
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A virtual caller signing as Twilio would for the capture service, on its manual clock (no real waits). */
export function captureCaller({ clock }: Pick<CaptureService, 'clock'>, port: number): VirtualCaller {
  return new VirtualCaller({
    authToken: BENCH_AUTH_TOKEN,
    publicBaseUrl: BENCH_PUBLIC_URL,
    target: `http://127.0.0.1:${port}`,
    clock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
  });
}
