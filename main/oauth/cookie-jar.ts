/**
 * The cookies of one pending sign-in (docs/providers.md §4 "Sign-in session"): itcode keeps the
 * sign-in's `state` in a servlet session, so the `JSESSIONID` its login-URL call sets must go back
 * with the login POST. The jar lives inside the PendingSignIn, in memory only: it is dropped with
 * the sign-in and never written anywhere.
 */
import { parseSetCookies } from './normalize';

export type CookieJar = Readonly<Record<string, string>>;

/** The jar after a response: cookies it set are added or replaced, cookies it cleared are gone (RFC 6265 §5.3). */
export function storeCookies(jar: CookieJar, headers: Record<string, string | string[]>, now: number): CookieJar {
  const next: Record<string, string> = { ...jar };
  for (const cookie of parseSetCookies(headers, now)) {
    if (cookie.cleared) delete next[cookie.name];
    else next[cookie.name] = cookie.value;
  }
  return next;
}

/** The `Cookie` request header of a jar (RFC 6265 §5.4), or none when it is empty. */
export function cookieHeaders(jar: CookieJar | undefined): Record<string, string> {
  const pairs = Object.entries(jar ?? {}).map(([name, value]) => `${name}=${value}`);
  return pairs.length > 0 ? { cookie: pairs.join('; ') } : {};
}
