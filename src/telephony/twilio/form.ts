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
 * Parses application/x-www-form-urlencoded text (a body, or a URL's query) exactly as URLSearchParams
 * does. The object has no prototype, so a parameter called "__proto__" or "constructor" is an
 * ordinary name.
 *
 * Split by hand and decoded with decodeURIComponent, which costs a third of URLSearchParams' iterator
 * on a webhook's thirty parameters. Where the two could differ (a malformed or non-UTF-8 percent
 * sequence, which decodeURIComponent refuses and the standard decodes leniently) the whole text goes
 * to URLSearchParams, as does text with a lone surrogate (which it replaces).
 */
// With the u flag a surrogate pair is one code point above U+FFFF: only a lone half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function parseForm(text: string, maxParams: number): FormParams {
  if (LONE_SURROGATE.test(text)) return parseFormStandard(text, maxParams);
  const out: FormParams = Object.create(null);
  let count = 0;
  // URLSearchParams drops one leading "?", as from a URL's search.
  for (let start = text.startsWith('?') ? 1 : 0; start <= text.length; ) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const split = eq !== -1 && eq < end;
      const k = decodeFormPart(text, start, split ? eq : end);
      const v = split ? decodeFormPart(text, eq + 1, end) : '';
      if (k === null || v === null) return parseFormStandard(text, maxParams);
      if (++count > maxParams) throw tooMany(maxParams);
      add(out, k, v);
    }
    start = end + 1;
  }
  return out;
}

function parseFormStandard(text: string, maxParams: number): FormParams {
  const out: FormParams = Object.create(null);
  let count = 0;
  for (const [k, v] of new URLSearchParams(text)) {
    if (++count > maxParams) throw tooMany(maxParams);
    add(out, k, v);
  }
  return out;
}

const tooMany = (maxParams: number) => new WebhookBodyError(413, `more than ${maxParams} parameters`);

function add(out: FormParams, k: string, v: string): void {
  const had = out[k];
  out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
}

/** A name or value decoded; null where only the standard's lenient decoding knows the answer. */
function decodeFormPart(text: string, from: number, to: number): string | null {
  let part = text.slice(from, to);
  if (part.includes('+')) part = part.replace(/\+/g, ' ');
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
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
