// The live socket: the browser sends the session cookie with the upgrade, so no sign-in message is
// needed. Reconnects by itself with a growing pause, and treats silence as a dead connection, since a
// browser never sees the server's pings. The server closing with 4401 (the session ended) or 4403
// (the roles lack reception) is final: reconnecting would only be refused again.
export class LiveConnection {
  /**
   * @param {{ onMessage: (m: any) => void, onStatus: (s: string) => void, onUnauthorized: () => void }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.ws = null;
    this.attempt = 0;
    this.stopped = true;
    this.retryTimer = null;
    this.watchdog = null;
    this.silenceMs = 45_000;
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && !this.stopped && (!this.ws || this.ws.readyState > 1)) this.connectNow();
    };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisible);
    this.connectNow();
  }

  stop() {
    this.stopped = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
    if (this.ws) this.ws.close(1000, 'signed out');
    this.ws = null;
  }

  connectNow() {
    clearTimeout(this.retryTimer);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
    this.opts.onStatus(this.attempt ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.feedWatchdog();
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (m.type === 'hello') {
        this.attempt = 0;
        this.silenceMs = Math.max(10_000, (m.heartbeatMs ?? 20_000) * 2.5);
        this.opts.onStatus('live');
      }
      this.opts.onMessage(m);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      clearTimeout(this.watchdog);
      this.ws = null;
      if (this.stopped) return;
      if (ev.code === 4401) {
        this.stopped = true;
        this.opts.onStatus('offline');
        this.opts.onUnauthorized();
        return;
      }
      if (ev.code === 4403) {
        this.stopped = true;
        this.opts.onStatus('forbidden');
        return;
      }
      this.scheduleRetry();
    };
    ws.onerror = () => {
      // onclose follows and decides
    };
  }

  feedWatchdog() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.ws) this.ws.close(4000, 'silent');
      this.ws = null;
      this.scheduleRetry();
    }, this.silenceMs);
  }

  scheduleRetry() {
    this.opts.onStatus('reconnecting');
    const base = Math.min(15_000, 1000 * 2 ** this.attempt);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.connectNow(), base / 2 + Math.random() * (base / 2));
  }
}
