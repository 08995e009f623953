import { createHmac } from 'node:crypto';
import type { PseudonymKey } from '../config';
import { isWithheldNumber } from './withheld-number';

/**
 * Callers' numbers are personal data. Storage keeps only a keyed hash: stable for one key, so
 * repeat callers can be counted, useless without the key. Prefixing the key id lets keys rotate.
 */
export function normalizeNumber(raw: string): string | null {
  const trimmed = raw.trim();
  if (isWithheldNumber(trimmed)) return null;
  if (/^(sip|client):/i.test(trimmed)) return trimmed.toLowerCase();
  const digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+46${digits.slice(1)}`;
  return digits || null;
}

export function pseudonymize(raw: string | undefined, key: PseudonymKey): string | null {
  const n = raw === undefined ? null : normalizeNumber(raw);
  if (!n) return null;
  return `${key.id}:${createHmac('sha256', key.secret).update(n).digest('hex').slice(0, 32)}`;
}

/** Every pseudonym a number may be stored under, one per key still configured (for export and erasure). */
export function allPseudonyms(raw: string, keys: readonly PseudonymKey[]): string[] {
  return keys.map((k) => pseudonymize(raw, k)).filter((p): p is string => p !== null);
}
