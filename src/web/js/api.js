// The signed-in session: the token lives in sessionStorage (this tab only, gone when it closes),
// and every API call carries it as a bearer token. A 401 anywhere signs the page out.
const KEY = 'callpath.token';
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  role: null,
  /** Server clock minus this computer's, so "today" is the server's (a test clock, a wrong PC clock). */
  clockOffset: 0,
  timeZone: 'Europe/Stockholm',
  serverNow() {
    return Date.now() + this.clockOffset;
  },
  /** Takes in GET /api/session's answer. */
  accept(info) {
    this.role = info.role;
    if (typeof info.now === 'number') this.clockOffset = info.now - Date.now();
    if (info.timeZone) this.timeZone = info.timeZone;
  },
  save(token, role) {
    sessionStorage.setItem(KEY, token);
    this.role = role;
  },
  clear() {
    sessionStorage.removeItem(KEY);
    this.role = null;
    for (const fn of listeners) fn();
  },
  onSignOut(fn) {
    listeners.add(fn);
  },
};

/** GET (or POST) /api/<path> as JSON. */
export async function api(path, { token = session.token, signal, method = 'GET' } = {}) {
  const res = await fetch(`/api${path}`, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // a body that is not JSON: reported by status below
  }
  if (!res.ok) {
    const err = new ApiError(res.status, body?.error?.code ?? 'HTTP_' + res.status, body?.error?.message ?? res.statusText);
    if (res.status === 401 && token === session.token) session.clear();
    throw err;
  }
  return body;
}

/** Resumes a session kept from earlier in this tab; true when the token still works and `enter` ran. */
export async function resumeSession(enter) {
  if (!session.token) return false;
  try {
    session.accept(await api('/session'));
    await enter();
    return true;
  } catch {
    session.clear();
    return false;
  }
}

/** Checks a token and returns its role. */
export async function signIn(token) {
  const info = await api('/session', { token });
  session.save(token, info.role);
  session.accept(info);
  return info.role;
}

/** Downloads an authenticated file (a link cannot carry the bearer token). */
export async function download(path, fallbackName) {
  const res = await fetch(`/api${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!res.ok) throw new ApiError(res.status, 'HTTP_' + res.status, res.statusText);
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
