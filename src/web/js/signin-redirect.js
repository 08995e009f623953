// Going to the sign-in page (/signin, the dashboard's page) and back to where the user was.

/** The sign-in page, asked to come back here afterwards; `expired` says the session ended on its own. */
export function toSignIn({ expired = false } = {}) {
  const q = new URLSearchParams({ returnTo: location.pathname + location.search + location.hash });
  if (expired) q.set('expired', '1');
  location.replace(`/signin?${q}`);
}

/** A path on this service to return to (never another site), as the server checks its own returnTo. */
export function safeReturnTo(value) {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/signin') ? value : '/';
}
