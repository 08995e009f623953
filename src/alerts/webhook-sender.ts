import { createHmac } from 'node:crypto';
import type { Logger } from '../log';
import { alertText } from './text';
import type { AlertNotice } from './tracker';

export interface AlertSender {
  send(notice: AlertNotice): void;
  /** Resolves when everything handed in has been delivered or given up on. */
  idle(): Promise<void>;
}

export interface WebhookSenderOptions {
  url: string;
  /** Shared with the receiver, which checks X-Callpath-Signature. */
  secret: string;
  log: Logger;
  /** Waits before each retry, ms; the last failure gives up. */
  backoffMs?: number[];
  post?: (url: string, body: string, headers: Record<string, string>) => Promise<number>;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

/** The signature a receiver checks: HMAC-SHA256 over the raw body with the shared secret, hex. */
export function signAlertBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const fetchPost = async (url: string, body: string, headers: Record<string, string>): Promise<number> => {
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
};

/**
 * Posts each alert as JSON to the admin's webhook: `text` for a Teams or Slack incoming webhook,
 * the alert's fields for anything else. One at a time, in order, so a clearing never overtakes its
 * raising; a failure is retried with backoff, then logged and dropped (the live board still shows it).
 */
export function webhookAlertSender(opts: WebhookSenderOptions): AlertSender {
  const post = opts.post ?? fetchPost;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  let chain = Promise.resolve();

  const deliver = async (n: AlertNotice) => {
    const body = JSON.stringify({
      text: alertText(n),
      state: n.state,
      kind: n.alert.kind,
      key: n.alert.key,
      alert: n.alert,
      raisedAt: new Date(n.raisedAt).toISOString(),
      clearedAt: n.clearedAt === null ? null : new Date(n.clearedAt).toISOString(),
    });
    const headers = { 'content-type': 'application/json', 'x-callpath-signature': signAlertBody(opts.secret, body), 'user-agent': 'callpath-alerts' };
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      try {
        const status = await post(opts.url, body, headers);
        if (status >= 200 && status < 300) return;
        problem = `HTTP ${status}`;
      } catch (err) {
        problem = (err as Error).message;
      }
      if (attempt >= backoff.length) {
        opts.log.error({ alert: n.alert.key, state: n.state, problem, attempts: attempt + 1 }, 'alert webhook: gave up');
        return;
      }
      opts.log.warn({ alert: n.alert.key, state: n.state, problem, retryInMs: backoff[attempt] }, 'alert webhook failed; retrying');
      await sleep(backoff[attempt]);
    }
  };

  return {
    send(n) {
      chain = chain.then(() => deliver(n));
    },
    idle: () => chain,
  };
}
