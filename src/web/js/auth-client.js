// Signing in and out through the service's /auth routes (api/auth-routes.ts). The session itself is
// the cookie the server sets; what the page needs of it comes from GET /api/session (api.js).
import { loadSession, request, session } from './api.js';

/** How one may sign in here: {local, oidc: {label, start} | null}. */
export function signInOptions() {
  return request('/auth/options');
}

/** Signs in with e-mail and password, then reads the session; rejects with the server's ApiError. */
export async function signInWithPassword(email, password) {
  await request('/auth/signin', { method: 'POST', body: { email, password } });
  await loadSession();
}

/** Replaces the temporary (or current) password; the session stays, now free to use the rest. */
export async function changePassword(current, next) {
  await request('/auth/password', { method: 'POST', body: { current, next } });
  await loadSession();
}

/** Ends the session on the server (the cookie no longer opens anything), then in the page. */
export async function signOut() {
  try {
    await request('/auth/signout', { method: 'POST' });
  } finally {
    session.clear();
  }
}

/** The sign-in through the municipality's identity provider, coming back to this page. */
export function oidcStartUrl(start, returnTo) {
  return `${start}?returnTo=${encodeURIComponent(returnTo)}`;
}
