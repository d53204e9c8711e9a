/**
 * Who may talk to the browser door, decided per request (Jupyter's token, VS Code serve-web's
 * connection token): a 256-bit token in the URL's fragment (never sent to a server, never in a
 * log) traded once for an HttpOnly, SameSite=Strict session cookie; the Host header must name
 * this server (DNS rebinding: evil.example resolving to 127.0.0.1 still sends Host: evil.example);
 * a foreign Origin or a cross-site fetch is refused. Plain functions over headers, no I/O.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'tokendesk_session';

export interface RequestHeaders {
  host?: string | undefined;
  origin?: string | undefined;
  cookie?: string | undefined;
  'sec-fetch-site'?: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string };

const OK: Verdict = { ok: true };

/** The Host values that name this server: what we print, and `localhost` typed by hand. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * Every request: Host must be ours; Origin, when a browser sends one, must be ours; a cross-site
 * fetch (Sec-Fetch-Site) is refused even before the cookie is looked at. `stateChanging` requests
 * (POST) must carry an Origin: every browser sends one on POST, and its absence means a client
 * we did not write.
 */
export function checkRequest(headers: RequestHeaders, port: number, opts: { stateChanging: boolean }): Verdict {
  const hosts = allowedHosts(port);
  const host = (headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) return { ok: false, status: 400, reason: `Host "${host.slice(0, 100)}" is not this server` };
  const origin = headers.origin;
  if (origin !== undefined && !hosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return { ok: false, status: 403, reason: `Origin "${origin.slice(0, 100)}" is not this server` };
  }
  if (opts.stateChanging && origin === undefined) return { ok: false, status: 403, reason: 'a request that changes something must name its Origin' };
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: `cross-site request (${site.slice(0, 40)})` };
  return OK;
}

/** The value of one cookie, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of two secrets of any length (hashing first equalises the lengths). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The URL token and the sessions it opened. The token works once: a second use (a leaked link, a
 * shoulder-surfed address bar) is refused, whoever presents it.
 */
export class SessionKeeper {
  readonly urlToken = randomBytes(32).toString('base64url');
  #tokenUsed = false;
  readonly #sessions = new Set<string>();

  /** Trades the URL token for a new session id; null when the token is wrong or already used. */
  exchange(token: string): string | null {
    if (this.#tokenUsed || !sameSecret(token, this.urlToken)) return null;
    this.#tokenUsed = true;
    const session = randomBytes(32).toString('base64url');
    this.#sessions.add(session);
    return session;
  }

  isSession(cookieHeader: string | undefined): boolean {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    if (!value) return false;
    for (const session of this.#sessions) if (sameSecret(value, session)) return true;
    return false;
  }

  static cookie(session: string): string {
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
