import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import twilio from 'twilio';
import { ManualClock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { createService, type Service, type ServiceOptions } from '../../src/service';
import { VirtualCaller } from '../../src/sim/virtual-caller';
import type { Store } from '../../src/store/store';

export const AUTH_TOKEN = 'test-twilio-auth-token';
export const API_TOKEN = 'test-api-token-0123456789';
export const STAFF_TOKEN = 'test-staff-token-0123456789';
/** Seals callback numbers in tests (32 bytes of 0x11, base64). */
export const TEST_CALLBACK_KEYS = `cb1:${Buffer.alloc(32, 0x11).toString('base64')}`;

/** The demo flow's operator (ivr-flows/vaxel.yaml, queue vaxeln): the number she calls from, and the queue's agent number. */
export const DEMO_OPERATOR = { from: '+46701110001', agentNumber: '+46101300199' };

/** A caller in the demo's queue whom the operator takes after `afterSec` seconds. */
export const takenAfter = (afterSec: number, talkMs = 60_000) => ({ takenBy: { ...DEMO_OPERATOR, afterSec, talkMs } });

export interface Harness {
  service: Service;
  clock: ManualClock;
  caller: VirtualCaller;
  baseUrl: string;
  config: Config;
  dataDir: string;
  api(pathAndQuery: string, token?: string): Promise<{ status: number; body: any }>;
  /** Posts one webhook as Twilio would, signed for the full URL. */
  signedPost(pathAndQuery: string, params: Record<string, string>): Promise<{ status: number; type: string; text: string }>;
  /** Delivers everything recorded so far to the store. */
  settle(): Promise<void>;
  /** A call's journey once everything recorded is stored (fails the test when the API does not have it). */
  journey(callSid: string): Promise<any>;
  close(): Promise<void>;
}

let harnessCount = 0;

export function tempDir(prefix = 'callpath-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real service on a loopback port, with a manual clock the virtual caller advances. */
export async function startHarness(
  opts: {
    env?: Record<string, string>;
    store?: Store;
    options?: ServiceOptions;
    dataDir?: string;
    logTo?: { write(line: string): void };
    /** false: return as soon as the service listens, with its store possibly still loading. */
    waitForStore?: boolean;
  } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? tempDir();
  // HARNESS_STORE=mongo runs the same end-to-end tests on MongoDB (FerretDB in CI), one database per harness.
  const mongoEnv: Record<string, string> = {};
  if (process.env.HARNESS_STORE === 'mongo' && !opts.store) {
    const base = process.env.MONGODB_TEST_URI;
    if (!base) throw new Error('HARNESS_STORE=mongo needs MONGODB_TEST_URI');
    const u = new URL(base);
    u.pathname = `/callpath_e2e_${process.pid}_${++harnessCount}_${Math.random().toString(36).slice(2, 8)}`;
    mongoEnv.STORE = 'mongo';
    mongoEnv.MONGODB_URI = u.toString();
  }
  const clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
  const probe = loadConfig({
    PORT: '0',
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    API_TOKEN,
    API_STAFF_TOKEN: STAFF_TOKEN,
    PSEUDONYM_KEYS: 'k1:test-pseudonym-secret-0123456789',
    CALLBACK_KEYS: TEST_CALLBACK_KEYS,
    DATA_DIR: dataDir,
    FLOWS_DIR: path.join(__dirname, '../../ivr-flows'),
    LOG_LEVEL: 'silent',
    ...mongoEnv,
    ...opts.env,
  });
  // The public URL must be known before the app is built (it is signed), so the port is reserved first.
  const port = await freePort();
  const config: Config = { ...probe, port, publicBaseUrl: `http://127.0.0.1:${port}` };
  const log = opts.logTo ? createLogger('trace', opts.logTo) : createLogger(config.logLevel);
  if (mongoEnv.STORE && (opts.store || opts.options?.openStore)) {
    throw new Error('HARNESS_STORE=mongo: this test brings its own store, so it does not test MongoDB; leave it out of the Mongo phase (scripts/test.sh)');
  }
  const service = await createService(config, log, { clock, store: opts.store, ...opts.options });
  // The Mongo phase of npm test must really run on MongoDB, not pass on the embedded default.
  if (process.env.HARNESS_STORE === 'mongo' && service.store.kind !== 'mongo' && !opts.env?.STORE) {
    await service.stop();
    throw new Error(`HARNESS_STORE=mongo but the service under test runs on the ${service.store.kind} store`);
  }
  const server: http.Server = await service.listen(port, '127.0.0.1');
  if (opts.waitForStore !== false) await service.ready;
  const baseUrl = `http://127.0.0.1:${port}`;
  const caller = new VirtualCaller({
    authToken: AUTH_TOKEN,
    publicBaseUrl: baseUrl,
    clock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
  });
  const harness: Harness = {
    service,
    clock,
    caller,
    baseUrl,
    config,
    dataDir,
    async api(p, token = API_TOKEN) {
      const res = await fetch(baseUrl + p, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (CSV)
      }
      return { status: res.status, body };
    },
    async signedPost(pathAndQuery, params) {
      const url = baseUrl + pathAndQuery;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
        body: new URLSearchParams(params).toString(),
      });
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
    },
    async settle() {
      // A settle that timed out would let the test read a store that is behind and pass or fail for the wrong reason.
      if (!(await service.outbox.flush())) throw new Error(`settle: the outbox did not deliver everything within its deadline (${JSON.stringify(service.outbox.stats())})`);
    },
    async journey(callSid) {
      await harness.settle();
      const res = await harness.api(`/api/calls/${callSid}`);
      if (res.status !== 200) throw new Error(`journey ${callSid}: the API answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      await service.stop();
      void server;
    },
  };
  return harness;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}
