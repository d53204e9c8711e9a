/**
 * The redirect back from an authorization server, as pure functions (RFC 6749 §4.1.2, RFC 8252).
 */

export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
  errorDescription: string | null;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parseUrl(url: string): URL | null {
  try {
    return new URL(url.trim());
  } catch {
    return null;
  }
}

/** RFC 8252 §7.3: an http URI on 127.0.0.1, [::1] or localhost (§8.3 prefers the IP literals). */
export function isLoopbackRedirect(uri: string): boolean {
  const url = parseUrl(uri);
  return url !== null && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

function effectivePort(url: URL): string {
  if (url.port !== '') return url.port;
  return url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '';
}

function normalPath(url: URL): string {
  return url.pathname === '' ? '/' : url.pathname;
}

/**
 * Whether `url` is an address the registered redirect URI sends the browser to: same scheme,
 * host, port and path (RFC 6749 §3.1.2; the query carries the response and may differ). For a
 * loopback redirect URI any port matches (RFC 8252 §7.3), and the three loopback host names
 * match one another only as written (127.0.0.1 ≠ localhost: a browser treats them as different origins).
 */
export function matchesRedirect(url: string, registeredRedirectUri: string): boolean {
  const actual = parseUrl(url);
  const registered = parseUrl(registeredRedirectUri);
  if (!actual || !registered) return false;
  if (actual.protocol !== registered.protocol) return false;
  if (actual.hostname.toLowerCase() !== registered.hostname.toLowerCase()) return false;
  if (normalPath(actual) !== normalPath(registered)) return false;
  if (isLoopbackRedirect(registeredRedirectUri)) return true;
  return effectivePort(actual) === effectivePort(registered);
}

function nonEmpty(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/**
 * `code`, `state`, `error` and `error_description` of a redirect address (RFC 6749 §4.1.2 and
 * §4.1.2.1). The query wins; a fragment is read too (some servers answer with `#code=…`).
 * Null fields when absent or when the address is not a URL.
 */
export function parseCallback(url: string): CallbackParams {
  const parsed = parseUrl(url);
  const empty: CallbackParams = { code: null, state: null, error: null, errorDescription: null };
  if (!parsed) return empty;
  const query = parsed.searchParams;
  const fragment = new URLSearchParams(parsed.hash.startsWith('#') ? parsed.hash.slice(1) : parsed.hash);
  const get = (name: string): string | null => nonEmpty(query.get(name)) ?? nonEmpty(fragment.get(name));
  return {
    code: get('code'),
    state: get('state'),
    error: get('error'),
    errorDescription: get('error_description'),
  };
}

/** Whether the text is an absolute URL at all (paste mode checks this before anything else). */
export function isUrl(text: string): boolean {
  return parseUrl(text) !== null;
}
