/**
 * What happens to a token after sign-in, against oidc-provider: refresh with rotation (the old
 * refresh token then refused), RFC 7662 introspection, RFC 7009 revocation of the refresh and the
 * access token, and OpenID Connect UserInfo.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSet } from '../../../../main/model/types';
import { tokenSetFromBody } from '../../../../main/oauth/normalize';
import { context, type FlowDeps } from '../../../../main/oauth/requests';
import { beginAuthorization, completeAuthorization } from '../../../../main/oauth/standards/authorize';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import { standardsContext, type StandardsContext } from '../../../../main/oauth/standards/context';
import { fetchUserInfoClaims, introspectToken } from '../../../../main/oauth/standards/introspect';
import { standardsRevoke } from '../../../../main/oauth/standards/tokens';
import { securityChecks } from '../../../../main/oauth/standards/security-check';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';

const REDIRECT = 'http://127.0.0.1/cb';
let op: OidcProviderHandle;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      {
        client_id: 'app',
        client_secret: 'app-secret',
        redirect_uris: [REDIRECT],
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token'],
      },
    ],
    configuration: { scopes: ['openid', 'offline_access', 'profile'], rotateRefreshToken: true },
  });
  as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
});
afterAll(async () => {
  await op?.stop();
});

/** A generic client discovered from oidc-provider, and its context as the preset builds it. */
async function discoveredClient() {
  const deps = recordingDeps();
  const input = flowInput(
    clientConfig('oauth2', {
      clientId: 'app',
      generic: { ...DEFAULT_GENERIC, issuer: op.issuer, metadata: { fetchedAt: Date.now(), document: { ...as } }, tokenUrl: as.token_endpoint!, clientAuth: 'basic' },
    }),
    { clientSecret: 'app-secret' },
  );
  return { ctx: await standardsContext(deps, input), deps, input };
}

async function signIn(ctx: StandardsContext, deps: FlowDeps): Promise<TokenSet> {
  const request = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid offline_access profile', par: false, extraParams: { prompt: 'consent' } });
  return completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, await op.signIn(request.authorizeUrl, { login: 'bob' }));
}

async function refresh(ctx: StandardsContext, current: TokenSet): Promise<TokenSet> {
  const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, current.refreshToken!, ctx.options);
  const body = await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response);
  return tokenSetFromBody(ctx.fetcher.lastResponse()!, context(ctx.label, 'refresh'), body as unknown as Record<string, unknown>, { now: Date.now(), previous: current });
}

describe('tokens after sign-in, against oidc-provider', () => {
  it('refresh rotates the refresh token, the security check says so, and the old one is then refused', async () => {
    const { ctx, deps } = await discoveredClient();
    const first = await signIn(ctx, deps);
    expect(first.refreshToken).toEqual(expect.any(String));
    const second = await refresh(ctx, first);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const checks = securityChecks({ kind: 'refresh', urls: [`${op.issuer}/token`], previous: first, next: second, requestedScope: null });
    expect(checks.find((c) => c.id === 'refresh_token')).toEqual({ id: 'refresh_token', outcome: 'verified', reason: 'rotated' });
    expect(checks.find((c) => c.id === 'scope')).toMatchObject({ outcome: 'verified', reason: 'unchanged' });
    await expect(refresh(ctx, first)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspects the access and the refresh token, revokes both, and introspection then says inactive', async () => {
    const { ctx, deps, input } = await discoveredClient();
    const token = await signIn(ctx, deps);
    const access = await introspectToken(ctx, token);
    expect(access).toMatchObject({ active: true, client_id: 'app', sub: 'bob', token_type: 'Bearer' });
    expect(String(access['scope']).split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(await introspectToken(ctx, token, 'refresh')).toMatchObject({ active: true, client_id: 'app' });

    expect(await fetchUserInfoClaims(ctx, token)).toEqual({ sub: 'bob', name: 'User bob' });

    deps.exchanges.length = 0;
    await standardsRevoke(deps, input, token);
    expect(deps.exchanges.map((e) => [new URL(e.url).pathname, new URLSearchParams(e.requestBody ?? '').get('token_type_hint'), e.status])).toEqual([
      ['/token/revocation', 'refresh_token', 200],
      ['/token/revocation', 'access_token', 200],
    ]);
    expect(await introspectToken(ctx, token)).toEqual({ active: false });
    expect(await introspectToken(ctx, token, 'refresh')).toEqual({ active: false });
    await expect(fetchUserInfoClaims(ctx, token)).rejects.toMatchObject({ code: 'provider_rejected' });
  });
});
