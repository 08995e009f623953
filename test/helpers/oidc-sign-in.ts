/**
 * A scripted browser for the test identity provider's development sign-in pages: follows redirects
 * by hand with a small cookie jar, fills the login form (any password) and confirms consent, and
 * stops at the redirect to the client's redirect URI, which it returns (code, state, iss).
 */

/** Cookies by name: the provider's interaction and session cookies, all on the one test host. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expires = attributes.map((a) => a.trim()).find((a) => /^expires=/i.test(a));
      const expired = expires !== undefined && Date.parse(expires.slice('expires='.length)) <= Date.now();
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

interface Form {
  action: URL;
  fields: URLSearchParams;
}

const decodeHtml = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's one form: its action and hidden inputs (the dev pages' `prompt`). */
function parseForm(html: string, base: URL): Form | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input[0])?.[1];
    const value = /\bvalue="([^"]*)"/i.exec(input[0])?.[1];
    if (name && /\btype="hidden"/i.test(input[0])) fields.set(decodeHtml(name), decodeHtml(value ?? ''));
  }
  return { action: new URL(decodeHtml(form[1]), base), fields };
}

/**
 * Signs in as `login` from the authorization URL to the callback, or throws with the page it got
 * stuck on. `redirectUri` is where the provider sends the browser back (nothing listens there).
 */
export async function signInAtTestProvider(authorizationUrl: string, login: string, redirectUri: string): Promise<URL> {
  const jar = new CookieJar();
  let request: { url: URL; init: RequestInit } = { url: new URL(authorizationUrl), init: { method: 'GET' } };
  for (let step = 0; step < 20; step++) {
    const response = await fetch(request.url, { ...request.init, redirect: 'manual', headers: { ...request.init.headers, cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, request.url);
      if (next.href.startsWith(redirectUri)) return next;
      request = { url: next, init: { method: 'GET' } };
      continue;
    }
    const html = await response.text();
    const form = response.status === 200 ? parseForm(html, request.url) : undefined;
    if (!form) throw new Error(`sign-in stuck at ${request.url.pathname}: HTTP ${response.status}\n${html.slice(0, 2000)}`);
    if (form.fields.get('prompt') === 'login') {
      form.fields.set('login', login);
      form.fields.set('password', 'any password does');
    }
    request = {
      url: form.action,
      init: { method: 'POST', body: form.fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    };
  }
  throw new Error('sign-in did not reach the redirect URI within 20 steps');
}
