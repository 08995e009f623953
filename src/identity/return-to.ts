/**
 * Where to send the browser after sign-in: a path on this service, never another site. A value
 * such as `//evil.example` or `/\evil.example` is a path to the parser here but another host to a
 * browser, so anything short of a plain absolute path becomes the start page.
 */
const MAX_LENGTH = 2000;

export function localReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return '/';
  // A single leading slash, no backslash (browsers read it as a slash) and no control characters.
  if (!/^\/(?![/\\])/.test(raw) || /[\\\u0000-\u001f\u007f]/.test(raw)) return '/';
  return raw;
}
