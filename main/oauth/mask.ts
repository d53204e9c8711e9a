/**
 * Masking of secrets in recorded exchanges and token views. Pure functions: an exchange is masked
 * before it leaves main unless the user asked to reveal it.
 */
import type { Exchange } from '../model/types';

const BULLETS = '••••';
/** Values shorter than this are hidden entirely; longer ones show 4 characters at each end. */
const MIN_PARTIAL_LENGTH = 16;

/** Fields whose values are secret in query strings, form bodies and JSON bodies. */
export const SECRET_FIELDS = [
  'client_secret',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'refreshToken',
  'password',
  'id_token',
  'token',
  // RFC 8693 §2.1 and RFC 7523 §2.1: bearer credentials in the request body.
  'subject_token',
  'actor_token',
  'assertion',
  // RFC 8628 §3.2: whoever holds the device code can poll for the token.
  'device_code',
] as const;

/** Known secrets shorter than this are not searched for everywhere (too many false matches). */
const MIN_KNOWN_SECRET_LENGTH = 4;

/**
 * `eyJh…x9Qz` for long values, `••••` for short ones: never more than 8 characters shown, never
 * the whole of a short value.
 */
export function maskSecret(value: string): string {
  if (value.length < MIN_PARTIAL_LENGTH) return BULLETS;
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** `Basic ••••` (a Basic value is the client id and secret), `Bearer eyJh…x9Qz`. */
export function maskAuthorization(value: string): string {
  const match = /^(\S+)(\s+)(.*)$/s.exec(value.trim());
  if (!match) return maskSecret(value);
  const [, scheme = '', space = ' ', credentials = ''] = match;
  if (scheme.toLowerCase() === 'basic') return `${scheme}${space}${BULLETS}`;
  return `${scheme}${space}${maskSecret(credentials)}`;
}

/** `a=1; b=2` → `a=••••; b=••••` (a Cookie header). */
export function maskCookieHeader(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      return `${pair.slice(0, eq)}=${maskCookieValue(pair.slice(eq + 1))}`;
    })
    .join(';');
}

/** `access=eyJ…; Path=/; HttpOnly` → only the cookie's own value is masked, attributes stay. */
export function maskSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const first = semi === -1 ? value : value.slice(0, semi);
  const rest = semi === -1 ? '' : value.slice(semi);
  const eq = first.indexOf('=');
  if (eq === -1) return value;
  return `${first.slice(0, eq)}=${maskCookieValue(first.slice(eq + 1))}${rest}`;
}

function maskCookieValue(value: string): string {
  // An empty value is a cleared cookie (logout): nothing to hide, and showing it helps.
  return value.trim() === '' ? value : maskSecret(value.trim());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const FIELD_ALTERNATION = SECRET_FIELDS.map(escapeRegExp).join('|');
/** `?code=…` / `&refresh_token=…` in URLs and form bodies (the value is raw, encoded or not). */
const FORM_FIELD = new RegExp(`(^|[?&#])(${FIELD_ALTERNATION})=([^&#\\s]*)`, 'g');
/** `"access_token": "…"` in JSON text — also in the malformed JSON some providers send. */
const JSON_FIELD = new RegExp(`("(?:${FIELD_ALTERNATION})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'g');

/** Masks the secret fields of a query string, form body or JSON text, leaving everything else. */
export function maskSecretFields(text: string): string {
  return text
    .replace(FORM_FIELD, (_all, lead: string, name: string, value: string) =>
      value === '' ? `${lead}${name}=` : `${lead}${name}=${maskSecret(safeDecode(value))}`,
    )
    .replace(JSON_FIELD, (_all, open: string, value: string, close: string) =>
      value === '' || isStatusCode(open, value) ? `${open}${value}${close}` : `${open}${maskSecret(value)}${close}`,
    );
}

/** Daou's error body has `"code": "401"`, an HTTP status as a string (docs/providers.md §2), not a secret. */
function isStatusCode(open: string, value: string): boolean {
  return open.startsWith('"code"') && /^\d{3}$/.test(value);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Every occurrence of a known secret (raw, URL-encoded or form-encoded) in `text`, masked. */
export function maskKnownSecrets(text: string, knownSecrets: readonly string[]): string {
  let out = text;
  const secrets = [...new Set(knownSecrets.filter((s) => s.length >= MIN_KNOWN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  for (const secret of secrets) {
    const masked = maskSecret(secret);
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) {
      out = out.split(form).join(masked);
    }
  }
  return out;
}

function maskText(text: string, knownSecrets: readonly string[]): string {
  return maskKnownSecrets(maskSecretFields(text), knownSecrets);
}

function maskHeaders<T extends string | string[]>(
  headers: Record<string, T>,
  knownSecrets: readonly string[],
): Record<string, T> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const one = (v: string): string => {
      if (lower === 'authorization' || lower === 'proxy-authorization') return maskAuthorization(v);
      if (lower === 'cookie') return maskCookieHeader(v);
      if (lower === 'set-cookie') return maskSetCookie(v);
      if (lower === 'location') return maskText(v, knownSecrets);
      return maskKnownSecrets(v, knownSecrets);
    };
    out[name] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return out as Record<string, T>;
}

/**
 * An exchange safe to show: Authorization (scheme kept), Cookie and Set-Cookie values, the secret
 * fields of the URL's query and of form / JSON bodies, and any occurrence of a known secret.
 */
export function maskExchange(exchange: Exchange, knownSecrets: readonly string[]): Exchange {
  return {
    ...exchange,
    url: maskText(exchange.url, knownSecrets),
    requestHeaders: maskHeaders(exchange.requestHeaders, knownSecrets),
    requestBody: exchange.requestBody === null ? null : maskText(exchange.requestBody, knownSecrets),
    responseHeaders: maskHeaders(exchange.responseHeaders, knownSecrets),
    responseBody: exchange.responseBody === null ? null : maskText(exchange.responseBody, knownSecrets),
    error: exchange.error === null ? null : maskText(exchange.error, knownSecrets),
  };
}
