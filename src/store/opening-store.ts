import { ErrorCodes, StoreNotReadyError } from '../errors';
import type { CallEvent } from '../journey/events';
import { forwardIdentity } from './forward-identity';
import type { CommentQuery, StoredComment } from '../reception/comments';
import type { FlowVersionRecord, JourneyQuery, JourneyWrite, RollupDelta, RollupIntent, RollupQuery, Store } from './store';

/** How far a load has come; bytes for the embedded store, absent while a database connects. */
export interface OpenProgress {
  bytesRead: number;
  bytesTotal: number;
}

export type StoreStatus =
  | { state: 'loading'; since: number; progress: OpenProgress | null }
  | { state: 'ready' }
  | { state: 'failed'; error: string; code: string }
  | { state: 'stopped' };

/** Opens the store; stops (throwing the signal's reason) when the signal aborts; reports progress as it goes. */
export type StoreOpener = (ctx: { signal: AbortSignal; progress: (p: OpenProgress) => void }) => Promise<Store>;

/** The reason an open is aborted with when the service stops during it. */
export class OpenAbandoned extends Error {
  constructor() {
    super('store open abandoned: the service is stopping');
    this.name = 'OpenAbandoned';
  }
}

/**
 * The service's store while it opens in the background. Webhooks need no store (their events wait in
 * the outbox), so the service listens at once; every store operation meanwhile throws
 * StoreNotReadyError (STORE_LOADING, or STORE_LOAD_FAILED once the open failed), which the API turns
 * into 503. Once open, every operation goes straight to the real store.
 */
export class OpeningStore implements Store {
  private inner: Store | null = null;
  private current: StoreStatus;
  private readonly abort = new AbortController();
  /** The open store; rejects when the open fails or is abandoned by close(). */
  readonly ready: Promise<Store>;
  watchEvents?: Store['watchEvents'];
  /** The open store's, failing with StoreNotReadyError like every other operation until then. */
  readonly identity = forwardIdentity(() => this.s.identity);

  constructor(
    readonly kind: Store['kind'],
    open: StoreOpener,
    opts: { now?: () => number; watches?: boolean } = {},
  ) {
    this.current = { state: 'loading', since: (opts.now ?? Date.now)(), progress: null };
    const progress = (p: OpenProgress) => {
      if (this.current.state === 'loading') this.current = { ...this.current, progress: p };
    };
    this.ready = (async () => {
      try {
        const store = await open({ signal: this.abort.signal, progress });
        if (this.abort.signal.aborted) {
          // Opened just as the service began to stop: nobody will use it.
          await store.close();
          throw this.abort.signal.reason;
        }
        this.inner = store;
        this.current = { state: 'ready' };
        return store;
      } catch (err) {
        this.current = this.abort.signal.aborted
          ? { state: 'stopped' }
          : { state: 'failed', error: (err as Error).message, code: (err as { code?: string }).code ?? ErrorCodes.STORE_LOAD_FAILED };
        throw err;
      }
    })();
    // Whoever waits on `ready` hears of a failure; without a waiter it must not crash the process.
    this.ready.catch(() => undefined);
    // Offered only by stores shared between instances (MongoDB): the live view subscribes from the start.
    if (opts.watches) {
      this.watchEvents = (listener) => {
        let stop: (() => void) | null = null;
        let cancelled = false;
        this.ready.then(
          (s) => {
            if (!cancelled && s.watchEvents) stop = s.watchEvents(listener);
          },
          () => undefined,
        );
        return () => {
          cancelled = true;
          stop?.();
        };
      };
    }
  }

  /** A store already open (tests, tools): ready at once. */
  static of(store: Store): OpeningStore {
    const o = new OpeningStore(store.kind, async () => store, { watches: !!store.watchEvents });
    o.inner = store;
    o.current = { state: 'ready' };
    return o;
  }

  status(): StoreStatus {
    return this.current;
  }

  /** Async methods below: a store that is not open fails like one that is down, as a rejected promise. */
  private get s(): Store {
    if (this.inner) return this.inner;
    throw notReady(this.current);
  }

  async appendEvents(events: readonly CallEvent[]) {
    return this.s.appendEvents(events);
  }
  async eventsForCall(callSid: string) {
    return this.s.eventsForCall(callSid);
  }
  async eventsForCalls(callSids: readonly string[]) {
    return this.s.eventsForCalls(callSids);
  }
  eventsByCall() {
    return this.s.eventsByCall();
  }
  async putJourney(journey: Parameters<Store['putJourney']>[0], expectedEventCount?: number | null) {
    return this.s.putJourney(journey, expectedEventCount);
  }
  async putJourneys(writes: readonly JourneyWrite[]) {
    return this.s.putJourneys(writes);
  }
  async getJourney(callSid: string) {
    return this.s.getJourney(callSid);
  }
  async getJourneys(callSids: readonly string[]) {
    return this.s.getJourneys(callSids);
  }
  async listJourneys(q: JourneyQuery) {
    return this.s.listJourneys(q);
  }
  async journeysOfCaller(caller: string) {
    return this.s.journeysOfCaller(caller);
  }
  async journeysOfCallers(callers: readonly string[], startedSince: string) {
    return this.s.journeysOfCallers(callers, startedSince);
  }
  async applyRollups(deltas: readonly RollupDelta[]) {
    return this.s.applyRollups(deltas);
  }
  async queryRollups(q: RollupQuery) {
    return this.s.queryRollups(q);
  }
  async clearRollups() {
    return this.s.clearRollups();
  }
  async writeRollupIntents(put: readonly RollupIntent[], clear: readonly string[]) {
    return this.s.writeRollupIntents(put, clear);
  }
  async listRollupIntents() {
    return this.s.listRollupIntents();
  }
  async rollupScopeVersions(scopes: readonly string[]) {
    return this.s.rollupScopeVersions(scopes);
  }
  async claimRollupScope(scope: string, expected: number) {
    return this.s.claimRollupScope(scope, expected);
  }
  async deleteCalls(callSids: readonly string[]) {
    return this.s.deleteCalls(callSids);
  }
  async deleteCallsBefore(cutoff: string) {
    return this.s.deleteCallsBefore(cutoff);
  }
  async putComments(comments: readonly StoredComment[]) {
    return this.s.putComments(comments);
  }
  async commentsOf(callSids: readonly string[]) {
    return this.s.commentsOf(callSids);
  }
  async listComments(q: CommentQuery) {
    return this.s.listComments(q);
  }
  async deleteCommentsBefore(cutoff: string) {
    return this.s.deleteCommentsBefore(cutoff);
  }
  async putCallbacks(...a: Parameters<Store['putCallbacks']>) {
    return this.s.putCallbacks(...a);
  }
  async getCallback(id: string) {
    return this.s.getCallback(id);
  }
  async callbacksOf(callSids: readonly string[]) {
    return this.s.callbacksOf(callSids);
  }
  async listCallbacks(...a: Parameters<Store['listCallbacks']>) {
    return this.s.listCallbacks(...a);
  }
  async changeCallback(...a: Parameters<Store['changeCallback']>) {
    return this.s.changeCallback(...a);
  }
  async expireCallbacks(now: string) {
    return this.s.expireCallbacks(now);
  }
  async deleteCallbacksClosedBefore(cutoff: string) {
    return this.s.deleteCallbacksClosedBefore(cutoff);
  }
  async archiveFlowVersions(records: readonly FlowVersionRecord[]) {
    return this.s.archiveFlowVersions(records);
  }
  async listFlowVersions() {
    return this.s.listFlowVersions();
  }
  async putNotice(notice: Parameters<Store['putNotice']>[0]) {
    return this.s.putNotice(notice);
  }
  async deleteNotice(person: string) {
    return this.s.deleteNotice(person);
  }
  async listNotices() {
    return this.s.listNotices();
  }
  async ping() {
    return this.s.ping();
  }

  /** Stops an open under way (promptly: the embedded load stops before its next chunk) or closes the open store. */
  async close(): Promise<void> {
    if (!this.inner) {
      this.abort.abort(new OpenAbandoned());
      await this.ready.catch(() => undefined);
      this.current = { state: 'stopped' };
      return;
    }
    this.current = { state: 'stopped' };
    await this.inner.close();
  }
}

function notReady(status: StoreStatus): StoreNotReadyError {
  switch (status.state) {
    case 'loading': {
      const p = status.progress;
      const percent = p && p.bytesTotal > 0 ? Math.floor((100 * p.bytesRead) / p.bytesTotal) : null;
      return new StoreNotReadyError(
        ErrorCodes.STORE_LOADING,
        `The store is still loading${percent === null ? '' : ` (${percent} %)`}; calls are answered and recorded meanwhile. Try again in a moment.`,
        { progress: p ? { ...p, percent } : null },
      );
    }
    case 'failed':
      return new StoreNotReadyError(ErrorCodes.STORE_LOAD_FAILED, `The store failed to load: ${status.error}. Calls are answered and their events kept in the outbox journal; restart the service once the store is repaired.`);
    default:
      return new StoreNotReadyError(ErrorCodes.STORE_UNAVAILABLE, 'The store is closed: the service is stopping.');
  }
}
