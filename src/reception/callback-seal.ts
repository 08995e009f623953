import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The callback number at rest: AES-256-GCM with a key from CALLBACK_KEYS, current key first. A sealed
 * number is `<keyId>.<base64url(iv ‖ tag ‖ ciphertext)>`: the key id says which key opens it, so keys
 * rotate (new requests use the first, old ones are still opened with theirs). GCM's tag refuses a
 * changed byte; the key id is bound to the ciphertext as associated data, so a sealed number cannot be
 * relabelled to another key either.
 */
export interface CallbackKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CallbackSealError extends Error {}

export function sealNumber(number: string, keys: readonly CallbackKey[]): string {
  const current = keys[0];
  if (!current) throw new CallbackSealError('no callback key configured');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(Buffer.from(current.id, 'utf8'));
  const ct = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
  return `${current.id}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
}

/** The number, or a CallbackSealError when the key is unknown or the sealed text was changed. */
export function openNumber(sealed: string, keys: readonly CallbackKey[]): string {
  const dot = sealed.indexOf('.');
  if (dot <= 0) throw new CallbackSealError('not a sealed number');
  const id = sealed.slice(0, dot);
  const key = keys.find((k) => k.id === id);
  if (!key) throw new CallbackSealError(`no callback key "${id}" (was it removed from CALLBACK_KEYS?)`);
  const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new CallbackSealError('not a sealed number');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new CallbackSealError('the sealed number was changed or sealed with another key');
  }
}

/** Parses CALLBACK_KEYS: "id:base64-of-32-bytes[,id:…]", current first; throws with what is wrong. */
export function parseCallbackKeys(spec: string): CallbackKey[] {
  const keys = spec.split(',').map((pair, i) => {
    const c = pair.indexOf(':');
    const id = c > 0 ? pair.slice(0, c).trim() : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`key ${i + 1}: "id:base64" with an id of letters, digits, _ or -`);
    const key = Buffer.from(pair.slice(c + 1).trim(), 'base64');
    if (key.length !== 32) throw new Error(`key "${id}": must be 32 bytes in base64 (openssl rand -base64 32), is ${key.length}`);
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('key ids must differ');
  return keys;
}
