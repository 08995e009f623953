import type { CallEvent } from '../journey/events';

/**
 * No-answers in a row per person or department, from the call events: a dial nobody answered adds
 * one, an answer from the same target ends the streak. A redelivered event counts once.
 */
export class NoAnswerStreaks {
  private readonly counts = new Map<string, { label: string; count: number }>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];

  constructor(private readonly labelOf: (e: { target: string; targetKind: string; flowId: string | null }) => string) {}

  /** Targets are keyed by kind and id: extension 4711 and a department called 4711 are not the same. */
  private static key(kind: string, target: string): string {
    return `${kind}:${target}`;
  }

  /** Returns true when a streak changed. */
  apply(events: readonly CallEvent[], flowOf: (callSid: string) => string | null): boolean {
    let changed = false;
    for (const e of events) {
      if (e.type !== 'transfer.result' || this.seen.has(e.id) || e.targetKind === 'operator') continue;
      this.remember(e.id);
      const key = NoAnswerStreaks.key(e.targetKind, e.target);
      if (e.status === 'completed' || e.status === 'answered') {
        if (this.counts.delete(key)) changed = true;
      } else if (e.status === 'no-answer' && !e.callerHungUp) {
        const s = this.counts.get(key) ?? { label: this.labelOf({ target: e.target, targetKind: e.targetKind, flowId: flowOf(e.callSid) }), count: 0 };
        s.count++;
        this.counts.set(key, s);
        changed = true;
      }
    }
    return changed;
  }

  list(): { target: string; label: string; count: number }[] {
    return [...this.counts].map(([target, s]) => ({ target, label: s.label, count: s.count }));
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > 50_000) this.seen.delete(this.seenOrder.shift()!);
  }
}
