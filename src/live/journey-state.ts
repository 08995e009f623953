import type { Journey } from '../journey/journey';
import { reindex } from './batch';
import { Deadlines } from './deadlines';
import { DEFAULT_QUEUE_TARGET, dueAt, newCall, shortIdOf, zeroCounters, type FallbackFate, type LiveFallback, type LiveRules, type LiveState, type TrackedCall } from './model';
import { queuesFromJourneys } from './queue-journeys';

/**
 * A state rebuilt from stored journeys (after a restart): today's counters from today's journeys,
 * and the calls still in progress as best the journey tells.
 */
export function stateFromJourneys(journeys: readonly Journey[], now: number, rules: LiveRules): LiveState {
  const day = rules.dayOf(now);
  const counters = zeroCounters();
  const calls = new Map<string, TrackedCall>();
  const fallbacks: LiveFallback[] = [];
  for (const j of journeys) {
    if (!j.startedAt) continue;
    const startedAt = Date.parse(j.startedAt);
    const today = rules.dayOf(startedAt) === day;
    if (today) fallbacks.push(...journeyFallbacks(j, rules));
    if (today) {
      counters.calls++;
      if (j.humanAnsweredAt) counters.answered++;
      if (j.outcome.startsWith('abandoned')) counters.abandoned++;
      counters.fallbacks += j.fallbacks.length;
      if (j.survey.bemotande !== null || j.survey.enkelhet !== null || j.survey.answered !== null) counters.surveys++;
    }
    const endedAt = j.endedAt ? Date.parse(j.endedAt) : null;
    const lastAt = endedAt ?? Math.max(startedAt, ...j.steps.map((s) => Date.parse(s.enteredAt)), ...j.transfers.map((t) => Date.parse(t.attemptedAt)));
    if (endedAt !== null ? now - endedAt >= rules.endedLingerMs : now - lastAt >= rules.staleMs) continue;
    const c = newCall(j.callSid, startedAt);
    c.flowId = j.flowId;
    c.flowVersion = j.flowVersion;
    c.language = j.language;
    c.nodeId = j.path[j.path.length - 1] ?? null;
    c.nodeLabel = c.nodeId === null ? null : (rules.nodeLabelOf?.(j.flowId, j.flowVersion, c.nodeId) ?? null);
    c.keyPresses = j.keyPresses;
    c.fallbacks = j.fallbacks.length;
    c.fallbackTransfers = j.transfers.filter((t) => t.result && t.result !== 'completed' && t.result !== 'answered').map((t) => t.transferId);
    c.answered = j.humanAnsweredAt !== null;
    c.surveyed = j.survey.bemotande !== null || j.survey.enkelhet !== null || j.survey.answered !== null;
    c.countedOn = today ? day : null;
    c.lastEventAt = lastAt;
    const last = j.transfers[j.transfers.length - 1];
    if (endedAt !== null) {
      c.endedAt = endedAt;
      c.ending = j.humanAnsweredAt ? 'answered' : j.outcome === 'self_service' || j.outcome === 'outside_hours' ? 'ivr' : 'abandoned';
      c.phase = 'ended';
      c.phaseSince = endedAt;
    } else if (j.survey.offered) {
      c.phase = 'survey';
      c.phaseSince = lastAt;
    } else if (last && last.result === null) {
      const label = last.queue
        ? (rules.queueOf?.(j.flowId, j.flowVersion, last.target)?.label ?? last.target)
        : last.targetKind === 'person'
          ? last.target
          : (rules.labelOf?.(j.flowId, j.flowVersion, last.target, last.targetKind) ?? last.target);
      c.currentTransfer = last.transferId;
      c.currentTransferAt = Date.parse(last.attemptedAt);
      c.phase = last.answeredAt ? 'talking' : last.queue ? 'queued' : 'ringing';
      c.phaseSince = Date.parse(last.answeredAt ?? last.attemptedAt);
      c.party = last.targetKind;
      c.partyLabel = label;
    } else {
      c.phaseSince = lastAt;
    }
    calls.set(c.callSid, c);
  }
  fallbacks.sort((a, b) => b.at - a.at);
  const queues = queuesFromJourneys(journeys, now, {
    isToday: (at) => rules.dayOf(at) === day,
    targetOf: (j, queue) => rules.queueOf?.(j.flowId, j.flowVersion, queue) ?? DEFAULT_QUEUE_TARGET(queue),
    operatorNameOf: (j, queue, operator) => rules.operatorNameOf?.(j.flowId, j.flowVersion, queue, operator) ?? null,
    personNameOf: (j, extension) => rules.personNameOf?.(j.flowId, j.flowVersion, extension) ?? null,
    labelOf: (j, target, kind) => rules.labelOf?.(j.flowId, j.flowVersion, target, kind) ?? null,
    onScreen: (callSid) => calls.has(callSid),
  });
  const state: LiveState = { day, counters, calls, fallbacks: fallbacks.slice(0, rules.maxFallbacks), deadlines: new Deadlines(), queues };
  for (const c of calls.values()) c.dueAt = dueAt(c, rules);
  reindex(state);
  return state;
}

const FATES: Record<Journey['fallbacks'][number]['outcome'], FallbackFate> = {
  answered_by_operator: 'answered',
  answered_by_person: 'answered',
  answered_by_department: 'answered',
  abandoned: 'abandoned',
  ended_by_ivr: 'ivr',
  in_progress: 'pending',
};

function journeyFallbacks(j: Journey, rules: LiveRules): LiveFallback[] {
  return j.fallbacks.map((f) => {
    const at = Date.parse(f.at);
    // The transfer that failed: the key live events use for the same fallback.
    const transfer = [...j.transfers].reverse().find((t) => t.nodeId === f.nodeId && t.target === f.target && Date.parse(t.attemptedAt) <= at);
    return {
      key: `${j.callSid}:${transfer?.transferId ?? f.at}`,
      callSid: j.callSid,
      shortId: shortIdOf(j.callSid),
      at,
      nodeId: f.nodeId,
      target: f.target,
      targetLabel: f.targetKind === 'person' ? null : (rules.labelOf?.(j.flowId, j.flowVersion, f.target, f.targetKind) ?? f.target),
      targetKind: f.targetKind,
      reason: f.reason,
      route: f.route,
      routeLabel: rules.nodeLabelOf?.(j.flowId, j.flowVersion, f.route) ?? null,
      fate: FATES[f.outcome],
      ringStartedAt: at - (f.ringMs ?? 0),
      lostMs: f.outcome === 'in_progress' ? null : f.lostMs,
    };
  });
}
