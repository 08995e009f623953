import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import twilio from 'twilio';
import type { Logger } from '../../log';
import type { FormParams } from './form';

export interface SignatureOptions {
  authToken: string;
  /** The public URL Twilio calls (scheme, host, port as Twilio sees them); behind a proxy it cannot be guessed. */
  publicBaseUrl: string;
  enabled: boolean;
  log: Logger;
}

/** `sortedNames`: the parameters' names in sort order, when the caller has them already (the webhook sorts once for this and its request key). */
export type SignatureCheck = (signature: string | undefined, pathWithQuery: string, params: FormParams, sortedNames?: readonly string[]) => boolean;

/**
 * Whether a webhook was signed by Twilio with our auth token. The URL signed is the configured
 * public base URL plus the path and query as received.
 *
 * The URL exactly as configured is tried first, with one HMAC computed here: twilio.validateRequest
 * tries the URL without its port before the one with it (two HMACs on every genuine webhook when the
 * base URL names its port), and its getExpectedTwilioSignature builds a key from the token text on
 * every call, which cost twice the hash itself. Only when the exact URL fails does validateRequest try
 * its variants (port added or removed, URL and query normalised): what it accepts is still accepted.
 */
export function twilioSignatureCheck(opts: SignatureOptions): SignatureCheck {
  if (!opts.enabled) {
    opts.log.warn('TWILIO SIGNATURE VALIDATION IS OFF: anyone can post webhooks. Never run like this in production.');
    return () => true;
  }
  const { authToken, publicBaseUrl } = opts;
  const key = createSecretKey(Buffer.from(authToken, 'utf8'));
  return (signature, pathWithQuery, params, sortedNames) => {
    if (!signature) return false;
    const url = publicBaseUrl + pathWithQuery;
    const expected = signatureOf(key, url, params, sortedNames ?? Object.keys(params).sort());
    if (expected !== null && sameText(signature, expected)) return true;
    return twilio.validateRequest(authToken, signature, url, params as Record<string, string>);
  };
}

/** Whether `signature` is Twilio's for exactly this URL (with twilio.validateRequest's variants). */
export function signedForUrl(authToken: string, signature: string, url: string, params: FormParams): boolean {
  return twilio.validateRequest(authToken, signature, url, params as Record<string, string>);
}

/**
 * What Twilio signs (the URL, then each parameter's name and value in name order), as
 * twilio.getExpectedTwilioSignature computes it. Null for a parameter given twice: the library's own
 * ordering of repeated values decides those.
 */
function signatureOf(key: KeyObject, url: string, params: FormParams, sortedNames: readonly string[]): string | null {
  let data = url;
  for (const name of sortedNames) {
    const value = params[name];
    if (typeof value !== 'string') return null;
    data += name + value;
  }
  return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

/** Constant-time for equal lengths, as Twilio's own comparison. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
