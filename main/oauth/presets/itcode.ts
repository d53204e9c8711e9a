/**
 * itcode.dev OAuth2 backend — docs/providers.md §4, seeds/003: a social-login broker. Every answer is
 * the envelope `{flag, title, message, body}`; the tokens are JWTs in `access` / `refresh` cookies,
 * their expiry the JWT `exp`.
 */
import { TokenDeskError } from '../../model/errors';
import type { ClientConfig, ItcodePlatform, TokenSet } from '../../model/types';
import { cookieHeaders, storeCookies, type CookieJar } from '../cookie-jar';
import { ITCODE_COOKIES, processCookieTokenResponse } from '../normalize';
import { invalidResponse, jsonObjectBody, type OAuthAction } from '../provider-errors';
import { isLoopbackRedirect, isUrl } from '../redirect';
import {
  baseUrlOf,
  codeFromCallback,
  context,
  endpoint,
  send,
  type FlowDeps,
  type FlowInput,
  type PendingSignIn,
} from '../requests';
import { NO_CAPABILITIES, type Preset } from './preset';

const LABEL = 'itcode';
const DEFAULT_BASE_URL = 'https://api.itcode.dev';
/** Where the platforms send the browser back; `?platform=…` is appended (docs/providers.md §4 "login URL"). */
export const ITCODE_CALLBACK_BASE = 'https://project.itcode.dev/oauth2/callback';
/**
 * The paste route cannot work for itcode (docs/providers.md §4 "callback"): the callback page is
 * itcode's own web app, and its script spends the code the moment it loads.
 */
export const ITCODE_PASTE_WARNING =
  "itcode's callback page (project.itcode.dev/oauth2/callback) is itcode's own web app: the moment it loads, it uses the code, " +
  'so an address copied from the loaded page can only fail. Copy the address before the page loads (from the developer tools\' ' +
  'network panel, or by stopping the browser as it redirects), or sign in from the TokenDesk app, whose sign-in window catches it first.';

/** Said after itcode refused a pasted address. */
export const ITCODE_SPENT_CODE_HINT =
  'If the callback page had loaded before you copied its address, the page had already used the code: that is why itcode refused it.';

/** Re-consent exists only for these (docs/providers.md §4 "re-consent URL"). */
const RECONSENT_PLATFORMS: readonly ItcodePlatform[] = ['naver', 'kakao'];

function platformOf(client: ClientConfig): ItcodePlatform {
  if (!client.platform) {
    throw new TokenDeskError('bad_request', 'itcode needs a platform (naver, kakao, google or github): edit the client and pick one.');
  }
  return client.platform;
}

function url(client: ClientConfig, path: string): string {
  return endpoint(baseUrlOf(client, DEFAULT_BASE_URL), path);
}

/** `Cookie: access=…; refresh=…` from a token set (RFC 6265 §4.2). */
function cookieHeader(current: TokenSet, names: readonly ('access' | 'refresh')[]): string {
  const jar: Record<string, string> = { ...(current.cookies ?? {}) };
  jar[ITCODE_COOKIES.access] ??= current.accessToken;
  if (current.refreshToken) jar[ITCODE_COOKIES.refresh] ??= current.refreshToken;
  return names
    .filter((name) => jar[name] !== undefined && jar[name] !== '')
    .map((name) => `${ITCODE_COOKIES[name]}=${jar[name]}`)
    .join('; ');
}

/** The envelope's `body` of a successful itcode answer; `flag: false` and the rest become errors. */
async function envelopeBody(
  deps: FlowDeps,
  input: FlowInput,
  action: OAuthAction,
  req: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; cookie?: string },
): Promise<unknown> {
  const res = await send(deps, input, {
    method: req.method,
    url: url(input.client, req.path),
    headers: req.cookie ? { cookie: req.cookie } : {},
  });
  return jsonObjectBody(res, context(LABEL, action)).body;
}

/**
 * An authorize URL from an envelope body, or a clear error with the raw answer; with the cookies
 * the answer set: the servlet session that holds the sign-in's `state` (docs/providers.md §4).
 */
async function authorizeUrlFrom(
  deps: FlowDeps,
  input: FlowInput,
  action: 'login_url' | 'reconsent',
  req: { method: 'GET' | 'PUT'; path: string; cookie?: string },
): Promise<{ authorizeUrl: string; cookies: CookieJar }> {
  const res = await send(deps, input, { method: req.method, url: url(input.client, req.path), headers: req.cookie ? { cookie: req.cookie } : {} });
  const body = jsonObjectBody(res, context(LABEL, action)).body;
  if (typeof body !== 'string' || !isUrl(body)) {
    throw invalidResponse(res, context(LABEL, action), 'no authorize address in its "body" field');
  }
  return { authorizeUrl: body, cookies: storeCookies({}, res.headers, deps.now()) };
}

/** The pending sign-in of a platform authorize URL: its own `state` and `redirect_uri` inside. */
function pendingFrom(
  deps: FlowDeps,
  input: FlowInput,
  { authorizeUrl, cookies }: { authorizeUrl: string; cookies: CookieJar },
  platform: ItcodePlatform,
  override?: string,
): PendingSignIn {
  const params = new URL(authorizeUrl).searchParams;
  // itcode's backend picks the redirect URI: the one inside its authorize URL wins.
  const redirectUri =
    params.get('redirect_uri') ??
    override ??
    `${input.client.redirectUri ?? ITCODE_CALLBACK_BASE}?platform=${platform}`;
  return {
    clientId: input.client.id,
    authorizeUrl,
    redirectUri,
    state: params.get('state') ?? '',
    codeVerifier: null,
    createdAt: deps.now(),
    loopback: isLoopbackRedirect(redirectUri),
    cookies,
  };
}

/** PUT /oauth2/api/login/put: a re-prompting authorize URL, its `state` in a new server session. */
function reconsentAnswer(deps: FlowDeps, input: FlowInput, current: TokenSet, platform: ItcodePlatform): Promise<{ authorizeUrl: string; cookies: CookieJar }> {
  if (!RECONSENT_PLATFORMS.includes(platform)) {
    return Promise.reject(new TokenDeskError('unsupported', `itcode offers re-consent only for Naver and Kakao, not for ${platform}.`));
  }
  return authorizeUrlFrom(deps, input, 'reconsent', { method: 'PUT', path: '/oauth2/api/login/put', cookie: cookieHeader(current, ['access']) });
}

/** A rejected refresh cookie means a new sign-in; itcode says so with 401 or `flag: false`. */
function asInvalidGrant(error: unknown): unknown {
  if (error instanceof TokenDeskError && error.code === 'provider_rejected' && (error.status === 401 || error.status === 400)) {
    return new TokenDeskError('invalid_grant', `itcode no longer accepts the sign-in (${error.providerMessage ?? 'refresh rejected'}): sign in again.`, {
      ...(error.providerMessage !== undefined ? { providerMessage: error.providerMessage } : {}),
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.rawBody !== undefined ? { rawBody: error.rawBody } : {}),
    });
  }
  return error;
}

export const itcodePreset: Preset = {
  id: 'itcode',
  label: LABEL,
  grant: 'Social login (cookie JWTs)',
  environments: [{ id: 'prod', label: 'api.itcode.dev', baseUrl: DEFAULT_BASE_URL }],
  fields: [
    { key: 'baseUrl', required: true, default: DEFAULT_BASE_URL },
    { key: 'platform', required: true, default: 'naver' },
    { key: 'redirectUri', required: false, default: ITCODE_CALLBACK_BASE },
  ],
  capabilities: (client) => ({
    ...NO_CAPABILITIES,
    signIn: true,
    refresh: true,
    revoke: true,
    signOut: true,
    userInfo: true,
    reconsent: client.platform !== null && RECONSENT_PLATFORMS.includes(client.platform),
  }),

  /** GET /oauth2/api/login/{platform}: `body` is the platform's authorize URL with its own state. */
  async beginSignIn(deps, input, opts) {
    const platform = platformOf(input.client);
    const answer = await authorizeUrlFrom(deps, input, 'login_url', { method: 'GET', path: `/oauth2/api/login/${platform}` });
    return pendingFrom(deps, input, answer, platform, opts.redirectUri);
  },

  /**
   * POST /oauth2/api/login/{platform} JSON {code, state}, with the session cookie of the login-URL
   * call (the server compares `state` with its session's) → `Set-Cookie: access=…`, `refresh=…`.
   */
  async completeSignIn(deps, input, pending, callbackUrl) {
    const platform = platformOf(input.client);
    const { code, state } = codeFromCallback(pending, callbackUrl, { provider: LABEL });
    const res = await send(deps, input, {
      method: 'POST',
      url: url(input.client, `/oauth2/api/login/${platform}`),
      headers: { 'content-type': 'application/json', ...cookieHeaders(pending.cookies) },
      body: JSON.stringify({ code, state: state ?? pending.state }),
    });
    const ctx = context(LABEL, 'exchange');
    const token = processCookieTokenResponse(res, ctx, { now: deps.now() });
    if (!token) throw invalidResponse(res, ctx, 'a success but no "access" cookie');
    return token;
  },

  /**
   * POST /oauth2/api/login/auto with the refresh cookie alone: while an access cookie is sent the
   * server does nothing (docs/providers.md §4 "auto login"); alone, both cookies come back new.
   * An answer without them refreshed nothing: the current token set goes back unchanged, and the
   * token manager counts that as a failed attempt rather than a new token.
   */
  async refreshToken(deps, input, current) {
    const refresh = cookieHeader(current, ['refresh']);
    if (refresh === '') throw new TokenDeskError('needs_signin', 'itcode gave no refresh cookie with this sign-in: sign in again.');
    const res = await send(deps, input, {
      method: 'POST',
      url: url(input.client, '/oauth2/api/login/auto'),
      headers: { cookie: refresh },
    });
    try {
      return processCookieTokenResponse(res, context(LABEL, 'refresh'), { now: deps.now(), previous: current }) ?? current;
    } catch (error) {
      throw asInvalidGrant(error);
    }
  },

  /** DELETE /oauth2/api/revoke with the access cookie: unlinks the platform account. */
  async revokeToken(deps, input, current) {
    await envelopeBody(deps, input, 'revoke', { method: 'DELETE', path: '/oauth2/api/revoke', cookie: cookieHeader(current, ['access']) });
  },

  /** POST /oauth2/api/logout: the server clears both cookies. */
  async signOut(deps, input, current) {
    await envelopeBody(deps, input, 'signout', { method: 'POST', path: '/oauth2/api/logout', cookie: cookieHeader(current, ['access', 'refresh']) });
  },

  /** GET /oauth2/api/userinfo with the access cookie → `{ email, name, profile, platform }`. */
  fetchUserInfo(deps, input, current) {
    return envelopeBody(deps, input, 'userinfo', { method: 'GET', path: '/oauth2/api/userinfo', cookie: cookieHeader(current, ['access']) });
  },

  /** PUT /oauth2/api/login/put with the access cookie; Naver and Kakao only. */
  async reconsentUrl(deps, input, current) {
    return (await reconsentAnswer(deps, input, current, platformOf(input.client))).authorizeUrl;
  },
};

/** A pending sign-in for itcode's re-consent URL (same callback and POST as a first sign-in). */
export async function itcodeBeginReconsent(deps: FlowDeps, input: FlowInput, current: TokenSet, redirectUri?: string): Promise<PendingSignIn> {
  const platform = platformOf(input.client);
  const answer = await reconsentAnswer(deps, input, current, platform);
  return pendingFrom(deps, input, answer, platform, redirectUri);
}
