/**
 * The generic client's non-interactive grants, refresh and revocation through oauth4webapi, with
 * every client authentication method and DPoP: RFC 6749 §4.4 client credentials, §4.3 password,
 * §6 refresh, RFC 7009 revocation.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { TokenSet } from '../../model/types';
import type { OAuthAction } from '../provider-errors';
import type { FlowDeps, FlowInput } from '../requests';
import { retryingNonce, standardsContext, standardsError, tokenEndpoint } from './context';
import { standardsJwtBearer, standardsTokenExchange } from './grants';

function scopeParams(input: FlowInput): Record<string, string> {
  const scope = input.client.scope?.trim();
  return scope ? { scope } : {};
}

/** Extra parameters never override the grant's own. */
function withExtras(input: FlowInput, params: Record<string, string>): Record<string, string> {
  return { ...(input.client.generic?.extraParams ?? {}), ...params };
}

/** RFC 6749 §4.4 (and §4.3, legacy password, RFC 8693, RFC 7523 §2.1) with the client's authentication and DPoP. */
export async function standardsIssue(deps: FlowDeps, input: FlowInput, action: OAuthAction, previous: TokenSet | null): Promise<TokenSet> {
  const settings = input.client.generic!;
  if (settings.grant === 'token_exchange') return standardsTokenExchange(deps, input, previous);
  if (settings.grant === 'jwt_bearer') return standardsJwtBearer(deps, input, previous);
  const ctx = await standardsContext(deps, input);
  if (settings.grant === 'client_credentials') {
    return tokenEndpoint(
      deps,
      ctx,
      action,
      previous,
      () => oauth.clientCredentialsGrantRequest(ctx.as, ctx.client, ctx.clientAuth, withExtras(input, scopeParams(input)), ctx.options),
      (response) => oauth.processClientCredentialsResponse(ctx.as, ctx.client, response),
    );
  }
  if (settings.grant === 'password') {
    if (!settings.username || input.secrets.password === null) {
      throw new TokenDeskError('bad_request', 'The password grant needs a username and a password: edit the client and enter them.');
    }
    const params = withExtras(input, { username: settings.username, password: input.secrets.password, ...scopeParams(input) });
    return tokenEndpoint(
      deps,
      ctx,
      action,
      previous,
      () => oauth.genericTokenEndpointRequest(ctx.as, ctx.client, ctx.clientAuth, 'password', params, ctx.options),
      (response) => oauth.processGenericTokenEndpointResponse(ctx.as, ctx.client, response),
    );
  }
  throw new TokenDeskError('unsupported', 'This client signs in interactively: sign in instead.');
}

/** RFC 6749 §6 (RFC 9449 §5: with a proof from the same key when the token is DPoP-bound). */
export async function standardsRefresh(deps: FlowDeps, input: FlowInput, current: TokenSet, refreshToken: string): Promise<TokenSet> {
  const ctx = await standardsContext(deps, input);
  return tokenEndpoint(
    deps,
    ctx,
    'refresh',
    current,
    () => oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, refreshToken, ctx.options),
    (response) => oauth.processRefreshTokenResponse(ctx.as, ctx.client, response),
  );
}

/** RFC 7009 §2.1: the refresh token first (it ends the grant), then the access token. */
export async function standardsRevoke(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<void> {
  const ctx = await standardsContext(deps, input);
  if (!ctx.as.revocation_endpoint) {
    throw new TokenDeskError('unsupported', `${ctx.label} has no revocation endpoint: the token will simply expire.`);
  }
  const tokens: [string, string][] = current.refreshToken
    ? [[current.refreshToken, 'refresh_token'], [current.accessToken, 'access_token']]
    : [[current.accessToken, 'access_token']];
  for (const [token, hint] of tokens) {
    try {
      await retryingNonce(ctx, async () =>
        oauth.processRevocationResponse(
          await oauth.revocationRequest(ctx.as, ctx.client, ctx.clientAuth, token, { ...ctx.options, additionalParameters: { token_type_hint: hint } }),
        ),
      );
    } catch (error) {
      throw standardsError(error, ctx, { provider: ctx.label, action: 'revoke' });
    }
  }
}
