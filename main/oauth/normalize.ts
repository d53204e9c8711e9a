/**
 * A provider's token response as a TokenSet, whatever it looked like: RFC 6749 §5.1 JSON, custom
 * field names, `expires_in` as a number or a numeric string (Daou, docs/providers.md §2), expiry from the
 * JWT `exp` claim, or itcode's JWTs in Set-Cookie (docs/providers.md §4). Pure: `now` is given.
 */
import { decodeJwt } from 'jose';
import type { ResponseFieldNames, TokenSet } from '../model/types';
import { invalidResponse, jsonObjectBody, type ResponseContext, type ResponseLike } from './provider-errors';

export interface NormalizeOptions {
  /** epoch ms of the response. */
  now: number;
  /** Custom names of the response fields (generic client); RFC 6749 §5.1 names otherwise. */
  fields?: ResponseFieldNames;
  /** The token set being refreshed: its refresh token survives a response that omits one (RFC 6749 §6). */
  previous?: TokenSet | null;
  /** The refresh token's lifetime when the response does not carry it (Hejhome: 360 days, docs/providers.md §1). */
  refreshLifetimeSeconds?: number | null;
}

const RFC_FIELDS: Required<ResponseFieldNames> = {
  accessToken: 'access_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
  refreshToken: 'refresh_token',
  refreshExpiresIn: 'refresh_expires_in',
  scope: 'scope',
};

/** Seconds from a number or a numeric string ("86400"); null when absent or not a number. */
export function parseSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** The longest lifetime believed: ten years. Beyond it a value is a provider bug, not a promise. */
export const MAX_LIFETIME_SECONDS = 10 * 366 * 86_400;

/** Anything a provider may have meant as a number: 1e20, -5, "0", "NaN", Infinity. */
function looksNumeric(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^\s*[-+]?(\d|\.\d|nan|inf)/i.test(value));
}

/**
 * A lifetime field (`expires_in`, `refresh_expires_in`, RFC 6749 §5.1) in seconds. Absent or not a
 * number at all: null (the JWT `exp` may tell). A number outside 0 < x ≤ 10 years: the provider's
 * error, quoting the value as sent, rather than a date no clock can show.
 */
function lifetime(
  res: ResponseLike,
  ctx: ResponseContext,
  body: Record<string, unknown>,
  name: string,
  zeroMeansNone = false,
): number | null {
  const value = field(body, name);
  if (value === undefined || value === null || value === '') return null;
  const seconds = parseSeconds(value);
  if (zeroMeansNone && seconds === 0) return null;
  if (seconds !== null && seconds > 0 && seconds <= MAX_LIFETIME_SECONDS) return seconds;
  if (seconds === null && !looksNumeric(value)) return null;
  throw invalidResponse(
    res,
    ctx,
    `"${name}": ${JSON.stringify(value) ?? String(value)}, which is not a lifetime TokenDesk can use (it must be more than 0 seconds and at most 10 years)`,
  );
}

/** The `exp` claim of a JWT in epoch ms (RFC 7519 §4.1.4), without any signature check; null if not a JWT. */
export function jwtExpiresAt(token: string): number | null {
  if (token.split('.').length !== 3) return null;
  try {
    const { exp } = decodeJwt(token);
    // An `exp` no Date can hold is no expiry at all (ECMA-262 §21.4.1.1: ±8.64e15 ms).
    return typeof exp === 'number' && Number.isFinite(exp) && Math.abs(exp * 1000) <= 8.64e15 ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function field(body: Record<string, unknown>, name: string): unknown {
  return body[name];
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** RFC 6749 §5.1: a successful token response (JSON) as a TokenSet; errors per provider-errors. */
export function processTokenResponse(res: ResponseLike, ctx: ResponseContext, opts: NormalizeOptions): TokenSet {
  const body = jsonObjectBody(res, ctx);
  return tokenSetFromBody(res, ctx, body, opts);
}

/** The TokenSet of a parsed token response body. */
export function tokenSetFromBody(
  res: ResponseLike,
  ctx: ResponseContext,
  body: Record<string, unknown>,
  opts: NormalizeOptions,
): TokenSet {
  const names = { ...RFC_FIELDS, ...definedOnly(opts.fields ?? {}) };
  const accessToken = nonEmptyString(field(body, names.accessToken));
  if (!accessToken) {
    throw invalidResponse(res, ctx, `a success status but no access token (no "${names.accessToken}" field)`);
  }
  const expiresIn = lifetime(res, ctx, body, names.expiresIn);
  const expiresAt = expiresIn !== null ? opts.now + expiresIn * 1000 : jwtExpiresAt(accessToken);

  const newRefresh = nonEmptyString(field(body, names.refreshToken));
  const previous = opts.previous ?? null;
  let refreshToken: string | null;
  let refreshExpiresAt: number | null;
  if (newRefresh) {
    refreshToken = newRefresh;
    // Keycloak sends `refresh_expires_in: 0` for an offline token that does not expire.
    const refreshIn = lifetime(res, ctx, body, names.refreshExpiresIn, true);
    // A lifetime assumed from a document counts from when that refresh token value was first
    // received: the same value handed back keeps its old expiry (docs/providers.md §1, §6).
    const sameAsBefore = previous !== null && previous.refreshToken === newRefresh && previous.refreshExpiresAt !== null;
    refreshExpiresAt =
      refreshIn !== null
        ? opts.now + refreshIn * 1000
        : sameAsBefore
          ? previous.refreshExpiresAt
          : opts.refreshLifetimeSeconds
            ? opts.now + opts.refreshLifetimeSeconds * 1000
            : jwtExpiresAt(newRefresh);
  } else {
    // RFC 6749 §6: the server MAY issue a new refresh token; without one the old one stays valid.
    refreshToken = previous?.refreshToken ?? null;
    refreshExpiresAt = previous?.refreshExpiresAt ?? null;
  }
  const tokenType = nonEmptyString(field(body, names.tokenType)) ?? 'Bearer';
  const scopeValue = field(body, names.scope);
  const scope = Array.isArray(scopeValue)
    ? scopeValue.map(String).join(' ')
    : (nonEmptyString(scopeValue) ?? previous?.scope ?? null);
  return {
    accessToken,
    tokenType,
    expiresAt,
    issuedAt: opts.now,
    refreshToken,
    refreshExpiresAt,
    scope,
    cookies: null,
    raw: body,
  };
}

function definedOnly(fields: ResponseFieldNames): ResponseFieldNames {
  const out: ResponseFieldNames = {};
  for (const [key, value] of Object.entries(fields) as [keyof ResponseFieldNames, string | undefined][]) {
    if (typeof value === 'string' && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Max-Age=0, an expiry in the past, or an empty value: the server cleared it. */
  cleared: boolean;
}

/** RFC 6265 §5.2 (as much as a token client needs): the Set-Cookie headers of a response. */
export function parseSetCookies(headers: Record<string, string | string[]>, now: number): SetCookie[] {
  const raw = headers['set-cookie'];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: SetCookie[] = [];
  for (const line of lines) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    let cleared = value === '';
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const attrValue = rest.join('=').trim();
      if (/^\s*max-age\s*$/i.test(key) && Number(attrValue) <= 0) cleared = true;
      if (/^\s*expires\s*$/i.test(key)) {
        const at = Date.parse(attrValue);
        if (Number.isFinite(at) && at <= now) cleared = true;
      }
    }
    out.push({ name, value, cleared });
  }
  return out;
}

/** The itcode cookie names (docs/providers.md §4). */
export const ITCODE_COOKIES = { access: 'access', refresh: 'refresh' } as const;

/**
 * itcode: tokens are JWTs in `Set-Cookie: access=…` / `refresh=…`; their expiry is the JWT `exp`
 * (docs/providers.md §4). Returns null when the response set no access cookie (auto login with a still
 * valid access token changes nothing). The envelope `{flag,title,message,body}` is checked first.
 */
export function processCookieTokenResponse(
  res: ResponseLike,
  ctx: ResponseContext,
  opts: NormalizeOptions,
): TokenSet | null {
  const envelope = res.body.trim() === '' ? {} : jsonObjectBody(res, ctx);
  const cookies = parseSetCookies(res.headers, opts.now);
  const live = new Map(cookies.filter((c) => !c.cleared).map((c) => [c.name, c.value]));
  const access = live.get(ITCODE_COOKIES.access);
  if (!access) return null;
  const previous = opts.previous ?? null;
  const refresh = live.get(ITCODE_COOKIES.refresh) ?? previous?.refreshToken ?? null;
  const jar: Record<string, string> = { ...(previous?.cookies ?? {}) };
  // Only the two token cookies are kept with the token: a session cookie belongs to one sign-in.
  for (const name of [ITCODE_COOKIES.access, ITCODE_COOKIES.refresh]) {
    const value = live.get(name);
    if (value) jar[name] = value;
  }
  if (refresh) jar[ITCODE_COOKIES.refresh] = refresh;
  return {
    accessToken: access,
    tokenType: 'Cookie',
    expiresAt: jwtExpiresAt(access),
    issuedAt: opts.now,
    refreshToken: refresh,
    refreshExpiresAt: refresh ? jwtExpiresAt(refresh) : null,
    scope: null,
    cookies: jar,
    raw: { body: envelope, setCookie: res.headers['set-cookie'] ?? null },
  };
}
