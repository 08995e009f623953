import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import twilio from 'twilio';
import { OUTBOX_FILE } from '../../src/ingest/outbox-journal';
import { IngestThread } from '../../src/ingest/thread/ingest-thread';
import type { CallEvent } from '../../src/journey/events';
import { createLogger } from '../../src/log';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { freePort, startHarness, tempDir, type Harness } from '../helpers/harness';

/**
 * The outbox and the ingestor in their worker thread (INGEST_THREAD, the default with more than one
 * core): a webhook answers once the thread has journaled its events; the thread stores them; a thread
 * that dies is started again without losing what it was given; a process killed at once after its
 * answers loses nothing it answered.
 */
describe('the ingestion thread', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('a call is journaled and stored by the thread, its journey projected there; the service\'s own connection reads it', async () => {
    h = await startHarness({ env: { INGEST_THREAD: 'true' } });
    const stats = h.service.outbox.stats();
    expect(stats.thread).toBeDefined();
    // The thread's id in the operating system: Linux names it in /proc/thread-self.
    if (process.platform === 'linux') expect(stats.thread!.osThreadId).toEqual(expect.any(Number));
    const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 5000, talkMs: 60_000 }], survey: ['5', '4', '1'], thinkMs: 1000 });
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    const j = await h.journey(t.callSid);
    expect(j).toMatchObject({ callSid: t.callSid, outcome: 'answered_by_department', path: ['welcome', 'main', 'skola'], survey: { bemotande: 5, enkelhet: 4 } });
    expect(h.service.outbox.stats()).toMatchObject({ pending: 0, held: false });
    expect(h.service.outbox.stats().delivered).toBeGreaterThan(0);
    // Rollups were written by the thread's ingestor: the day's summary counts the call.
    const summary = await h.api('/api/metrics/summary?from=2026-03-02&to=2026-03-03');
    expect(summary.status).toBe(200);
    expect((summary.body as { summary: { calls: number } }).summary.calls).toBe(1);
  });

  test('without the thread (INGEST_THREAD=false) the outbox runs on the service\'s thread', async () => {
    h = await startHarness({ env: { INGEST_THREAD: 'false' } });
    expect(h.service.outbox.stats().thread).toBeUndefined();
    const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 5000, talkMs: 60_000 }], survey: ['5', '4', '1'], thinkMs: 1000 });
    expect((await h.journey(t.callSid)).outcome).toBe('answered_by_department');
  });

  test('a thread that dies is started again: what it journaled and what came meanwhile are both stored', async () => {
    h = await startHarness({ env: { INGEST_THREAD: 'true' } });
    const first = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 5000, talkMs: 60_000 }], survey: ['5', '4', '1'], thinkMs: 1000 });
    // As if the thread crashed (an uncaught error in it): the service's side sees it end.
    const thread = h.service.outbox as IngestThread;
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    // Calls answered while it is down: their webhooks wait for the restarted thread's journal (about a second).
    const second = await h.caller.call({ digits: ['2'], dials: [{ answer: true, ringMs: 5000, talkMs: 60_000 }], survey: ['4', '4', '1'], thinkMs: 1000 });
    expect(second.requests.every((r) => r.status === 200)).toBe(true);
    expect((await h.journey(first.callSid)).outcome).toBe('answered_by_department');
    expect((await h.journey(second.callSid)).outcome).toBe('answered_by_department');
    expect(h.service.outbox.stats().pending).toBe(0);
  });
});

describe('the ingestion thread\'s journal', () => {
  const event = (i: number): CallEvent => ({ id: `e${i}`, callSid: 'CA' + '0'.repeat(32), at: i, step: i, seq: 0, type: 'input.timeout', nodeId: 'main' });

  test('a wait for the enqueued events in the turn that enqueued them sends the turn once: one callback each, each event journaled once', async () => {
    const dir = tempDir('callpath-thread-journal-');
    const thread = new IngestThread({ dataDir: dir, store: 'embedded', timeZone: 'Europe/Stockholm', outboxMaxEvents: 1000, logLevel: 'silent', instanceId: 'test' }, createLogger('silent'));
    try {
      const answered: number[] = [];
      thread.enqueue([event(1), event(2)], () => answered.push(1));
      thread.enqueue([event(3)], () => answered.push(2));
      // Sends the turn at once (the store is not open: nothing is delivered, the events wait journaled).
      expect(await thread.deliverEnqueued(100)).toEqual({ delivered: false, waiting: 3 });
      // The end of the turn comes after: it must not send the same events again.
      await new Promise((r) => setImmediate(r));
      await thread.deliverEnqueued(100);
      expect(answered).toEqual([1, 2]);
      const db = new Database(path.join(dir, OUTBOX_FILE), { readonly: true });
      expect((db.prepare('SELECT body FROM journal ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b).id)).toEqual(['e1', 'e2', 'e3']);
      db.close();
    } finally {
      await thread.stop(0);
    }
  });

  test('stopped twice (a bench or a test stops the outbox, then the service stops it again): both calls answer', async () => {
    const dir = tempDir('callpath-thread-stop-');
    const thread = new IngestThread({ dataDir: dir, store: 'embedded', timeZone: 'Europe/Stockholm', outboxMaxEvents: 1000, logLevel: 'silent', instanceId: 'test' }, createLogger('silent'));
    thread.enqueue([event(1)]);
    expect(await thread.stop(0)).toBe(false);
    // Before, the second call asked the ended thread and waited forever: the process then ended silently.
    expect(await thread.stop(0)).toBe(false);
  });
});

describe('the ingestion thread in a process killed with SIGKILL', () => {
  const AUTH = 'thread-kill-auth-token';
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  function startService(dataDir: string, port: number): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/main.ts')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        TWILIO_AUTH_TOKEN: AUTH,
        PSEUDONYM_KEYS: 'k1:thread-kill-pseudonym-secret-0123456789',
        API_TOKEN: 'thread-kill-api-token-0123456789',
        DATA_DIR: dataDir,
        FLOWS_DIR: path.join(__dirname, '../../ivr-flows'),
        LOG_LEVEL: 'silent',
        INGEST_THREAD: 'true',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  }

  type Health = { status: string; outbox: { pending: number; held: boolean } };
  async function health(port: number): Promise<Health | null> {
    try {
      return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Health;
    } catch {
      return null;
    }
  }

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('every call answered before the kill is stored after the restart; both databases pass integrity_check', async () => {
    const dataDir = tempDir('callpath-thread-kill-');
    const port = await freePort();
    const first = startService(dataDir, port);
    // Delivering: the thread has started, opened the store and reported its figures.
    await until('the service', async () => {
      const hz = await health(port);
      return hz?.status === 'ok' && !hz.outbox.held;
    });
    // 40 calls at once; the kill follows the last answer without a pause, so most events are still
    // on their way from the journal to the store.
    const sids = Array.from({ length: 40 }, (_, i) => `CA${String(i).padStart(32, 'f')}`);
    const answers = await Promise.all(
      sids.map(async (sid) => {
        const url = `http://127.0.0.1:${port}/twilio/voice`;
        const params = { CallSid: sid, AccountSid: 'AC' + '1'.repeat(32), From: '+46701234567', To: '+46812345678', CallStatus: 'ringing', Direction: 'inbound' };
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH, url, params) },
          body: new URLSearchParams(params).toString(),
        });
        return { status: res.status, body: await res.text() };
      }),
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(answers.every((a) => a.status === 200 && a.body.includes('<Gather'))).toBe(true);

    for (const file of ['callpath.sqlite', 'outbox.sqlite']) {
      const db = new Database(path.join(dataDir, file), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const second = startService(dataDir, port);
    await until('the restarted service to deliver its journal', async () => {
      const hz = await health(port);
      return hz?.status === 'ok' && !hz.outbox.held && hz.outbox.pending === 0;
    });
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
    const store = SqliteStore.open(dataDir);
    try {
      const events = await store.eventsForCalls(sids);
      expect(sids.filter((sid) => !(events.get(sid) ?? []).some((e) => e.type === 'call.started'))).toEqual([]);
    } finally {
      await store.close();
    }
  }, 90_000);
});
