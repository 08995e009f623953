import type { CallEvent } from '../journey/events';
import type { QueueBoard } from '../live/queue-state';
import { currentAlerts, type AlertSettings, type OverdueCallbacks } from './rules';
import type { NoAnswerStreaks } from './streaks';
import { AlertTracker, type AlertNotice } from './tracker';

const CHECK_EVERY_MS = 1000;
import type { AlertSender } from './webhook-sender';

export interface AlertMonitorOptions {
  settings: AlertSettings;
  now: () => number;
  /** The live view's queue boards now. */
  boards: () => QueueBoard[];
  streaks: NoAnswerStreaks;
  /** The flow a call runs, for the labels of the streaks. */
  flowOf: (callSid: string) => string | null;
  /** Callbacks open past their deadline now (absent: none watched). */
  overdueCallbacks?: (now: number) => OverdueCallbacks;
  /** Absent: alerts are shown on the live board only. */
  sender?: AlertSender;
  /** Told when the active alerts change (raised, cleared, or their figures): the live board shows them. */
  onChange?: (notices: AlertNotice[]) => void;
}

/**
 * Watches the live view for the alert conditions: after each webhook's events and on a tick (a
 * wait grows without any event). Raised once, cleared once, sent to the webhook and shown live.
 */
export class AlertMonitor {
  private readonly tracker = new AlertTracker();
  private checkedAt = -Infinity;
  private trailing: ReturnType<typeof setTimeout> | null = null;
  /** What the live board was last told, so it hears of a change of figures too (3 waiting, then 4). */
  private shown = '[]';

  constructor(private readonly opts: AlertMonitorOptions) {}

  /**
   * After a webhook's events: the streaks at once, the conditions at most once a second (the boards
   * cost more than a webhook; a second late is soon enough for an alert), with a check after the
   * last of a burst so none is missed.
   */
  onEvents(events: readonly CallEvent[]): void {
    this.opts.streaks.apply(events, this.opts.flowOf);
    const now = this.opts.now();
    if (now - this.checkedAt >= CHECK_EVERY_MS) {
      this.check();
      return;
    }
    if (this.trailing) return;
    this.trailing = setTimeout(() => {
      this.trailing = null;
      this.check();
    }, CHECK_EVERY_MS);
    this.trailing.unref?.();
  }

  /** Stops the check scheduled after a burst (at shutdown). */
  stop(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
  }

  check(): AlertNotice[] {
    const now = this.opts.now();
    this.checkedAt = now;
    const notices = this.tracker.update(currentAlerts({ now, boards: this.opts.boards(), streaks: this.opts.streaks.list(), callbacks: this.opts.overdueCallbacks?.(now) }, this.opts.settings), now);
    for (const n of notices) this.opts.sender?.send(n);
    const shown = JSON.stringify(this.tracker.list());
    if (shown !== this.shown) {
      this.shown = shown;
      this.opts.onChange?.(notices);
    }
    return notices;
  }

  active() {
    return this.tracker.list();
  }

  /** Resolves once every alert handed to the webhook has been delivered or given up on. */
  idle(): Promise<void> {
    return this.opts.sender?.idle() ?? Promise.resolve();
  }
}
