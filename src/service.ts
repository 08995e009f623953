import http from 'node:http';
import { dashboardChartRoutes } from './api/dashboard-charts';
import { dashboardPages } from './api/dashboard-pages';
import { sessionRoutes } from './api/dashboard-session';
import { metricsRoutes } from './api/metrics';
import { noticesRoutes } from './api/notices';
import { NoticeBoard } from './reception/notice-board';
import { CALENDAR_REFRESH_MS, CalendarFeeds } from './reception/calendar-feeds';
import type { PersonNotice } from './flow/context';
import { commentsRoutes } from './api/comments';
import { callbacksRoutes } from './api/callbacks';
import { CallbackWatch } from './reception/callback-watch';
import { withoutCallbackNumbers } from './reception/callbacks';
import { sealNumber } from './reception/callback-seal';
import { flowsRoutes } from './api/flows';
import { recordAccessWith } from './api/audit-access';
import { oidcSignIn, type OidcSignIn } from './identity/oidc-sign-in';
import { liveViewers } from './api/live-viewers';
import { createApp, guardDepsOf } from './app';
import type { RegisteredRoute } from './api/route-list';
import { createIdentity, type Identity } from './identity/create';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { flowsInService, type FlowReload } from './flow/in-service';
import { archiveFlows, importLegacyArchive, loadArchivedFlows } from './flow/replay/archive';
import type { Flow } from './flow/schema';
import { loadFlowDir } from './flow/loader';
import { FlowRegistry } from './flow/registry';
import type { RollupContribution } from './ingest/ingestor';
import { deliveryHere, deliveryInThread, type Delivery, type OutboxPort } from './ingest/delivery';
import type { Journey } from './journey/journey';
import type { CallEvent } from './journey/events';
import type { Logger } from './log';
import { createAlertMonitor, type AlertDeps } from './alerts/create';
import type { AlertMonitor } from './alerts/monitor';
import { createLiveHub } from './live/create';
import { headOfQueueContext } from './queue/head-context';
import { OperatorRinger, type OutboundCalls } from './queue/operator-ringer';
import { twilioOutboundCalls } from './telephony/twilio/rest-calls';
import { listenerSetFeed } from './live/feed';
import type { LiveHub } from './live/hub';
import { sharedFeed } from './live/shared-feed';
import { closeStaleCalls } from './ingest/stale-calls';
import { every } from './periodic';
import { applyCallbackRetention, applyRetention } from './privacy/retention';
import { withoutCommentWords } from './reception/comments';
import { eraseCallerData } from './privacy/erasure';
import { createRollupContribution } from './metrics/contribution';
import { CallpathError, ErrorCodes } from './errors';
import { instanceIdIn } from './instance-id';
import { openStoreInBackground } from './store/open';
import { OpeningStore, type StoreOpener, type StoreStatus } from './store/opening-store';
import type { Store } from './store/store';

export interface ServiceOptions {
  clock?: Clock;
  /** A store already open (tests, the seeder). */
  store?: Store;
  /** Opens the store in place of the configured one (tests hold a load half-way through). */
  openStore?: StoreOpener;
  registry?: FlowRegistry;
  contribution?: RollupContribution;
  /** How long an erasure waits for the events recorded before it to be stored (default 10 s; tests shorten it). */
  erasureWaitMs?: number;
  /** Twilio's REST API for ringing operators (RING_OPERATORS); tests put a stand-in here. */
  outboundCalls?: OutboundCalls;
  /** Posts alerts in place of fetch, and waits between their retries in place of timers (tests). */
  alertPost?: AlertDeps['post'];
  alertSleep?: AlertDeps['sleep'];
  /** Absence notices in place of the notice board (the seed's schedule over weeks of simulated traffic). */
  noticeOf?: (personNumber: string, now: number) => PersonNotice | null;
  /** Sign-in through an identity provider in place of the configured one (tests). */
  oidc?: OidcSignIn | null;
}

export interface Service {
  /** Every HTTP request: webhooks, API, dashboard (the live view's WebSocket is attached by listen()). */
  handler: http.RequestListener & { routes(): RegisteredRoute[] };
  store: Store;
  registry: FlowRegistry;
  /** Here or in the ingestion thread (INGEST_THREAD; a store or contribution passed in keeps it here). */
  outbox: OutboxPort;
  clock: Clock;
  /** Listeners for each webhook's events (live view) and each changed journey (journeys: only while ingestion runs on this thread). */
  onEvents: Set<(events: CallEvent[]) => void>;
  onJourney: Set<(journey: Journey) => void>;
  /**
   * The start-up repair of rollup hours an earlier run left half-moved (see Ingestor.repairRollups),
   * run once the store is open; deliveries wait for it. Never rejects: a failure is logged and retried
   * every minute. Resolves also when the service stops before its store was open.
   */
  rollupRepair: Promise<void>;
  /**
   * Resolves once the flow versions kept in the store before this start are in the registry (listed
   * by GET /api/flows, reachable by version), or could not be read, or the store failed to open
   * (logged). Never rejects. Nothing waits for it: a webhook needs only the flows loaded.
   */
  flowVersionsListed: Promise<void>;
  /** The dashboard's live feed (ws at /live), attached to the server by listen(). */
  live: LiveHub;
  /** Watches the live view for the alert conditions (see alerts/). */
  alerts: AlertMonitor;
  /** The open callbacks' deadlines the overdue alert reads (reception/callback-watch.ts). */
  callbackWatch: CallbackWatch;
  /** Staff users, sessions, tokens and the audit trail. */
  identity: Identity;
  /** The absence notices the webhooks read (in memory, loaded from the store once it is open). */
  notices: NoticeBoard;
  /** The people's calendar feeds (`calendar:` in a directory), read by the housekeeping into the notice board. */
  calendars: CalendarFeeds;
  /** Loads the flow files again and swaps them in when all are valid (else throws FlowError); calls in progress keep their version. */
  reloadFlows(): FlowReload;
  listen(port?: number, host?: string): Promise<http.Server>;
  /** Where the store's opening is: loading, ready, failed. */
  storeStatus(): StoreStatus;
  /**
   * After listen(): resolves once the store is open, the live view holds today's earlier calls and
   * the outbox delivers; rejects if the store fails to open (logged already) or the service stops first.
   */
  ready: Promise<void>;
  /** Stops taking requests, lets in-flight webhooks finish, delivers the outbox, closes the store (or stops its load). */
  stop(): Promise<void>;
}

/**
 * Wires the service from its configuration. Nothing listens until listen() is called. The store opens
 * in the background (the embedded store's load takes minutes for a year of a large municipality):
 * webhooks need no store, so the service answers them from the start; see listen() for what waits.
 */
export async function createService(config: Config, log: Logger, opts: ServiceOptions = {}): Promise<Service> {
  const clock = opts.clock ?? systemClock;
  const registry = opts.registry ?? new FlowRegistry(loadFlowDir(config.flowsDir), config.defaultFlow);
  // The ingestion thread opens its own connection to the configured store: not to one passed in.
  const inThread = config.ingestThread && !opts.store && !opts.openStore && !opts.contribution;
  const opening = opts.store
    ? OpeningStore.of(opts.store)
    : opts.openStore
      ? new OpeningStore(config.store, opts.openStore, { watches: config.store === 'mongo' })
      : // With the thread writing the calls, what this connection held of them could be stale.
        openStoreInBackground(config, log, inThread ? { recentCalls: 0 } : {});
  reportOpenFailure(opening, log);
  const archive = flowArchive(opening, config.dataDir, registry, log);
  const flows = flowsInService({ flowsDir: config.flowsDir, archive: archive.keep, registry, log, maxOperatorKeys: config.flowLintMaxOperatorKeys });
  flows.started();
  const store: Store = opening;
  const onEvents = new Set<(events: CallEvent[]) => void>();
  const onJourney = new Set<(journey: Journey) => void>();
  const instanceId = instanceIdIn(config.dataDir);
  const delivery: Delivery = inThread
    ? deliveryInThread({ dataDir: config.dataDir, store: config.store, mongoUri: config.mongoUri, timeZone: config.timeZone, outboxMaxEvents: config.outboxMaxEvents, logLevel: config.logLevel, instanceId }, log)
    : deliveryHere({
        store,
        contribution: opts.contribution ?? createRollupContribution({ timeZone: config.timeZone }),
        onJourney: (j) => onJourney.forEach((fn) => safely(log, () => fn(j))),
        instanceId,
        dataDir: config.dataDir,
        outboxMaxEvents: config.outboxMaxEvents,
        log,
      });
  const outbox = delivery.outbox;
  let startupRepairDone: () => void = () => undefined;
  const rollupRepair = new Promise<void>((resolve) => (startupRepairDone = resolve));
  const record = (events: CallEvent[], onJournaled?: () => void) => {
    // The words of a spoken comment go to the outbox (and from there to the comments store) alone.
    outbox.enqueue(events, onJournaled);
    // So does a callback's sealed number (to the callbacks store).
    const shown = withoutCallbackNumbers(withoutCommentWords(events));
    onEvents.forEach((fn) => safely(log, () => fn(shown)));
  };
  const identity = createIdentity(store.identity, config.identity, () => clock.now());
  const notices = new NoticeBoard(store, config.timeZone, log);
  // Loaded as soon as the store is open (webhooks meanwhile ring everyone, as before notices existed).
  opening.ready.then(
    () => notices.load().catch((err: Error) => log.warn({ err: err.message }, 'absence notices not loaded; tried again within a minute')),
    () => undefined,
  );
  // Read by the housekeeping alone: a webhook reads the board in memory and never waits on a feed.
  const calendars = new CalendarFeeds({ flows: () => registry.list(), board: notices, now: () => clock.now(), timeZone: config.timeZone, log });
  const recordAccess = recordAccessWith(identity.audit);
  const callbackWatch = new CallbackWatch(store);
  opening.ready.then(
    () => callbackWatch.load().catch((err: Error) => log.warn({ err: err.message }, 'open callbacks not loaded; tried again within a minute')),
    () => undefined,
  );
  const callbackKeys = config.callbackKeys;
  const handler = createApp({
    config,
    identity,
    oidc: opts.oidc !== undefined ? opts.oidc : config.oidc ? oidcSignIn(config.oidc, log) : null,
    store,
    registry,
    clock,
    log,
    record,
    outboxStats: () => outbox.stats(),
    eraseCaller: (pseudonyms) =>
      eraseCallerData({ store, pending: outbox, deleteCalls: (callSids) => delivery.deleteCalls(callSids), pendingTimeoutMs: opts.erasureWaitMs }, pseudonyms),
    storeStatus: () => opening.status(),
    headOfQueue: (flowId, queueKey) => {
      const { head, waiting } = live.headOfQueue(queueKey);
      return headOfQueueContext(head, waiting, clock.now(), registry.get(flowId)?.languages.default ?? 'sv-SE');
    },
    noticeOf: opts.noticeOf ?? ((number, now) => notices.forCall(number, now)),
    sealNumber: callbackKeys.length ? (number) => sealNumber(number, callbackKeys) : undefined,
    timeZone: config.timeZone,
    apiRouters: [
      noticesRoutes({ board: notices, registry, recordAccess, now: () => clock.now(), timeZone: config.timeZone }),
      flowsRoutes({ registry, recordAccess, reload: flows.reload, maxOperatorKeys: config.flowLintMaxOperatorKeys }),
      sessionRoutes({ clock, timeZone: config.timeZone }),
      dashboardChartRoutes({ registry, store, clock, timeZone: config.timeZone }),
      metricsRoutes({ store, registry, clock, timeZone: config.timeZone, skrReferences: config.skrReferences, recordAccess }),
      commentsRoutes(store, recordAccess),
      callbacksRoutes({
        store,
        registry,
        keys: callbackKeys,
        recordAccess,
        now: () => clock.now(),
        userOf: (email) => identity.users.get(email),
        listUsers: () => identity.users.list(),
        onChange: () => void callbackWatch.load().catch(() => undefined),
      }),
    ],
    pageRouters: [dashboardPages()],
  });

  // With a shared store, calls answered by other instances appear live here too.
  const liveFeed = sharedFeed(listenerSetFeed(onEvents), store.watchEvents?.bind(store));
  const live = createLiveHub({ config, store, registry, clock, log, events: liveFeed, viewers: liveViewers({ ...guardDepsOf({ config, identity }), sessions: identity.sessions }) });
  // A sign-out, a disabled user or a change of roles closes their live boards at once.
  identity.sessions.onEnded((idHashes) => live.endSessions(idHashes));
  const alerts = createAlertMonitor({
    config: config.alerts,
    live,
    registry,
    clock,
    log,
    post: opts.alertPost,
    sleep: opts.alertSleep,
    overdueCallbacks: (now) => callbackWatch.overdue(now),
  });
  const ringer = config.ringOperators.enabled
    ? new OperatorRinger({
        calls: opts.outboundCalls ?? twilioOutboundCalls(config.ringOperators.accountSid!, config.twilioAuthToken),
        registry,
        publicBaseUrl: config.publicBaseUrl,
        log,
        now: () => clock.now(),
        operatorsOnCall: (queue) => live.operatorsOnCall(queue),
      })
    : null;
  // After the hub has applied the same events (it subscribes when it begins): the boards are then current.
  const stopAlertFeed = liveFeed.subscribe((events) =>
    setImmediate(() => {
      alerts.onEvents(events);
      ringer?.onEvents(events);
    }),
  );

  let server: http.Server | null = null;
  let stopping = false;
  let stopHousekeeping: (() => void)[] = [];
  const startHousekeeping = () => {
    const hourly = 3_600_000;
    stopHousekeeping = [
      every('retention', hourly, async () => {
        const r = await applyRetention(store, clock.now(), config.retentionDays, config.commentRetentionDays);
        // The outbox journal's WAL may still hold the words the comments travelled with (see reception/comments.ts).
        if (r.comments) await outbox.purgeDelivered();
        if (r.journeys || r.events) delivery.callsDeleted();
        if (r.journeys || r.events || r.comments) log.info(r, 'retention: deleted calls and spoken comments past their retention periods');
        const c = await applyCallbackRetention(store, clock.now(), config.callbackRetentionDays);
        // The outbox journal's WAL may still hold the sealed numbers the callbacks travelled with.
        if (c.callbacks) await outbox.purgeDelivered();
        if (c.expired || c.callbacks) log.info(c, 'retention: expired open callbacks and deleted closed ones past their retention');
        if (c.expired) await callbackWatch.load();
      }, log),
      // Hours left by a failed write, once the retry has paid what it owed; a repair deferred at start.
      every('rollup repair', 60_000, () => repairRollups(delivery, log), log),
      every('sessions and audit trail', hourly, async () => {
        const sessions = await identity.sessions.removeExpired();
        const pruned = await identity.audit.prune(config.identity.auditRetentionDays);
        if (sessions || pruned) log.info({ sessions, auditEntries: pruned }, 'removed expired sessions and audit entries past their retention');
      }, log),
      // Notices set through another instance (a shared MongoDB) reach this one's callers within a minute.
      every('absence notices', 60_000, () => notices.load(), log),
      // The people's calendars: read every 5 minutes; what they say now put on the board every minute.
      every('calendar feeds', CALENDAR_REFRESH_MS, () => calendars.refresh(), log, 1_000),
      every('calendar notices', 60_000, async () => calendars.update(), log),
      // Open callbacks' deadlines for the overdue alert (changes made through another instance too).
      every('open callbacks', 60_000, () => callbackWatch.load(), log),
      // A wait grows without any webhook: the long-wait alert needs the clock too.
      every('alerts', 15_000, async () => void alerts.check(), log),
      every('stale calls', hourly, async () => {
        const closed = await closeStaleCalls(store, clock.now(), record);
        if (closed) log.info({ closed }, 'closed calls whose end was never reported');
      }, log),
    ];
  };
  let listening: () => void = () => undefined;
  /** Between the steps of start-up: a stop meanwhile ends it there. */
  const unlessStopping = () => {
    if (stopping) throw new Error('service stopped before start-up was complete');
  };
  const ready = (async () => {
    await new Promise<void>((resolve) => (listening = resolve));
    await opening.ready;
    unlessStopping();
    await delivery.storeOpened();
    unlessStopping();
    // Before the outbox delivers anything: the repair pauses the ingestor until it is done.
    await repairRollups(delivery, log);
    startupRepairDone();
    unlessStopping();
    // Today's journeys first, then the outbox: the live view replays the webhooks since the start on
    // top of the journeys, which therefore must not hold those events yet.
    await live.seed();
    unlessStopping();
    outbox.release();
    startHousekeeping();
  })();
  ready.catch(() => startupRepairDone());

  return {
    handler,
    store,
    registry,
    outbox,
    clock,
    onEvents,
    onJourney,
    reloadFlows: flows.reload,
    rollupRepair,
    flowVersionsListed: archive.listed,
    live,
    alerts,
    callbackWatch,
    identity,
    notices,
    calendars,
    storeStatus: () => opening.status(),
    ready,
    async listen(port = config.port, host = config.host) {
      server = http.createServer(handler);
      // The live view shows the calls of the webhooks from now on; today's earlier ones join once the
      // store is open. A receptionist opening the dashboard during a load sees who is calling now,
      // which is what the view is for, rather than a page waiting for minutes.
      live.begin();
      live.attach(server);
      // Twilio waits 15 s for a webhook; keep-alive longer than a load balancer's idle timeout avoids resets.
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      listening();
      return server;
    },
    async stop() {
      stopping = true;
      stopHousekeeping.forEach((stop) => stop());
      // A load under way stops before its next chunk; nothing can be delivered without the store.
      const storeOpen = opening.status().state === 'ready';
      if (!storeOpen) await opening.close();
      // Open WebSockets would keep the server from closing.
      stopAlertFeed();
      alerts.stop();
      await live.close();
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        });
      }
      // Stopped before start-up released the outbox (the store opened, its repair or the live view's
      // seeding still running): there is nothing to wait for, the journal keeps the events.
      const delivering = storeOpen && !outbox.stats().held;
      const flushed = await outbox.stop(delivering ? 15_000 : 0);
      if (!flushed && delivering) log.error({ pending: outbox.stats().pending }, 'outbox not empty at shutdown; the journal keeps the events for the next start');
      else if (!flushed) log.info({ pending: outbox.stats().pending }, 'stopped before start-up was complete; the outbox journal keeps the events for the next start');
      if (storeOpen) await delivery.close().catch((err: Error) => log.warn({ err: err.message }, 'rollup intents not cleared at shutdown; their hours are recomputed at the next start'));
      await store.close();
    },
  };
}

/**
 * A store that cannot be opened is loud: logged at fatal level, readiness stays false, the API answers
 * 503 STORE_LOAD_FAILED. The service goes on answering calls (their events wait in the outbox journal)
 * rather than exit: exiting would send every call to Twilio's fallback, unmeasured, and a restart
 * would read the same damaged files again.
 */
function reportOpenFailure(opening: OpeningStore, log: Logger): void {
  opening.ready.catch((err: Error & { code?: string; details?: unknown }) => {
    if (opening.status().state === 'stopped') return;
    log.fatal(
      { code: err.code ?? ErrorCodes.STORE_LOAD_FAILED, err: err.message, details: err.details },
      'store failed to open: nothing is stored until the service restarts with a readable store; calls are answered and their events kept in the outbox journal',
    );
  });
}

/**
 * Flow versions are kept in the store once it is open (webhooks do not wait for it); the first
 * time, the folder earlier versions kept them in (DATA_DIR/flow-versions) is moved in too. The
 * versions kept before this start join the registry (listed, reachable by version, not in service),
 * so the version picker, the flow picture and a call begun before a restart find them.
 */
function flowArchive(opening: OpeningStore, dataDir: string, registry: FlowRegistry, log: Logger): { keep: (flows: Flow[]) => Promise<void>; listed: Promise<void> } {
  const ready = opening.ready.then(async (store) => {
    const imported = await importLegacyArchive(dataDir, store);
    if (imported) log.info({ versions: imported }, 'flow versions: moved the archive folder of an earlier version into the store');
    return store;
  });
  // A store that fails to open is reported by reportOpenFailure; archiving then fails quietly.
  ready.catch(() => undefined);
  const listed = ready.then(
    async (store) => {
      try {
        const archived = await loadArchivedFlows(store);
        for (const problem of archived.problems) log.warn({ problem }, 'flow versions: a kept version does not load and is not listed');
        registry.remember(archived.flows);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'flow versions: the versions kept before this start could not be read; only those loaded since are listed');
      }
    },
    () => undefined,
  );
  return {
    keep: async (flows) => {
      await archiveFlows(await ready, flows);
    },
    listed,
  };
}

/** Runs the ingestor's rollup repair and logs what it did; never throws. */
async function repairRollups(delivery: Delivery, log: Logger): Promise<void> {
  try {
    const r = await delivery.repairRollups();
    if (r) log.warn(r, 'rollups: recomputed the hours an interrupted ingestion left behind');
  } catch (err) {
    const code = err instanceof CallpathError ? err.code : undefined;
    log.warn({ err: (err as Error).message, code }, 'rollups: repair not done; tried again within a minute');
  }
}

function safely(log: Logger, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    log.error({ err }, 'listener failed');
  }
}
