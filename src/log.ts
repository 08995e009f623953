import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Phone numbers never reach the logs: these keys are censored wherever they appear, and request
 * bodies are never logged whole.
 */
const PHONE_KEYS = ['From', 'To', 'Caller', 'Called', 'ForwardedFrom', 'CallerId', 'from', 'to', 'caller', 'number', 'phone', 'sealed', 'Digits'];
export const REDACT_PATHS = [...PHONE_KEYS, ...PHONE_KEYS.map((k) => `*.${k}`), ...PHONE_KEYS.map((k) => `*.*.${k}`)];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'callpath' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
