import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Phone numbers, a caller's words and staff's secrets never reach the logs: these keys are censored
 * wherever they appear (three levels deep), and request bodies are never logged whole.
 */
const PHONE_KEYS = ['From', 'To', 'Caller', 'Called', 'ForwardedFrom', 'CallerId', 'from', 'to', 'caller', 'number', 'phone', 'sealed', 'Digits', 'SpeechResult'];
const SECRET_KEYS = ['password', 'temporaryPassword', 'current', 'next', 'token', 'authorization', 'cookie', 'csrfToken'];
const REDACTED_KEYS = [...PHONE_KEYS, ...SECRET_KEYS];
export const REDACT_PATHS = [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`), ...REDACTED_KEYS.map((k) => `*.*.${k}`)];

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
