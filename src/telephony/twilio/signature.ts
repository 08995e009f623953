import type { NextFunction, Request, Response } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../log';

export interface SignatureOptions {
  authToken: string;
  /** The public URL Twilio calls (scheme, host, port as Twilio sees them); behind a proxy it cannot be guessed. */
  publicBaseUrl: string;
  enabled: boolean;
  log: Logger;
}

/**
 * Rejects any webhook not signed by Twilio with our auth token, before anything is parsed or
 * recorded. The URL signed is the configured public base URL plus the path and query as received.
 */
export function requireTwilioSignature(opts: SignatureOptions) {
  if (!opts.enabled) {
    opts.log.warn('TWILIO SIGNATURE VALIDATION IS OFF: anyone can post webhooks. Never run like this in production.');
    return (_req: Request, _res: Response, next: NextFunction) => next();
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const signature = req.header('x-twilio-signature');
    const url = opts.publicBaseUrl + req.originalUrl;
    const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    if (!signature || !twilio.validateRequest(opts.authToken, signature, url, params)) {
      opts.log.warn({ path: req.path, signed: !!signature }, 'webhook rejected: invalid X-Twilio-Signature');
      res.status(403).type('text/plain').send('Invalid Twilio signature');
      return;
    }
    next();
  };
}
