// The signed-in session. The browser holds the session cookie (HttpOnly: no script can read it, and
// nothing is kept in sessionStorage or localStorage); the page keeps only what GET /api/session says:
// who is signed in, their roles, and the anti-forgery token every change must carry. A 401 from any
// call means the session has ended, and the page goes back to sign-in.
const listeners = new Set();
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const session = {
  /** {email, name, kind} while signed in, else null. */
  user: null,
  roles: [],
  csrfToken: null,
  mustChangePassword: false,
  /** Server clock minus this computer's, so "today" is the server's (a test clock, a wrong PC clock). */
  clockOffset: 0,
  timeZone: 'Europe/Stockholm',
  get signedIn() {
    return this.user !== null;
  },
  has(role) {
    return this.roles.includes(role);
  },
  serverNow() {
    return Date.now() + this.clockOffset;
  },
  /** Takes in GET /api/session's answer. */
  accept(info) {
    this.user = info.user;
    this.roles = info.roles ?? [];
    this.csrfToken = info.csrfToken ?? null;
    this.mustChangePassword = !!info.mustChangePassword;
    if (typeof info.now === 'number') this.clockOffset = info.now - Date.now();
    if (info.timeZone) this.timeZone = info.timeZone;
  },
  /** Forgets the session (the server has ended it, or never had it) and tells the page. */
  clear() {
    const was = this.signedIn;
    this.user = null;
    this.roles = [];
    this.csrfToken = null;
    this.mustChangePassword = false;
    if (was) for (const fn of listeners) fn();
  },
  onSignOut(fn) {
    listeners.add(fn);
  },
};

/**
 * A JSON request to this service (any path: /api/…, /auth/…), with the session cookie and, for a
 * change, the anti-forgery token. Resolves to the body (null for 204); rejects with an ApiError.
 */
export async function request(url, { method = 'GET', body, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  let parsed = null;
  if (res.status !== 204) {
    try {
      parsed = await res.json();
    } catch {
      // a body that is not JSON: reported by status below
    }
  }
  if (!res.ok) {
    const { code, message, ...details } = parsed?.error ?? {};
    const err = new ApiError(res.status, code ?? 'HTTP_' + res.status, message ?? res.statusText, details);
    if (res.status === 401 && session.signedIn) session.clear();
    throw err;
  }
  return parsed;
}

/** GET (or another method on) /api/<path> as JSON. */
export function api(path, opts = {}) {
  return request(`/api${path}`, opts);
}

/** Asks the server who is signed in; false when nobody is (the sign-in view is then due). */
export async function loadSession() {
  try {
    session.accept(await api('/session'));
    return true;
  } catch (err) {
    if (err.status === 401) return false;
    throw err;
  }
}

/** Downloads a file of the API with the session cookie (a download link gets no error message to show). */
export async function download(path, fallbackName) {
  const res = await fetch(`/api${path}`, { credentials: 'same-origin' });
  if (!res.ok) {
    if (res.status === 401) session.clear();
    throw new ApiError(res.status, 'HTTP_' + res.status, res.statusText);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
