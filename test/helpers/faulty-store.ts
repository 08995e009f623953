import type { Store } from '../../src/store/store';

export type Fault = 'none' | 'down' | 'slow' | 'full' | 'flaky';

/**
 * Wraps a real store and injects faults: down (every call fails), slow (calls hang until healed),
 * full (writes fail as on a full disk), flaky (every other write fails, after doing half its work).
 */
export class FaultyStore implements Store {
  fault: Fault = 'none';
  private waiting: (() => void)[] = [];
  private flip = false;
  calls = 0;

  constructor(readonly inner: Store) {}

  get kind() {
    return this.inner.kind;
  }

  /** Not faulted: the faults model the call data's path (webhooks, ingestion, the views). */
  get identity() {
    return this.inner.identity;
  }

  heal(): void {
    this.fault = 'none';
    const w = this.waiting;
    this.waiting = [];
    w.forEach((f) => f());
  }

  private async gate(write: boolean): Promise<void> {
    this.calls++;
    switch (this.fault) {
      case 'down':
        throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
      case 'slow':
        await new Promise<void>((r) => this.waiting.push(r));
        return;
      case 'full':
        if (write) throw new Error('ENOSPC: no space left on device');
        return;
      default:
        return;
    }
  }

  async appendEvents(...a: Parameters<Store['appendEvents']>) {
    await this.gate(true);
    if (this.fault === 'flaky') {
      this.flip = !this.flip;
      if (this.flip) {
        // Half the batch lands, then the connection drops: the retry must not duplicate the first half.
        await this.inner.appendEvents(a[0].slice(0, Math.ceil(a[0].length / 2)));
        throw new Error('connection reset mid-write');
      }
    }
    return this.inner.appendEvents(...a);
  }
  async eventsForCall(...a: Parameters<Store['eventsForCall']>) {
    await this.gate(false);
    return this.inner.eventsForCall(...a);
  }
  async eventsForCalls(...a: Parameters<Store['eventsForCalls']>) {
    await this.gate(false);
    return this.inner.eventsForCalls(...a);
  }
  eventsByCall() {
    return this.inner.eventsByCall();
  }
  async putJourney(...a: Parameters<Store['putJourney']>): Promise<boolean> {
    await this.gate(true);
    return this.inner.putJourney(...a);
  }
  async putJourneys(...a: Parameters<Store['putJourneys']>): Promise<Set<string>> {
    await this.gate(true);
    return this.inner.putJourneys(...a);
  }
  async getJourneys(...a: Parameters<Store['getJourneys']>) {
    await this.gate(false);
    return this.inner.getJourneys(...a);
  }
  async getJourney(...a: Parameters<Store['getJourney']>) {
    await this.gate(false);
    return this.inner.getJourney(...a);
  }
  async listJourneys(...a: Parameters<Store['listJourneys']>) {
    await this.gate(false);
    return this.inner.listJourneys(...a);
  }
  async journeysOfCaller(...a: Parameters<Store['journeysOfCaller']>) {
    await this.gate(false);
    return this.inner.journeysOfCaller(...a);
  }
  async journeysOfCallers(...a: Parameters<Store['journeysOfCallers']>) {
    await this.gate(false);
    return this.inner.journeysOfCallers(...a);
  }
  async applyRollups(...a: Parameters<Store['applyRollups']>) {
    await this.gate(true);
    return this.inner.applyRollups(...a);
  }
  async queryRollups(...a: Parameters<Store['queryRollups']>) {
    await this.gate(false);
    return this.inner.queryRollups(...a);
  }
  async clearRollups() {
    await this.gate(true);
    return this.inner.clearRollups();
  }
  async writeRollupIntents(...a: Parameters<Store['writeRollupIntents']>) {
    await this.gate(true);
    return this.inner.writeRollupIntents(...a);
  }
  async listRollupIntents() {
    await this.gate(false);
    return this.inner.listRollupIntents();
  }
  async rollupScopeVersions(...a: Parameters<Store['rollupScopeVersions']>) {
    await this.gate(false);
    return this.inner.rollupScopeVersions(...a);
  }
  async claimRollupScope(...a: Parameters<Store['claimRollupScope']>) {
    await this.gate(true);
    return this.inner.claimRollupScope(...a);
  }
  async deleteCalls(...a: Parameters<Store['deleteCalls']>) {
    await this.gate(true);
    return this.inner.deleteCalls(...a);
  }
  async deleteCallsBefore(...a: Parameters<Store['deleteCallsBefore']>) {
    await this.gate(true);
    return this.inner.deleteCallsBefore(...a);
  }
  async putComments(...a: Parameters<Store['putComments']>) {
    await this.gate(true);
    return this.inner.putComments(...a);
  }
  async commentsOf(...a: Parameters<Store['commentsOf']>) {
    await this.gate(false);
    return this.inner.commentsOf(...a);
  }
  async listComments(...a: Parameters<Store['listComments']>) {
    await this.gate(false);
    return this.inner.listComments(...a);
  }
  async deleteCommentsBefore(...a: Parameters<Store['deleteCommentsBefore']>) {
    await this.gate(true);
    return this.inner.deleteCommentsBefore(...a);
  }
  async putCallbacks(...a: Parameters<Store['putCallbacks']>) {
    await this.gate(true);
    return this.inner.putCallbacks(...a);
  }
  async getCallback(...a: Parameters<Store['getCallback']>) {
    await this.gate(false);
    return this.inner.getCallback(...a);
  }
  async callbacksOf(...a: Parameters<Store['callbacksOf']>) {
    await this.gate(false);
    return this.inner.callbacksOf(...a);
  }
  async listCallbacks(...a: Parameters<Store['listCallbacks']>) {
    await this.gate(false);
    return this.inner.listCallbacks(...a);
  }
  async changeCallback(...a: Parameters<Store['changeCallback']>) {
    await this.gate(true);
    return this.inner.changeCallback(...a);
  }
  async expireCallbacks(...a: Parameters<Store['expireCallbacks']>) {
    await this.gate(true);
    return this.inner.expireCallbacks(...a);
  }
  async deleteCallbacksClosedBefore(...a: Parameters<Store['deleteCallbacksClosedBefore']>) {
    await this.gate(true);
    return this.inner.deleteCallbacksClosedBefore(...a);
  }
  async archiveFlowVersions(...a: Parameters<Store['archiveFlowVersions']>) {
    await this.gate(true);
    return this.inner.archiveFlowVersions(...a);
  }
  async listFlowVersions() {
    await this.gate(false);
    return this.inner.listFlowVersions();
  }
  async putNotice(...a: Parameters<Store['putNotice']>) {
    await this.gate(true);
    return this.inner.putNotice(...a);
  }
  async deleteNotice(...a: Parameters<Store['deleteNotice']>) {
    await this.gate(true);
    return this.inner.deleteNotice(...a);
  }
  async listNotices() {
    await this.gate(false);
    return this.inner.listNotices();
  }
  async ping() {
    await this.gate(false);
    return this.inner.ping();
  }
  async close() {
    this.heal();
    return this.inner.close();
  }
}
