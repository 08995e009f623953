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

/** GET /api/<path> as JSON. */
export async function api(path, { token = session.token, signal } = {}) {
  const res = await fetch(`/api${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
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

/** Checks a token and returns its role. */
export async function signIn(token) {
  const { role } = await api('/session', { token });
  session.save(token, role);
  return role;
}
