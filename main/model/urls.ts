/**
 * Which addresses a client may use. Only http: and https: reach a provider; cleartext http: only to
 * loopback (the sandbox, a local server) unless the user allowed it for that client, because the
 * client secret travels in Basic auth or the form body (RFC 6749 §2.3.1 requires TLS for it).
 */
import { TokenDeskError } from './errors';
import { LIMITS } from './limits';

/** 127.0.0.0/8, ::1 and localhost (RFC 8252 §8.3; RFC 6761 §6.3 keeps localhost on this machine). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** A cleartext address to a host other than this machine. */
export function isInsecureHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

export interface UrlRules {
  /** The client's own "allow insecure HTTP" setting (`--allow-insecure-http`). */
  allowInsecureHttp: boolean;
  /** A redirect URI may also be a private-use scheme such as `com.example.app:/cb` (RFC 8252 §7.1). */
  redirect?: boolean;
}

/** What is wrong with an address: too long, not one, not http(s), or cleartext to another host. */
export interface UrlProblem {
  code: 'too_long' | 'invalid_url' | 'not_http' | 'insecure_http';
  /** The English sentence, naming the field (`label`) and saying what is accepted. */
  message: string;
}

/** The first problem of `value` as an address for `label`, or null: the rules checkUrl enforces. */
export function urlProblem(label: string, value: string, rules: UrlRules): UrlProblem | null {
  if (value.length > LIMITS.urlChars) return { code: 'too_long', message: `${label} is longer than ${LIMITS.urlChars} characters.` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { code: 'invalid_url', message: `${label} is not a valid address: "${value}". Use a full address such as https://example.com/oauth/token.` };
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    if (rules.redirect || rules.allowInsecureHttp || isLoopbackHost(url.hostname)) return null;
    return {
      code: 'insecure_http',
      message: `${label} ${value} uses cleartext http:// to a host other than this computer, so the client secret and tokens could be read on the way. Use https://, or allow insecure HTTP for this client (--allow-insecure-http) if you really mean it.`,
    };
  }
  if (rules.redirect && /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/i.test(url.protocol)) return null;
  return {
    code: 'not_http',
    message: `${label} must be an http:// or https:// address${rules.redirect ? ' (or an app scheme such as com.example.app:/callback)' : ''}; "${url.protocol}" addresses are not accepted: ${value}`,
  };
}

/** Throws a TokenDeskError ('bad_request') that names the field and says what is accepted. */
export function checkUrl(label: string, value: string, rules: UrlRules): void {
  const problem = urlProblem(label, value, rules);
  if (problem) throw new TokenDeskError('bad_request', problem.message);
}
