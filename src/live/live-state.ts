import type { TargetKind } from '../flow/schema';
import { inOrderBy, type CallEvent } from '../journey/events';
import { LiveBatch } from './batch';
import { DEFAULT_QUEUE_TARGET, type LiveChange, type LivePhase, type LiveRules, type LiveState, type TrackedCall } from './model';
import { applyQueueEvent, forgetCall, type QueueEventContext } from './queue-state';

export * from './model';
export { stateFromJourneys } from './journey-state';

/**
 * How call events change what the live view shows, as the webhooks produce them. No I/O: the hub
 * feeds events and the clock in and sends the changes out. The state is the hub's alone and is
 * changed in place (see LiveState), so one webhook costs what its own calls cost, not what the
 * whole screen holds. A webhook that Twilio delivers twice counts once: event ids are
 * deterministic and each call remembers the ids it applied; counters also move only on
 * transitions (a call becomes answered, ended, surveyed), which keeps them right for calls
 * rebuilt from journeys.
 */

const setPhase = (c: TrackedCall, phase: LivePhase, at: number, party: TargetKind | null = null, partyLabel: string | null = null) => {
  if (c.phase === phase && c.party === party) return;
  c.phase = phase;
  c.phaseSince = Math.max(at, c.startedAt);
  c.party = party;
  c.partyLabel = partyLabel;
};

function end(d: LiveBatch, c: TrackedCall, at: number): void {
  if (c.endedAt !== null) return;
  c.endedAt = at;
  c.ending = c.answered ? 'answered' : c.ivrHungUp || c.outsideHours ? 'ivr' : 'abandoned';
  setPhase(c, 'ended', at);
  if (forgetCall(d.state.queues, c.callSid)) d.queues(at);
  if (c.ending === 'abandoned' && c.countedOn === d.state.day) d.count('abandoned', at);
  d.settleFallbacks(c.callSid, c.ivrHungUp ? 'ivr' : 'abandoned', at);
}

function apply(d: LiveBatch, rules: LiveRules, e: CallEvent): void {
  // The ingestor's note on an ended call (see journey/repeats.ts), not something that happened live.
  if (e.type === 'call.repeat') return;
  if (d.state.calls.get(e.callSid)?.seen.has(e.id)) return;
  const eventDay = rules.dayOf(e.at);
  d.rollTo(eventDay);
  const c = d.call(e.callSid, e.at);
  c.seen.add(e.id);
  c.lastEventAt = Math.max(c.lastEventAt, e.at);
  const ended = c.endedAt !== null;
  const label = (target: string, kind: TargetKind) => (kind === 'person' ? target : (rules.labelOf?.(c.flowId, c.flowVersion, target, kind) ?? target));
  const enterNode = (nodeId: string) => {
    c.nodeId = nodeId;
    c.nodeLabel = rules.nodeLabelOf?.(c.flowId, c.flowVersion, nodeId) ?? null;
  };

  switch (e.type) {
    case 'call.started':
      c.flowId = e.flowId;
      c.flowVersion = e.flowVersion;
      c.language = e.language;
      c.startedAt = Math.min(c.startedAt, e.at);
      if (c.countedOn === null && eventDay === d.state.day) {
        c.countedOn = eventDay;
        d.count('calls', e.at);
      }
      break;
    case 'language.chosen':
      c.language = e.language;
      break;
    case 'hours.checked':
      if (!e.open) c.outsideHours = true;
      break;
    case 'node.entered':
      enterNode(e.nodeId);
      if (!ended && c.phase !== 'survey' && e.nodeType !== 'transfer') setPhase(c, 'menu', e.at);
      break;
    case 'input.digits':
    case 'input.invalid':
      c.keyPresses += e.digits.length;
      break;
    case 'transfer.attempted':
      enterNode(e.nodeId);
      c.currentTransfer = e.transferId;
      c.currentTransferAt = e.at;
      if (!ended) setPhase(c, 'ringing', e.at, e.targetKind, label(e.target, e.targetKind));
      break;
    case 'leg.progress':
      // Child-leg callbacks arrive out of order; only an answer moves the call on, and only for the transfer ringing now.
      if ((e.status === 'in-progress' || e.status === 'answered') && e.transferId === c.currentTransfer && c.phase === 'ringing') setPhase(c, 'talking', e.at, c.party, c.partyLabel);
      break;
    case 'human.answered':
      if (!ended && e.transferId === c.currentTransfer) setPhase(c, 'talking', e.at, e.targetKind, label(e.target, e.targetKind));
      d.settleFallbacks(c.callSid, 'answered', e.at);
      if (!c.answered) {
        c.answered = true;
        if (c.countedOn === d.state.day) d.count('answered', e.at);
      }
      break;
    case 'transfer.result':
      if (!ended && e.transferId === c.currentTransfer && e.status !== 'completed' && e.status !== 'answered') setPhase(c, 'menu', e.at);
      break;
    case 'fallback.taken':
      c.lastFallback = {
        target: e.target,
        targetKind: e.targetKind,
        label: e.targetKind === 'person' ? (rules.personNameOf?.(c.flowId, c.flowVersion, e.target) ?? null) : label(e.target, e.targetKind),
        reason: e.reason,
      };
      if (!c.fallbackTransfers.includes(e.transferId)) {
        c.fallbackTransfers.push(e.transferId);
        c.fallbacks++;
        if (c.countedOn === d.state.day) d.count('fallbacks', e.at);
        if (eventDay === d.state.day)
          d.putFallback({
          key: `${e.callSid}:${e.transferId}`,
          callSid: e.callSid,
          shortId: c.shortId,
          at: e.at,
          nodeId: e.nodeId,
          target: e.target,
          targetLabel: e.targetKind === 'person' ? null : label(e.target, e.targetKind),
          targetKind: e.targetKind,
          reason: e.reason,
          route: e.route,
          routeLabel: rules.nodeLabelOf?.(c.flowId, c.flowVersion, e.route) ?? null,
          fate: 'pending',
          ringStartedAt: e.transferId === c.currentTransfer && c.currentTransferAt !== null ? Math.min(c.currentTransferAt, e.at) : e.at,
          lostMs: null,
        });
      }
      break;
    case 'survey.offered':
      if (!ended) setPhase(c, 'survey', e.at);
      break;
    case 'survey.answer':
      if (!c.surveyed) {
        c.surveyed = true;
        if (c.countedOn === d.state.day) d.count('surveys', e.at);
      }
      break;
    case 'ivr.hangup':
      c.ivrHungUp = true;
      end(d, c, e.at);
      break;
    case 'call.ended':
      end(d, c, e.at);
      break;
    case 'queue.joined':
      enterNode(e.nodeId);
      if (!ended) setPhase(c, 'queued', e.at, 'operator', rules.queueOf?.(c.flowId, c.flowVersion, e.queue)?.label ?? e.queue);
      if (applyQueueEvent(d.state.queues, e, queueContext(d, rules, c))) d.queues(e.at);
      break;
    case 'queue.answered':
      if (!ended) setPhase(c, 'talking', e.at, 'operator', c.partyLabel);
      d.settleFallbacks(c.callSid, 'answered', e.at);
      if (!c.answered) {
        c.answered = true;
        if (c.countedOn === d.state.day) d.count('answered', e.at);
      }
      if (applyQueueEvent(d.state.queues, e, queueContext(d, rules, c))) d.queues(e.at);
      break;
    case 'queue.left':
      if (!ended && c.phase === 'queued') setPhase(c, 'menu', e.at);
      if (applyQueueEvent(d.state.queues, e, queueContext(d, rules, c))) d.queues(e.at);
      break;
    case 'queue.position':
      if (applyQueueEvent(d.state.queues, e, queueContext(d, rules, c))) d.queues(e.at);
      break;
    case 'queue.leaving':
    case 'input.timeout':
    case 'survey.declined':
    case 'survey.invalid':
    case 'survey.skipped':
    case 'survey.completed':
    case 'engine.error':
      break;
  }
}

function queueContext(d: LiveBatch, rules: LiveRules, c: TrackedCall): QueueEventContext {
  return {
    shortId: c.shortId,
    language: c.language,
    lastFallback: c.lastFallback,
    isToday: (at) => rules.dayOf(at) === d.state.day,
    targetOf: (queue) => rules.queueOf?.(c.flowId, c.flowVersion, queue) ?? DEFAULT_QUEUE_TARGET(queue),
    operatorNameOf: (queue, operator) => rules.operatorNameOf?.(c.flowId, c.flowVersion, queue, operator) ?? null,
  };
}

/** Within a webhook the recorder's order is the order things happened. */
const byStep = (a: CallEvent, b: CallEvent) => a.step - b.step || a.seq - b.seq;


/** Why an event could not be applied; the live view skips it and goes on with the others. */
export type SkippedEvent = (event: CallEvent, err: unknown) => void;

/**
 * Folds one webhook's events into the state, in place; returns what changed, to send. An event that
 * fails to apply (a flow unloaded under a call, a bug) is skipped and reported to `skipped`: the
 * others still apply and their changes are still sent, else screens would stay behind the state
 * until the call's next webhook. Without `skipped`, the first failure is thrown after the rest.
 */
export function applyEvents(state: LiveState, events: readonly CallEvent[], rules: LiveRules, skipped?: SkippedEvent): LiveChange[] {
  const d = new LiveBatch(state, rules);
  let first: { err: unknown } | null = null;
  for (const e of inOrderBy(events, byStep)) {
    try {
      apply(d, rules, e);
    } catch (err) {
      if (skipped) skipped(e, err);
      else first ??= { err };
    }
  }
  const changes = d.finish();
  if (first) throw first.err;
  return changes;
}

/**
 * Moves the state to the current day and drops ended calls that have lingered and calls that went
 * silent, in place; returns what changed. Looks only at calls that are due, so it is cheap to run
 * after every webhook.
 */
export function expire(state: LiveState, now: number, rules: LiveRules): LiveChange[] {
  const d = new LiveBatch(state, rules);
  d.rollTo(rules.dayOf(now));
  d.removeDue(now);
  return d.finish();
}
