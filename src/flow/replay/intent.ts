import type { FallbackReason } from '../../journey/events';
import type { Journey, JourneyFallback, JourneyTransfer } from '../../journey/journey';
import type { Flow, TargetKind } from '../schema';

/**
 * What a caller wanted, read from what happened: whom they were put through to (or last tried),
 * and what went wrong on the way (the person who did not answer, or whose absence notice they met).
 * A candidate flow is judged by how it would serve the same caller with the same bad luck. A
 * callback the caller asked for after the attempts is not part of it yet: such a call is replayed
 * up to its last attempt.
 */
export interface IntentAttempt {
  kind: TargetKind;
  /** Target id in the flow, or the extension of a person from the directory. */
  target: string;
  /** The number dialled, from the journey's own flow version when it is known: survives a renamed target. */
  number?: string;
  /** What the attempt came to: answered, a fallback (`notice`: met an absence notice instead of a ring), or nobody answered before the caller hung up. */
  outcome: 'answered' | FallbackReason | 'unanswered';
}

export type Intent =
  | { kind: 'transfers'; attempts: IntentAttempt[]; language: string | null; label: string }
  /** A call the IVR ended by itself at this node (a message such as opening hours), without a transfer. */
  | { kind: 'self-service'; node: string; language: string | null; label: string };

export type NoIntent = { kind: 'none'; reason: 'hung up in the menu' | 'in progress' | 'engine error' | 'no start' };

/** The attempts of a journey with the fallback each one ended in. */
export interface MatchedAttempt {
  transfer: JourneyTransfer;
  fallback: JourneyFallback | null;
}

export function matchAttempts(j: Journey): MatchedAttempt[] {
  const attempts: MatchedAttempt[] = j.transfers.map((t) => ({ transfer: t, fallback: null }));
  for (const f of j.fallbacks) {
    // A notice is met instead of a ring: it has no dial to belong to (orderedAttempts takes it as an attempt of its own).
    if (f.reason === 'notice') continue;
    const at = Date.parse(f.at);
    // The fallback belongs to the latest attempt from its node and target that started before it.
    const owner = [...attempts].reverse().find((a) => a.fallback === null && a.transfer.nodeId === f.nodeId && a.transfer.target === f.target && Date.parse(a.transfer.attemptedAt) <= at);
    if (owner) owner.fallback = f;
  }
  return attempts;
}

/** One try to reach someone: a dial with the fallback it ended in, or an absence notice met instead of a ring. */
export type JourneyAttempt = ({ kind: 'dial' } & MatchedAttempt) | { kind: 'notice'; notice: JourneyFallback };

/**
 * The journey's dials and absence notices in the order the caller met them. A notice sends the caller
 * on within the same step, so a dial at the same moment comes after it.
 */
export function orderedAttempts(j: Journey): JourneyAttempt[] {
  const timed = [
    ...j.fallbacks.filter((f) => f.reason === 'notice').map((notice) => ({ at: Date.parse(notice.at), attempt: { kind: 'notice', notice } as JourneyAttempt })),
    ...matchAttempts(j).map((m) => ({ at: Date.parse(m.transfer.attemptedAt), attempt: { kind: 'dial', ...m } as JourneyAttempt })),
  ];
  timed.sort((a, b) => a.at - b.at || Number(b.attempt.kind === 'notice') - Number(a.attempt.kind === 'notice'));
  return timed.map((t) => t.attempt);
}

export function intentOf(j: Journey, ownFlow: Flow | null): Intent | NoIntent {
  if (!j.startedAt) return { kind: 'none', reason: 'no start' };
  if (j.outcome === 'in_progress') return { kind: 'none', reason: 'in progress' };
  const language = j.language;
  const tries = orderedAttempts(j);
  if (!tries.length) {
    if (j.outcome === 'self_service' && j.path.length) {
      const node = j.path[j.path.length - 1];
      return { kind: 'self-service', node, language, label: `self-service at ${node}` };
    }
    return { kind: 'none', reason: j.outcome === 'error_fallback' ? 'engine error' : 'hung up in the menu' };
  }
  const attempt = (kind: TargetKind, target: string, outcome: IntentAttempt['outcome']): IntentAttempt => {
    const number = kind === 'person' ? ownFlow?.directory[target]?.number : ownFlow?.targets[target]?.number;
    return { kind, target, ...(number ? { number } : {}), outcome };
  };
  // The person sought and found absent is an attempt too: a candidate flow must serve that caller with the same luck.
  const attempts = tries.map((a) =>
    a.kind === 'notice'
      ? attempt(a.notice.targetKind, a.notice.target, 'notice')
      : attempt(a.transfer.targetKind, a.transfer.target, a.transfer.answeredAt !== null ? 'answered' : a.fallback ? a.fallback.reason : 'unanswered'),
  );
  return { kind: 'transfers', attempts, language, label: attempts.map(attemptLabel).join(' → ') };
}

function attemptLabel(a: IntentAttempt): string {
  const who = a.kind === 'operator' ? 'operator' : `${a.kind} ${a.target}`;
  if (a.outcome === 'answered') return who;
  if (a.outcome === 'unanswered') return `${who} (hung up while ringing)`;
  return `${who} (${a.outcome})`;
}
