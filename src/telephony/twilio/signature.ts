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

export type SignatureCheck = (signature: string | undefined, pathWithQuery: string, params: FormParams) => boolean;

/**
 * Whether a webhook was signed by Twilio with our auth token. The URL signed is the configured
 * public base URL plus the path and query as received.
 */
export function twilioSignatureCheck(opts: SignatureOptions): SignatureCheck {
  if (!opts.enabled) {
    opts.log.warn('TWILIO SIGNATURE VALIDATION IS OFF: anyone can post webhooks. Never run like this in production.');
    return () => true;
  }
  return (signature, pathWithQuery, params) =>
    !!signature && twilio.validateRequest(opts.authToken, signature, opts.publicBaseUrl + pathWithQuery, params as Record<string, string>);
}
