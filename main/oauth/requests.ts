/**
 * The building blocks every flow is made of (oauth4webapi's habit: small request functions over
 * plain readonly data): the flow types, endpoint URLs, client authentication, token requests and
 * the callback check. Presets combine these with their quirks.
 */
import { randomBytes, createHash } from 'node:crypto';
import { TokenDeskError } from '../model/errors';
import type { ClientConfig, ClientSecrets, TokenSet } from '../model/types';
import type { HttpClient, HttpMethod, HttpResponse } from './http';
import { processTokenResponse, type NormalizeOptions } from './normalize';
import { endSentence, type OAuthAction, type ResponseContext } from './provider-errors';
import { isUrl, matchesRedirect, parseCallback } from './redirect';
import { clientTransport } from './transport';

export interface FlowDeps {
  http: HttpClient;
  /** epoch ms */
  now(): number;
}

export interface FlowInput {
  client: ClientConfig;
  secrets: ClientSecrets;
  /** RFC 8693: other clients' valid access tokens, fetched by the desk for a token_exchange client. */
  grantTokens?: GrantTokens;
}

/** A token from another client, as RFC 8693 §2.1 sends it: the value and its type identifier. */
export interface GrantToken {
  token: string;
  type: string;
}

export interface GrantTokens {
  subject: GrantToken;
  actor?: GrantToken;
}

/** An authorization request waiting for its redirect (RFC 6749 §4.1.1). Kept in main only. */
export interface PendingSignIn {
  clientId: string;
  authorizeUrl: string;
  redirectUri: string;
  state: string;
  /** RFC 7636 code_verifier, when PKCE is used. */
  codeVerifier: string | null;
  createdAt: number;
  /** RFC 8252 §7.3: the redirect URI is loopback, a local listener can catch it. */
  loopback: boolean;
  /** Cookies the provider set for this sign-in only (itcode's JSESSIONID), sent back on its POST. */
  cookies?: Readonly<Record<string, string>>;
  /** OpenID Connect nonce sent (standards clients). */
  nonce?: string | null;
  /** RFC 9126: the request was pushed. */
  par?: boolean;
}

export interface BeginSignInOptions {
  /** Overrides the client's redirect URI (a loopback listener on an ephemeral port). */
  redirectUri?: string;
}

/** Form encoding (application/x-www-form-urlencoded, RFC 6749 Appendix B). */
export function formBody(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(params).toString();
}

/** A base URL and a path; a trailing slash on the base is not doubled. */
export function endpoint(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** A generic URL setting: absolute as is, or a path resolved against the client's base URL. */
export function resolveUrl(baseUrl: string, url: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : endpoint(baseUrl, url);
}

/** `url` with `params` appended to its query (standard encoding). */
export function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  const query = formBody(params);
  if (query === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/**
 * RFC 6749 §2.3.1: `Basic base64(urlencode(id):urlencode(secret))`. With `formEncode: false`, the
 * plain RFC 7617 form `base64(id:secret)` the preset documents describe (docs/providers.md §1-§3).
 */
export function basicAuthorization(id: string, secret: string, opts: { formEncode: boolean }): string {
  const enc = (s: string): string => (opts.formEncode ? formBody({ v: s }).slice(2) : s);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64')}`;
}

/** The client secret, or a clear error naming what to fill in. */
export function requireSecret(input: FlowInput, provider: string, name = 'client secret'): string {
  const secret = input.secrets.clientSecret;
  if (secret === null || secret === '') {
    throw new TokenDeskError('bad_request', `${provider} needs a ${name}: edit the client and enter it.`);
  }
  return secret;
}

export function requireClientId(input: FlowInput, provider: string): string {
  if (input.client.clientId.trim() === '') {
    throw new TokenDeskError('bad_request', `${provider} needs a client ID: edit the client and enter it.`);
  }
  return input.client.clientId;
}

export function requireRedirectUri(input: FlowInput, provider: string, override?: string): string {
  const uri = override ?? input.client.redirectUri;
  if (!uri || !isUrl(uri)) {
    throw new TokenDeskError(
      'bad_request',
      `${provider} needs the redirect URI registered with it: edit the client and enter it.`,
    );
  }
  return uri;
}

/** RFC 6749 §10.12: an unguessable `state`. */
export function generateState(): string {
  return randomBytes(24).toString('base64url');
}

/** RFC 7636 §4.1: 43 characters of base64url (32 random octets). */
export function generateCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 §4.2: S256. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export interface SendInput {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
}

/** One request of a flow: JSON accepted by default, recorded under the client's id. */
export function send(deps: FlowDeps, input: FlowInput, req: SendInput): Promise<HttpResponse> {
  return deps.http.send({
    clientId: input.client.id,
    method: req.method,
    url: req.url,
    headers: { accept: 'application/json', ...(req.headers ?? {}) },
    body: req.body ?? null,
    transport: clientTransport(input.client, input.secrets),
  });
}

export function formHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', ...extra };
}

/** Sends a token request and turns its answer into a TokenSet (RFC 6749 §5.1 / §5.2). */
export async function tokenRequest(
  deps: FlowDeps,
  input: FlowInput,
  ctx: ResponseContext,
  req: SendInput,
  opts: Omit<NormalizeOptions, 'now'> = {},
): Promise<TokenSet> {
  const res = await send(deps, input, req);
  return processTokenResponse(res, ctx, { ...opts, now: deps.now() });
}

export function context(provider: string, action: OAuthAction): ResponseContext {
  return { provider, action };
}

export interface CallbackCheck {
  provider: string;
  /** Hejhome documents no `state` (docs/providers.md §1): a missing one is accepted, a different one never. */
  stateOptional?: boolean;
}

/**
 * The authorization code of a redirect address, after every check of RFC 6749 §4.1.2: the address
 * is the redirect URI, the state is the one sent (§10.12), and it carries no error (§4.1.2.1).
 */
export function codeFromCallback(pending: Pick<PendingSignIn, 'redirectUri' | 'state'>, callbackUrl: string, check: CallbackCheck): { code: string; state: string | null } {
  if (!isUrl(callbackUrl)) {
    throw new TokenDeskError(
      'bad_request',
      'That is not a web address. Paste the full address the browser was sent to after signing in.',
    );
  }
  if (!matchesRedirect(callbackUrl, pending.redirectUri)) {
    throw new TokenDeskError(
      'bad_request',
      `That address is not the redirect URI (${pending.redirectUri}). Paste the address the browser was sent to after signing in.`,
    );
  }
  const params = parseCallback(callbackUrl);
  const stateOk =
    params.state === pending.state || (params.state === null && check.stateOptional === true && params.error === null);
  if (params.error !== null && (params.state === null || params.state === pending.state)) {
    const said = params.errorDescription ?? params.error;
    const details = { providerMessage: said };
    if (params.error === 'access_denied') {
      throw new TokenDeskError('cancelled', `Sign-in was cancelled: ${check.provider} reports that access was denied (${said}). Sign in again and allow access.`, details);
    }
    throw new TokenDeskError('provider_rejected', `${endSentence(`${check.provider} refused the sign-in with "${params.error}": ${said}`)} Check the client's settings, then sign in again.`, details);
  }
  if (!stateOk) {
    throw new TokenDeskError(
      'state_mismatch',
      params.state === null
        ? `The redirect from ${check.provider} carries no state, so TokenDesk cannot tell it belongs to this sign-in. Sign in again.`
        : `The redirect from ${check.provider} belongs to another sign-in (the state does not match). Sign in again from TokenDesk.`,
    );
  }
  if (params.code === null) {
    throw new TokenDeskError(
      'invalid_response',
      `The redirect from ${check.provider} carries no authorization code. Sign in again.`,
    );
  }
  return { code: params.code, state: params.state };
}

/** The client's base URL, or the preset default when it is empty. */
export function baseUrlOf(client: ClientConfig, fallback: string): string {
  return client.baseUrl.trim() === '' ? fallback : client.baseUrl.trim();
}

/** The refresh token of a token set, or 'needs_signin' (RFC 6749 §6 needs one). */
export function requireRefreshToken(current: TokenSet, provider: string): string {
  if (!current.refreshToken) {
    throw new TokenDeskError('needs_signin', `${provider} gave no refresh token with this sign-in: sign in again.`);
  }
  return current.refreshToken;
}
