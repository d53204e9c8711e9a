/**
 * The authorization code grant done right (issue #12 item 5): PKCE S256 always, `nonce` for
 * OpenID Connect, the request pushed first (RFC 9126) when the server requires it or the client
 * asks, the response's `iss` checked against the issuer (RFC 9207, the mix-up defence), and the
 * id_token validated with jose against the JWKS. What was verified travels with the token set.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { SignInFacts, SignInRefusal, TokenSet } from '../../model/types';
import { isLoopbackRedirect } from '../redirect';
import { codeFromCallback, context, type FlowDeps, type FlowInput, type PendingSignIn } from '../requests';
import { standardsContext, standardsError, tokenEndpoint, type StandardsContext } from './context';
import { validateIdToken } from './id-token';

export interface AuthorizationRequest {
  authorizeUrl: string;
  state: string;
  codeVerifier: string;
  /** Sent when the scope asks for OpenID Connect. */
  nonce: string | null;
  par: boolean;
}

export interface AuthorizationOptions {
  redirectUri: string;
  scope: string | null;
  /** The client asks for PAR; a server that requires it gets it anyway. */
  par: boolean;
  extraParams?: Readonly<Record<string, string>>;
}

function isOpenId(scope: string | null): boolean {
  return (scope ?? '').split(/\s+/).includes('openid');
}

/** RFC 6749 §4.1.1 (+ RFC 7636 §4.3, OpenID Connect Core §3.1.2.1, RFC 9126 §2 when pushed). */
export async function beginAuthorization(ctx: StandardsContext, opts: AuthorizationOptions): Promise<AuthorizationRequest> {
  if (!ctx.as.authorization_endpoint) {
    throw new TokenDeskError('bad_request', `${ctx.label} has no authorization endpoint: fill it in, or refresh the discovery.`);
  }
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const nonce = isOpenId(opts.scope) ? oauth.generateRandomNonce() : null;
  const params: Record<string, string> = {
    ...opts.extraParams,
    response_type: 'code',
    client_id: ctx.client.client_id,
    redirect_uri: opts.redirectUri,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(opts.scope ? { scope: opts.scope } : {}),
    ...(nonce ? { nonce } : {}),
  };
  const url = new URL(ctx.as.authorization_endpoint);
  const par = ctx.as.require_pushed_authorization_requests === true || opts.par;
  if (!par) {
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return { authorizeUrl: url.href, state, codeVerifier, nonce, par: false };
  }
  if (!ctx.as.pushed_authorization_request_endpoint) {
    throw new TokenDeskError('unsupported', `${ctx.label} has no pushed authorization request endpoint (RFC 9126): turn PAR off for this client.`);
  }
  const response = await oauth.pushedAuthorizationRequest(ctx.as, ctx.client, ctx.clientAuth, params, ctx.options);
  let pushed: oauth.PushedAuthorizationResponse;
  try {
    pushed = await oauth.processPushedAuthorizationResponse(ctx.as, ctx.client, response);
  } catch (error) {
    throw standardsError(error, ctx, context(ctx.label, 'login_url'));
  }
  // RFC 9126 §4: only client_id and request_uri travel through the browser.
  url.searchParams.set('client_id', ctx.client.client_id);
  url.searchParams.set('request_uri', pushed.request_uri);
  return { authorizeUrl: url.href, state, codeVerifier, nonce, par: true };
}

/**
 * RFC 9207 §2.4: a response that names another issuer came from another server (mix-up), one
 * without `iss` from a server that promised it is refused too.
 */
function checkIssuer(ctx: StandardsContext, callbackUrl: string): SignInFacts['iss'] {
  const iss = new URL(callbackUrl).searchParams.get('iss');
  if (iss !== null && iss !== ctx.as.issuer) {
    throw new TokenDeskError(
      'state_mismatch',
      `The sign-in response says it comes from ${iss}, but this sign-in went to ${ctx.as.issuer} (RFC 9207 mix-up defence). Nothing was exchanged; sign in again.`,
    );
  }
  if (iss === null && ctx.as.authorization_response_iss_parameter_supported) {
    throw new TokenDeskError(
      'state_mismatch',
      `The sign-in response carries no "iss" although ${ctx.as.issuer} announces it (RFC 9207 §2.4). Nothing was exchanged; sign in again.`,
    );
  }
  return iss === null ? 'not_supported' : 'matched';
}

/** The same error, now carrying the check that refused the sign-in and what was verified before it. */
function refused(error: unknown, failed: SignInRefusal['failed'] | null, facts: Partial<SignInFacts>): unknown {
  if (!(error instanceof TokenDeskError)) return error;
  const check = failed ?? error.refusal?.failed;
  if (!check) return error;
  return new TokenDeskError(error.code, error.text ?? error.message, {
    ...(error.providerMessage !== undefined ? { providerMessage: error.providerMessage } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.rawBody !== undefined ? { rawBody: error.rawBody } : {}),
    cause: error.cause,
    refusal: { failed: check, facts: { ...error.refusal?.facts, ...facts } },
  });
}

/**
 * RFC 6749 §4.1.2-§4.1.3 with every check of issue #12 item 5; the facts go with the token set.
 * A check that refuses the sign-in says which it was (error.refusal), with the ones passed before.
 */
export async function completeAuthorization(
  deps: FlowDeps,
  ctx: StandardsContext,
  pending: AuthorizationRequest & { redirectUri: string },
  callbackUrl: string,
): Promise<TokenSet> {
  const facts: Partial<SignInFacts> = { pkce: 'S256', par: pending.par };
  try {
    facts.iss = checkIssuer(ctx, callbackUrl);
  } catch (error) {
    throw refused(error, { id: 'iss', reason: new URL(callbackUrl).searchParams.has('iss') ? 'mismatch' : 'missing' }, facts);
  }
  // The redirect URI, the state and any error, in the words every sign-in uses.
  try {
    codeFromCallback({ redirectUri: pending.redirectUri, state: pending.state }, callbackUrl, { provider: ctx.label });
  } catch (error) {
    throw error instanceof TokenDeskError && error.code === 'state_mismatch' ? refused(error, { id: 'state', reason: 'mismatch' }, facts) : error;
  }
  facts.stateMatched = true;
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(ctx.as, ctx.client, new URL(callbackUrl), pending.state);
  } catch (error) {
    throw standardsError(error, ctx, context(ctx.label, 'exchange'));
  }
  let token: TokenSet;
  try {
    token = await tokenEndpoint(
      deps,
      ctx,
      'exchange',
      null,
      () => oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.clientAuth, params, pending.redirectUri, pending.codeVerifier, ctx.options),
      (response) =>
        oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response, {
          expectedNonce: pending.nonce ?? oauth.expectNoNonce,
          requireIdToken: pending.nonce !== null,
        }),
    );
  } catch (error) {
    // A 2xx answer that failed oauth4webapi's checks: with OpenID Connect, those are the id_token's claims.
    if (!(error instanceof TokenDeskError) || error.code !== 'invalid_response' || pending.nonce === null) throw error;
    throw refused(error, /nonce/i.test(error.message) ? { id: 'nonce', reason: 'mismatch' } : { id: 'id_token_claims', reason: 'invalid' }, facts);
  }
  const rawIdToken = (token.raw as { id_token?: unknown } | null)?.id_token;
  let idToken: Awaited<ReturnType<typeof validateIdToken>> | null = null;
  try {
    if (typeof rawIdToken === 'string') idToken = await validateIdToken(ctx, rawIdToken, { nonce: pending.nonce, accessToken: token.accessToken, now: deps.now() });
  } catch (error) {
    throw refused(error, null, facts);
  }
  const verified: SignInFacts = {
    pkce: 'S256',
    stateMatched: true,
    iss: facts.iss,
    nonce: pending.nonce !== null && idToken ? 'matched' : 'not_sent',
    idToken: idToken ? { signature: true, claims: true, atHash: idToken.atHash } : null,
    par: pending.par,
  };
  return { ...token, verified };
}

/** The generic preset's sign-in, step 1, for clients that run through oauth4webapi. */
export async function standardsBeginSignIn(deps: FlowDeps, input: FlowInput, redirectUri: string): Promise<PendingSignIn> {
  const ctx = await standardsContext(deps, input);
  const settings = input.client.generic;
  const request = await beginAuthorization(ctx, {
    redirectUri,
    scope: input.client.scope,
    par: settings?.par === true,
    extraParams: settings?.extraParams ?? {},
  });
  return {
    clientId: input.client.id,
    authorizeUrl: request.authorizeUrl,
    redirectUri,
    state: request.state,
    codeVerifier: request.codeVerifier,
    createdAt: deps.now(),
    loopback: isLoopbackRedirect(redirectUri),
    nonce: request.nonce,
    par: request.par,
  };
}

/** Step 2: the redirect checked (iss, state), the code exchanged, the id_token validated. */
export async function standardsCompleteSignIn(deps: FlowDeps, input: FlowInput, pending: PendingSignIn, callbackUrl: string): Promise<TokenSet> {
  if (!pending.codeVerifier) throw new TokenDeskError('needs_signin', 'This sign-in was started without PKCE: start it again.');
  const ctx = await standardsContext(deps, input);
  return completeAuthorization(
    deps,
    ctx,
    { authorizeUrl: pending.authorizeUrl, state: pending.state, codeVerifier: pending.codeVerifier, nonce: pending.nonce ?? null, par: pending.par ?? false, redirectUri: pending.redirectUri },
    callbackUrl,
  );
}
