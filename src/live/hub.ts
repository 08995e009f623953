import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Clock } from '../clock';
import { ErrorCodes } from '../errors';
import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import type { Logger } from '../log';
import type { LiveFeed } from './feed';
import { queueBoards, type WaitingCaller } from './queue-state';
import { DEFAULT_QUEUE_TARGET } from './model';
import { applyEvents, emptyLiveState, expire, snapshotOf, stateFromJourneys, type LiveAlert, type LiveChange, type LiveRules, type LiveState } from './live-state';

export const LIVE_PATH = '/live';

/** Close codes the browser acts on: sign in again on 4401 (also when the session ended), give up on 4403, otherwise reconnect. */
export const LiveClose = { UNAUTHORIZED: 4401, FORBIDDEN: 4403, AUTH_TIMEOUT: 4408, SLOW_CONSUMER: 4429, SHUTDOWN: 1001 } as const;

/** Who watches: their roles, and the session they signed in with (none for a token). */
export interface LiveViewer {
  roles: readonly string[];
  sessionIdHash?: string;
}

/** How viewers are recognised (api/live-viewers.ts): the upgrade's session cookie, or a token sent first. */
export interface LiveViewers {
  /** The viewer signed in by the upgrade request's session cookie, or null. */
  fromUpgrade(req: http.IncomingMessage): Promise<LiveViewer | null>;
  fromToken(token: string): Promise<LiveViewer | null>;
  /** Whether a session is still open; checked every minute, so a session ended elsewhere closes its feed too. */
  sessionOpen(sessionIdHash: string): Promise<boolean>;
  /** The role the board needs. */
  readonly role: string;
}

/** How often viewers' sessions are checked. */
const SESSION_CHECK_MS = 60_000;

/** The hub's timers: the heartbeat and each client's sign-in deadline. Each returns its cancel. */
export interface LiveTimers {
  every(ms: number, fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
}

/** Real timers. The heartbeat is unref'd: an idle hub must not keep the process from exiting. */
export const systemTimers: LiveTimers = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

export interface LiveHubOptions {
  feed: LiveFeed;
  viewers: LiveViewers;
  clock: Clock;
  log: Logger;
  rules: LiveRules;
  /** Today's journeys from the store, so counters and calls survive a restart. */
  seed?: () => Promise<Journey[]>;
  /** Ping interval; a client that has not answered the previous ping by the next one is dropped. */
  heartbeatMs?: number;
  /** How long a client has to send its token. */
  authTimeoutMs?: number;
  maxClients?: number;
  /** Tests fire the heartbeat and the deadlines themselves instead of waiting for them. */
  timers?: LiveTimers;
}

interface Client {
  ws: WebSocket;
  /** Set once signed in with the board's role: only then does the client get the board. */
  viewer: LiveViewer | null;
  alive: boolean;
  /** Cancels the sign-in deadline. */
  cancelAuth: (() => void) | null;
}

/** Events kept for the replay after seed(): some minutes of heavy traffic, a few tens of MiB. */
const MAX_REPLAY_EVENTS = 200_000;

/** A client further behind than this is dropped; it reconnects and gets a fresh snapshot. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * The live view's WebSocket endpoint. Keeps the live state (no I/O, in live-state.ts) from the
 * feed, sends each signed-in client a snapshot and then the changes of every webhook. The hub owns
 * the state: applyEvents and expire change it in place, and nothing else writes it. Browsers
 * cannot set headers on a WebSocket, so the bearer token comes as the first message
 * ({"type":"auth","token":...}) or, for tools, as ?token=.
 */
export class LiveHub {
  private state: LiveState;
  private alerts: LiveAlert[] = [];
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private unsubscribe: (() => void) | null = null;
  private stopHeartbeat: (() => void) | null = null;
  /** Each webhook's events since begin(), until seed() has rebuilt the state (undefined: too many, given up). */
  private sinceBegin: CallEvent[][] | null | undefined = null;
  private sinceBeginEvents = 0;
  private readonly heartbeatMs: number;
  private readonly timers: LiveTimers;
  private readonly servers = new Map<http.Server, (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void>();

  constructor(private readonly opts: LiveHubOptions) {
    this.state = emptyLiveState(opts.rules.dayOf(opts.clock.now()));
    this.heartbeatMs = opts.heartbeatMs ?? 20_000;
    this.timers = opts.timers ?? systemTimers;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false });
    this.wss.on('connection', (ws, req) => this.connected(ws, req));
  }

  /** Subscribes to the feed, rebuilds the state from the store, and starts the heartbeat. */
  async start(): Promise<void> {
    this.begin();
    await this.seed();
  }

  /**
   * Subscribes to the feed and starts the heartbeat, with no store needed: the view shows the calls
   * of the webhooks from now on. seed() adds today's earlier calls once the store can be read.
   */
  begin(): void {
    if (this.unsubscribe) return;
    this.sinceBegin = this.opts.seed ? [] : null;
    this.sinceBeginEvents = 0;
    this.unsubscribe = this.opts.feed.subscribe((events) => {
      this.keepUntilSeeded(events);
      this.ingest(events);
    });
    const stopBeat = this.timers.every(this.heartbeatMs, () => this.beat());
    const stopChecks = this.timers.every(SESSION_CHECK_MS, () => void this.checkSessions());
    this.stopHeartbeat = () => {
      stopBeat();
      stopChecks();
    };
  }

  /**
   * Rebuilds the state from today's journeys in the store, then replays every webhook's events since
   * begin() on top of it, and sends each client the new snapshot. The journeys must not hold those
   * events yet (the service delivers the outbox only after this), or their key presses would count
   * twice. If the store does not answer, the view goes on with what it has.
   */
  async seed(): Promise<void> {
    if (!this.opts.seed || this.sinceBegin === null) return;
    let journeys: Journey[] = [];
    try {
      if (this.sinceBegin) journeys = await this.opts.seed();
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'live view starts without today\'s earlier calls: the store did not answer');
      this.sinceBegin = null;
      return;
    }
    // Read again: webhooks went on during the read.
    const replay = this.sinceBegin as CallEvent[][] | undefined;
    this.sinceBegin = null;
    if (!replay) {
      this.opts.log.warn({ limit: MAX_REPLAY_EVENTS }, 'live view goes on without today\'s earlier calls: too many webhooks came while the store loaded');
      return;
    }
    const now = this.opts.clock.now();
    const state = stateFromJourneys(journeys, now, this.opts.rules);
    for (const events of replay) this.apply(state, events);
    expire(state, now, this.opts.rules);
    this.state = state;
    for (const c of this.clients) if (c.viewer) this.send(c, { type: 'snapshot', now, ...snapshotOf(this.state, now), alerts: this.alerts });
  }

  /** Bounded: a very long load under heavy traffic gives up the earlier calls rather than memory. */
  private keepUntilSeeded(events: CallEvent[]): void {
    if (!this.sinceBegin) return;
    this.sinceBeginEvents += events.length;
    if (this.sinceBeginEvents > MAX_REPLAY_EVENTS) this.sinceBegin = undefined;
    else this.sinceBegin.push(events);
  }

  /** Serves the live endpoint on an HTTP server (several servers may share one hub). */
  attach(server: http.Server): void {
    const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (pathname !== LIVE_PATH) {
        // Another upgrade handler may want it; with none, nobody would ever answer.
        if (server.listenerCount('upgrade') === 1) socket.destroy();
        return;
      }
      if (this.clients.size >= (this.opts.maxClients ?? 200)) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    };
    server.on('upgrade', onUpgrade);
    this.servers.set(server, onUpgrade);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  snapshot() {
    return { ...snapshotOf(this.state, this.opts.clock.now()), alerts: this.alerts };
  }

  /** The alerts active now (see alerts/): shown to every client, and in each snapshot. */
  setAlerts(alerts: LiveAlert[]): void {
    this.alerts = alerts;
    this.broadcast([{ type: 'alerts', alerts }]);
  }

  /** The caller at the head of a queue now, with where they came from (null with nobody waiting), and how many wait. */
  headOfQueue(queue: string): { head: WaitingCaller | null; waiting: number } {
    let head: WaitingCaller | null = null;
    let waiting = 0;
    for (const w of this.state.queues.waiting.values()) {
      if (w.queue !== queue) continue;
      waiting++;
      if (!head || w.joinedAt < head.joinedAt) head = w;
    }
    return { head, waiting };
  }

  /** Operators of a queue on a call now. */
  operatorsOnCall(queue: string): number {
    let n = 0;
    for (const t of this.state.queues.talking.values()) if (t.queue === queue) n++;
    return n;
  }

  /** Every queue's board now, for the alert rules. */
  queueBoards() {
    return queueBoards(this.state.queues, this.opts.clock.now(), DEFAULT_QUEUE_TARGET);
  }

  /** The flow a call on screen runs. */
  flowOf(callSid: string): string | null {
    return this.state.calls.get(callSid)?.flowId ?? null;
  }

  /** Closes every client (so the HTTP server can close) and stops listening to the feed. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopHeartbeat?.();
    this.stopHeartbeat = null;
    for (const [server, onUpgrade] of this.servers) server.off('upgrade', onUpgrade);
    this.servers.clear();
    for (const c of this.clients) {
      c.cancelAuth?.();
      c.ws.close(LiveClose.SHUTDOWN, 'server stopping');
      // A client that does not finish the closing handshake must not hold the shutdown.
      setTimeout(() => c.ws.terminate(), 1000).unref();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /**
   * One webhook's events into a state: an event that fails is skipped and logged, live or replayed
   * after seed() (a replay that threw would leave start-up, and the outbox behind it, waiting).
   */
  private apply(state: LiveState, events: CallEvent[]): LiveChange[] {
    return applyEvents(state, events, this.opts.rules, (e, err) =>
      this.opts.log.error({ err, callSid: e.callSid, event: e.type }, 'live view: an event could not be applied and was skipped'),
    );
  }

  private ingest(events: CallEvent[]): void {
    const applied = this.apply(this.state, events);
    // A call that ended long ago by the clock (a replay, a late status callback) does not linger.
    // Cheap per webhook: expire looks only at calls whose deadline has passed.
    const expired = expire(this.state, this.opts.clock.now(), this.opts.rules);
    this.broadcast(expired.length ? applied.concat(expired) : applied);
  }

  private beat(): void {
    const now = this.opts.clock.now();
    const changes = expire(this.state, now, this.opts.rules);
    this.broadcast(changes);
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
      // Browsers do not see pings; the tick tells the page the connection is alive and what time the server has.
      if (c.viewer && !changes.length) this.send(c, { type: 'tick', now });
    }
  }

  private broadcast(changes: LiveChange[]): void {
    if (!changes.length) return;
    // Serialised only when someone signed in will read it: under load there is often nobody watching.
    let message: string | undefined;
    for (const c of this.clients) if (c.viewer) this.sendRaw(c, (message ??= JSON.stringify({ type: 'changes', now: this.opts.clock.now(), changes })));
  }

  private connected(ws: WebSocket, req: http.IncomingMessage): void {
    const client: Client = { ws, viewer: null, alive: true, cancelAuth: null };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => {
      client.cancelAuth?.();
      this.clients.delete(client);
    });
    ws.on('error', (err) => this.opts.log.debug({ err: err.message }, 'live client error'));

    // Listening for the token starts at once: a first message must not be lost while the cookie is checked.
    let tokenMessage: string | undefined | null = null;
    let cookieChecked = false;
    client.cancelAuth = this.timers.after(this.opts.authTimeoutMs ?? 10_000, () => this.reject(client, LiveClose.AUTH_TIMEOUT, 'No token received'));
    ws.once('message', (data: RawData) => {
      tokenMessage = tokenOf(data);
      if (cookieChecked) this.authenticate(client, this.opts.viewers.fromToken(tokenMessage ?? ''));
    });
    const queryToken = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    const viewers = this.opts.viewers;
    (queryToken !== undefined ? viewers.fromToken(queryToken) : viewers.fromUpgrade(req)).then(
      (viewer) => {
        cookieChecked = true;
        if (viewer || queryToken !== undefined) this.authenticate(client, Promise.resolve(viewer));
        else if (tokenMessage !== null) this.authenticate(client, viewers.fromToken(tokenMessage ?? ''));
      },
      (err) => {
        this.opts.log.warn({ err: (err as Error).message }, 'live: could not check a viewer');
        this.reject(client, LiveClose.UNAUTHORIZED, 'Sign-in could not be checked');
      },
    );
  }

  private authenticate(client: Client, found: Promise<LiveViewer | null>): void {
    client.cancelAuth?.();
    client.cancelAuth = null;
    found.then(
      (viewer) => {
        if (client.viewer || client.ws.readyState !== WebSocket.OPEN) return;
        if (!viewer) return this.reject(client, LiveClose.UNAUTHORIZED, 'Missing or invalid token');
        if (!viewer.roles.includes(this.opts.viewers.role)) return this.reject(client, LiveClose.FORBIDDEN, `The live board needs the role ${this.opts.viewers.role}`, ErrorCodes.API_FORBIDDEN);
        client.viewer = viewer;
        const now = this.opts.clock.now();
        this.send(client, { type: 'hello', roles: viewer.roles, heartbeatMs: this.heartbeatMs, now });
        this.send(client, { type: 'snapshot', now, ...snapshotOf(this.state, now), alerts: this.alerts });
      },
      (err) => {
        this.opts.log.warn({ err: (err as Error).message }, 'live: could not check a viewer');
        this.reject(client, LiveClose.UNAUTHORIZED, 'Sign-in could not be checked');
      },
    );
  }

  /** Closes the feeds of sessions that ended (signed out, the user disabled or given other roles). */
  endSessions(idHashes: readonly string[]): void {
    const ended = new Set(idHashes);
    for (const c of this.clients) if (c.viewer?.sessionIdHash && ended.has(c.viewer.sessionIdHash)) this.reject(c, LiveClose.UNAUTHORIZED, 'The session has ended');
  }

  /** Sessions can end on another instance, or by their timeouts: each viewer's is checked every minute. */
  async checkSessions(): Promise<void> {
    for (const c of [...this.clients]) {
      const idHash = c.viewer?.sessionIdHash;
      if (!idHash) continue;
      try {
        if (!(await this.opts.viewers.sessionOpen(idHash))) this.reject(c, LiveClose.UNAUTHORIZED, 'The session has ended');
      } catch (err) {
        // The store is down: the viewer keeps the board until it can be checked again.
        this.opts.log.debug({ err: (err as Error).message }, 'live: session check failed');
      }
    }
  }

  private reject(client: Client, code: number, message: string, errorCode: string = ErrorCodes.API_UNAUTHORIZED): void {
    client.viewer = null;
    this.send(client, { type: 'error', code: errorCode, message });
    client.ws.close(code, message);
  }

  private send(client: Client, msg: unknown): void {
    this.sendRaw(client, JSON.stringify(msg));
  }

  private sendRaw(client: Client, message: string): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.ws.close(LiveClose.SLOW_CONSUMER, 'too far behind');
      return;
    }
    client.ws.send(message);
  }
}

/** The token of a first message {"type":"auth","token":...}, or undefined. */
function tokenOf(data: RawData): string | undefined {
  try {
    const msg = JSON.parse(data.toString());
    return msg && msg.type === 'auth' && typeof msg.token === 'string' ? msg.token : undefined;
  } catch {
    return undefined;
  }
}
