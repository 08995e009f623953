import { createHash, randomBytes } from 'node:crypto';

/** A secret for a cookie or a token: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored of a session id or token: its SHA-256. The secrets are random and long, so a plain
 * hash is enough (no salt or slow hash, unlike passwords), and a lookup by hash stays an index read.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
