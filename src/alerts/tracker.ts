import type { Alert } from './rules';

export interface AlertNotice {
  state: 'raised' | 'cleared';
  alert: Alert;
  /** When it was raised; for a clearing also when it cleared. */
  raisedAt: number;
  clearedAt: number | null;
}

/**
 * Raises an alert once when its condition becomes true and clears it once when it stops being
 * true; never repeats while the condition holds. The alert a clearing carries is the last one seen
 * while it held.
 */
export class AlertTracker {
  private readonly active = new Map<string, { alert: Alert; raisedAt: number }>();

  update(current: readonly Alert[], now: number): AlertNotice[] {
    const notices: AlertNotice[] = [];
    const keys = new Set<string>();
    for (const a of current) {
      keys.add(a.key);
      const was = this.active.get(a.key);
      if (was) was.alert = a;
      else {
        this.active.set(a.key, { alert: a, raisedAt: now });
        notices.push({ state: 'raised', alert: a, raisedAt: now, clearedAt: null });
      }
    }
    for (const [key, was] of this.active) {
      if (keys.has(key)) continue;
      this.active.delete(key);
      notices.push({ state: 'cleared', alert: was.alert, raisedAt: was.raisedAt, clearedAt: now });
    }
    return notices;
  }

  list(): { alert: Alert; raisedAt: number }[] {
    return [...this.active.values()].map((a) => ({ ...a })).sort((a, b) => a.raisedAt - b.raisedAt || a.alert.key.localeCompare(b.alert.key));
  }
}
