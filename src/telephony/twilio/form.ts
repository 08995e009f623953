import type http from 'node:http';

/** Form parameters as Twilio posts them; a name given twice becomes a list (never valid for callpath's schemas). */
export type FormParams = Record<string, string | string[]>;

/** Why a webhook body could not be read; the status is what the webhook answers. */
export class WebhookBodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses application/x-www-form-urlencoded text (a body, or a URL's query). The object has no
 * prototype, so a parameter called "__proto__" or "constructor" is an ordinary name.
 */
export function parseForm(text: string, maxParams: number): FormParams {
  const out: FormParams = Object.create(null);
  let count = 0;
  for (const [k, v] of new URLSearchParams(text)) {
    if (++count > maxParams) throw new WebhookBodyError(413, `more than ${maxParams} parameters`);
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

const isForm = (req: http.IncomingMessage) => /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');

/**
 * Reads a webhook's body up to a limit. Anything but a form counts as no parameters, which the
 * signature check or the schema then refuses.
 */
export function readFormBody(req: http.IncomingMessage, limitBytes: number, maxParams: number): Promise<FormParams> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limitBytes) {
      req.resume();
      reject(new WebhookBodyError(413, `body larger than ${limitBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        reject(new WebhookBodyError(413, `body larger than ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      failed = true;
      reject(new WebhookBodyError(400, `body could not be read: ${err.message}`));
    });
    req.on('close', () => {
      // A client gone mid-body: nothing to answer, but the promise must settle.
      if (!req.complete && !failed) {
        failed = true;
        reject(new WebhookBodyError(400, 'client closed the connection before the body was complete'));
      }
    });
    req.on('end', () => {
      if (failed) return;
      if (!isForm(req)) return resolve(Object.create(null));
      try {
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve(parseForm(text, maxParams));
      } catch (err) {
        reject(err);
      }
    });
  });
}
