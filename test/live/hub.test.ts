import http from 'node:http';
import WebSocket from 'ws';
import { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/log';
import { createLiveHub } from '../../src/live/create';
import { LiveClose, LiveHub, type LiveTimers, type LiveViewers } from '../../src/live/hub';
import { DEFAULT_RULES, dayIn } from '../../src/live/live-state';
import type { CallEvent } from '../../src/journey/events';
import { API_TOKEN, STAFF_TOKEN, startHarness, type Harness, takenAfter } from '../helpers/harness';

/** Viewers known by one token, for hubs built by hand (the service's own recognise sessions and tokens: test/identity). */
const tokenViewers: LiveViewers = {
  role: 'reception',
  fromUpgrade: async () => null,
  fromToken: async (t) => (t === API_TOKEN ? { roles: ['reception', 'analyst', 'admin'] } : null),
  sessionOpen: async () => true,
};

interface LiveClient {
  ws: WebSocket;
  messages: any[];
  /** Resolves with the first message (already received or coming) that matches; no deadline of its own, the test's timeout is the limit. */
  next(match: (m: any) => boolean): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(url: string, opts: { token?: string; wsOptions?: WebSocket.ClientOptions } = {}): Promise<LiveClient> {
  const ws = new WebSocket(url, opts.wsOptions);
  const messages: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    messages.push(m);
    for (const w of [...waiters]) if (w.match(m)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(m));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: LiveClient = {
    ws,
    messages,
    closed,
    next(match) {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      if (opts.token !== undefined) ws.send(JSON.stringify({ type: 'auth', token: opts.token }));
      resolve(client);
    });
    ws.once('error', reject);
  });
}

/**
 * Resolves once the server has read everything this client sent before: the server answers the
 * client's ping only after the frames ahead of it on the connection.
 */
function serverHasRead(c: LiveClient): Promise<void> {
  if (c.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the client is not open'));
  return new Promise((resolve) => {
    c.ws.once('pong', () => resolve());
    c.ws.ping();
  });
}

const callChange = (callSid: string, phase?: string) => (m: any) =>
  m.type === 'changes' && m.changes.some((c: any) => c.type === 'call' && c.call.callSid === callSid && (!phase || c.call.phase === phase));

describe('live hub on the service', () => {
  let h: Harness;
  let wsUrl: string;
  const clients: LiveClient[] = [];
  const open = async (...args: Parameters<typeof connect>) => {
    const c = await connect(...args);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    h = await startHarness();
    wsUrl = h.baseUrl.replace('http', 'ws') + '/live';
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await h.close();
  });

  test('a signed-in client gets its roles, a snapshot, then each webhook\'s changes as the webhook is answered', async () => {
    const c = await open(wsUrl, { token: API_TOKEN });
    expect(await c.next((m) => m.type === 'hello')).toMatchObject({ roles: ['reception', 'analyst', 'admin'], now: h.clock.now() });
    const snap = await c.next((m) => m.type === 'snapshot');
    expect(snap).toMatchObject({ day: '2026-03-02', calls: [], counters: { calls: 0 } });

    // When each event happened by the service's (manual) clock, which moves only between webhooks.
    const emitted = new Map<string, number>();
    h.service.onEvents.add((events: CallEvent[]) => {
      for (const e of events) if (!emitted.has(`${e.callSid}:${e.type}`)) emitted.set(`${e.callSid}:${e.type}`, e.at);
    });
    const trace = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 4000, talkMs: 30_000 }], survey: ['5', '4', '1'] });
    const sid = trace.callSid;
    const inMenu = await c.next(callChange(sid, 'menu'));
    const ringing = await c.next(callChange(sid, 'ringing'));
    await c.next(callChange(sid, 'talking'));
    await c.next(callChange(sid, 'survey'));
    const ended = await c.next(callChange(sid, 'ended'));
    // Sent while its own webhook was handled, not batched for later: by then the clock had moved on.
    expect(inMenu.now).toBe(emitted.get(`${sid}:call.started`));
    expect(ringing.now).toBe(emitted.get(`${sid}:transfer.attempted`));
    expect(ringing.now).toBeGreaterThan(inMenu.now);
    const call = ended.changes.find((x: any) => x.type === 'call').call;
    expect(call).toMatchObject({ shortId: sid.slice(-6).toUpperCase(), party: null, ending: 'answered', flowId: 'vaxel' });
    const counters = c.messages.filter((m) => m.type === 'changes').flatMap((m) => m.changes).filter((x: any) => x.type === 'counters').pop();
    expect(counters.counters).toEqual({ calls: 1, answered: 1, abandoned: 0, fallbacks: 0, surveys: 1 });
    // No caller number, no pseudonym, on the wire.
    await h.settle();
    const journey = (await h.api(`/api/calls/${sid}`)).body;
    const wire = JSON.stringify(c.messages);
    expect(journey.caller).toBeTruthy();
    expect(wire).not.toContain(journey.caller);
    expect(wire).not.toContain('+4670');
  });

  test('several clients watch at once; staff and query-string tokens work', async () => {
    const a = await open(wsUrl, { token: API_TOKEN });
    const b = await open(wsUrl, { token: STAFF_TOKEN });
    const q = await open(`${wsUrl}?token=${STAFF_TOKEN}`);
    expect((await b.next((m) => m.type === 'hello')).roles).toEqual(['reception', 'analyst']);
    expect((await q.next((m) => m.type === 'hello')).roles).toEqual(['reception', 'analyst']);
    await a.next((m) => m.type === 'snapshot');
    const trace = await h.caller.call({ digits: ['0'], queue: { hangUpAfterSec: 5 } });
    for (const c of [a, b, q]) {
      const end = await c.next(callChange(trace.callSid, 'ended'));
      expect(end.changes.find((x: any) => x.type === 'call').call.ending).toBe('abandoned');
    }
    expect(h.service.live.clientCount).toBe(3);
  });

  test('a fallback is sent as it happens and settled when the caller is rescued', async () => {
    const c = await open(wsUrl, { token: STAFF_TOKEN });
    await c.next((m) => m.type === 'snapshot');
    const trace = await h.caller.call({ digits: ['5', '4711', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(6), survey: [] });
    const pending = await c.next((m) => m.type === 'changes' && m.changes.some((x: any) => x.type === 'fallback' && x.fallback.fate === 'pending'));
    const settled = await c.next((m) => m.type === 'changes' && m.changes.some((x: any) => x.type === 'fallback' && x.fallback.fate === 'answered'));
    const f = settled.changes.find((x: any) => x.type === 'fallback').fallback;
    expect(f).toMatchObject({ callSid: trace.callSid, nodeId: 'person', target: '4711', reason: 'no-answer', route: 'person_unavailable' });
    expect(f.lostMs).toBeGreaterThan(0);
    expect(pending.changes.find((x: any) => x.type === 'fallback').fallback.key).toBe(f.key);
  });

  test('a bad token is refused with 4401; the client learns why', async () => {
    const c = await open(wsUrl, { token: 'not-a-token-at-all-000' });
    const err = await c.next((m) => m.type === 'error');
    expect(err.code).toBe('API_UNAUTHORIZED');
    expect((await c.closed).code).toBe(LiveClose.UNAUTHORIZED);
    const q = await open(`${wsUrl}?token=wrong`);
    expect((await q.closed).code).toBe(LiveClose.UNAUTHORIZED);
    expect(q.messages.some((m) => m.type === 'snapshot')).toBe(false);
  });

  test('other upgrade paths are refused', async () => {
    await expect(connect(h.baseUrl.replace('http', 'ws') + '/elsewhere')).rejects.toThrow();
  });

  test('after a restart, the hub rebuilds today\'s counters from the store', async () => {
    await h.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: ['4', '4', '1'] });
    await h.caller.call({ digits: ['2'], dials: [{ answer: false, status: 'caller-hangs-up' }] });
    await h.settle();
    const before = h.service.live.snapshot().counters;
    expect(before).toEqual({ calls: 2, answered: 1, abandoned: 1, fallbacks: 0, surveys: 1 });
    const fresh = createLiveHub({ config: h.config, store: h.service.store, registry: h.service.registry, clock: h.clock, log: createLogger('silent'), events: new Set(), viewers: tokenViewers });
    await fresh.start();
    expect(fresh.snapshot().counters).toEqual(before);
    await fresh.close();
  });

  test('stopping the service closes live clients instead of waiting for them', async () => {
    const c = await open(wsUrl, { token: API_TOKEN });
    await c.next((m) => m.type === 'snapshot');
    const stopped = h.service.stop();
    expect((await c.closed).code).toBe(LiveClose.SHUTDOWN);
    await stopped;
    h = await startHarness(); // afterEach closes this one
  });
});

/** Timers the test fires by hand: what the heartbeat and the deadline do does not hang on how busy the machine is. */
class ManualTimers implements LiveTimers {
  private last = 0;
  private readonly pending = new Map<number, { ms: number; fn: () => void; repeat: boolean }>();
  every(ms: number, fn: () => void) {
    return this.add(ms, fn, true);
  }
  after(ms: number, fn: () => void) {
    return this.add(ms, fn, false);
  }
  private add(ms: number, fn: () => void, repeat: boolean) {
    const id = ++this.last;
    this.pending.set(id, { ms, fn, repeat });
    return () => void this.pending.delete(id);
  }
  /** The durations of the timers set and not cancelled (one-shot ones not yet fired). */
  durations(repeat: boolean): number[] {
    return [...this.pending.values()].filter((t) => t.repeat === repeat).map((t) => t.ms);
  }
  /** Runs each pending timer of this duration once, as if that much time had passed. */
  fire(ms: number): void {
    for (const [id, t] of [...this.pending]) {
      if (t.ms !== ms) continue;
      if (!t.repeat) this.pending.delete(id);
      t.fn();
    }
  }
}

describe('live hub heartbeat and sign-in deadline', () => {
  const HEARTBEAT_MS = 20_000;
  const AUTH_TIMEOUT_MS = 10_000;
  let server: http.Server;
  let hub: LiveHub;
  let timers: ManualTimers;
  let clock: ManualClock;
  let url: string;
  beforeEach(async () => {
    timers = new ManualTimers();
    clock = new ManualClock();
    hub = new LiveHub({
      feed: { subscribe: () => () => undefined },
      viewers: tokenViewers,
      clock,
      log: createLogger('silent'),
      rules: { ...DEFAULT_RULES, dayOf: dayIn('Europe/Stockholm') },
      heartbeatMs: HEARTBEAT_MS,
      authTimeoutMs: AUTH_TIMEOUT_MS,
      timers,
    });
    await hub.start();
    server = http.createServer();
    hub.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/live`;
  });
  afterEach(async () => {
    await hub.close();
    await new Promise((r) => server.close(r));
  });

  test('a client that stops answering pings is terminated at the next beat; a live one stays and gets ticks', async () => {
    expect(timers.durations(true)).toEqual([HEARTBEAT_MS, 60_000]);
    const dead = await connect(url, { token: API_TOKEN, wsOptions: { autoPong: false } });
    const alive = await connect(url, { token: API_TOKEN });
    await dead.next((m) => m.type === 'snapshot');
    await alive.next((m) => m.type === 'snapshot');
    const aliveClosed = alive.closed.then(() => {
      throw new Error('the live client was closed');
    });

    // First beat: both are pinged; only the live one answers.
    const pinged = Promise.all([dead, alive].map((c) => new Promise((r) => c.ws.once('ping', r))));
    clock.advance(HEARTBEAT_MS);
    timers.fire(HEARTBEAT_MS);
    await pinged;
    expect(await Promise.race([alive.next((m) => m.type === 'tick'), aliveClosed])).toMatchObject({ now: clock.now() });
    await serverHasRead(alive);

    // Second beat: the one that did not answer is dropped without a closing handshake.
    clock.advance(HEARTBEAT_MS);
    timers.fire(HEARTBEAT_MS);
    const second = clock.now();
    expect(await Promise.race([alive.next((m) => m.type === 'tick' && m.now === second), aliveClosed])).toBeTruthy();
    // Had the server kept it, it would answer this ping.
    const kept = await Promise.race([dead.closed.then(() => false), serverHasRead(dead).then(() => true, () => false)]);
    expect(kept).toBe(false);
    expect((await dead.closed).code).toBe(1006);
    await serverHasRead(alive);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    // The server lets go of the dropped socket once its receiver has drained.
    while (hub.clientCount !== 1) await new Promise((r) => setTimeout(r, 5));
    alive.ws.terminate();
  });

  test('a client that never sends its token is closed with 4408 when the deadline passes', async () => {
    const silent = await connect(url);
    // The deadline is set when the connection opens, with the configured length.
    expect(timers.durations(false)).toEqual([AUTH_TIMEOUT_MS]);
    timers.fire(AUTH_TIMEOUT_MS);
    expect(await silent.next((m) => m.type === 'error')).toMatchObject({ code: 'API_UNAUTHORIZED', message: 'No token received' });
    expect((await silent.closed).code).toBe(LiveClose.AUTH_TIMEOUT);
  });

  test('a client that signs in in time is not closed by the deadline', async () => {
    const signedIn = await connect(url, { token: API_TOKEN });
    await signedIn.next((m) => m.type === 'snapshot');
    expect(timers.durations(false)).toEqual([]);
    timers.fire(AUTH_TIMEOUT_MS);
    await serverHasRead(signedIn);
    expect(signedIn.ws.readyState).toBe(WebSocket.OPEN);
    expect(signedIn.messages.map((m) => m.type)).toEqual(['hello', 'snapshot']);
    signedIn.ws.terminate();
  });
});

describe('live hub seeding', () => {
  test('an event that fails to apply during the replay after seed() is skipped and logged; seed() resolves with the rest applied', async () => {
    let listener: ((events: CallEvent[]) => void) | null = null;
    const lines: string[] = [];
    const T0 = Date.parse('2026-03-02T08:00:00Z');
    const sid = 'CA' + 'f'.repeat(32);
    const hub = new LiveHub({
      feed: { subscribe: (fn) => ((listener = fn), () => undefined) },
      viewers: tokenViewers,
      clock: new ManualClock(T0),
      log: createLogger('info', { write: (l: string) => void lines.push(l) }),
      // Labels fail for one target, as for a flow unloaded under a call.
      rules: { ...DEFAULT_RULES, dayOf: dayIn('Europe/Stockholm'), labelOf: (_f, _v, target) => { if (target === 'gone') throw new Error('no such flow'); return null; } },
      seed: async () => [],
    });
    hub.begin();
    const event = (step: number, data: object) => ({ ...data, id: `${sid}:${step}`, callSid: sid, at: T0 + step, step, seq: 0 }) as CallEvent;
    listener!([event(0, { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: 'k1:x', to: '+46101300000', language: 'sv-SE' })]);
    listener!([event(1, { type: 'transfer.attempted', nodeId: 'main', transferId: '1', target: 'gone', targetKind: 'department' })]);
    listener!([event(2, { type: 'input.digits', nodeId: 'main', digits: '12' })]);
    lines.length = 0;
    await expect(hub.seed()).resolves.toBeUndefined();
    expect(hub.snapshot().calls).toEqual([expect.objectContaining({ callSid: sid, keyPresses: 2 })]);
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('live view: an event could not be applied and was skipped');
    await hub.close();
  });
});
