// A line above every view while the statistics may lag the calls: the service keeps answering calls
// and the live board stays current, but events wait in the outbox until the store takes them, so the
// metrics and reports leave out the latest calls meanwhile. Read from /healthz (no token needed).
import { num, timeOfDay } from './format.js';
import { t } from './i18n.js';

const POLL_MS = 30_000;

/** What to say for a /healthz body, or null when the statistics are current. */
export function healthNotice(health) {
  const waiting = health?.outbox?.pending ?? 0;
  if (health?.status !== 'degraded' || waiting === 0) return null;
  const since = health.outbox.failingSince ? Date.parse(health.outbox.failingSince) : NaN;
  return t('health.behind', { events: num(waiting), since: Number.isNaN(since) ? '' : t('health.since', { time: timeOfDay(since) }) });
}

export class HealthBanner {
  constructor(element) {
    this.el = element;
    this.timer = null;
    this.last = null;
  }

  start() {
    this.stop();
    this.check();
    this.timer = setInterval(() => this.check(), POLL_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.last = null;
    this.render();
  }

  async check() {
    try {
      const res = await fetch('/healthz', { cache: 'no-store' });
      this.last = await res.json();
    } catch {
      // The service itself unreachable: the live board's connection status already says so.
      this.last = null;
    }
    this.render();
  }

  render() {
    const text = healthNotice(this.last);
    this.el.textContent = text ?? '';
    this.el.hidden = !text;
  }
}
