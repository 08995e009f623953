import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Local accounts' passwords, hashed with scrypt (node:crypto). N = 2^15, r = 8, p = 1: 32 MiB and
 * some 60-100 ms per hash on one core, the strength OWASP's password storage guidance gives for
 * scrypt, and slow enough that a stolen database is expensive to guess at while a sign-in stays quick.
 * The parameters are stored with each hash, so raising them later leaves older hashes verifiable.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;

/** A password must be at least this long; length is what makes a password strong (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), N, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

export type PasswordProblem = 'too-short' | 'too-long' | 'contains-name' | 'unchanged';

/** Each problem in Swedish, the API's message; the dashboard words each in the viewer's language by its code. */
export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  'too-short': `Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken.`,
  'too-long': 'Lösenordet får ha högst 256 tecken.',
  'contains-name': 'Lösenordet får inte innehålla ditt användarnamn.',
  unchanged: 'Det nya lösenordet måste skilja sig från det gamla.',
};

/** Why a new password is refused, or null when it will do. */
export function passwordProblem(password: string, email: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (password.length > 256) return 'too-long';
  if (password.toLowerCase().includes(email.split('@')[0].toLowerCase())) return 'contains-name';
  return null;
}
