/**
 * The authorization code grant against oidc-provider (panva's certified server) in-process:
 * PKCE, nonce and the id_token checked with jose, PAR, and a mix-up refused by RFC 9207 `iss`.
 * The user is played over HTTP through oidc-provider's devInteractions.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedSignInChecks } from '../../../../main/oauth/standards/security-check';
import { TokenDeskError } from '../../../../main/model/errors';
import { beginAuthorization, completeAuthorization } from '../../../../main/oauth/standards/authorize';
import type { StandardsContext } from '../../../../main/oauth/standards/context';
import { recordedFetch, standardsOptions } from '../../../../main/oauth/standards/fetch';
import { atHash } from '../../../../main/oauth/standards/id-token';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';

const REDIRECT = 'http://127.0.0.1/cb';
let op: OidcProviderHandle;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      { client_id: 'app', client_secret: 'app-secret', redirect_uris: [REDIRECT], application_type: 'native', grant_types: ['authorization_code', 'refresh_token'] },
      { client_id: 'par-app', client_secret: 'par-secret', redirect_uris: [REDIRECT], application_type: 'native', require_pushed_authorization_requests: true },
    ],
    configuration: { scopes: ['openid', 'offline_access', 'api'] },
  });
  as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
});
afterAll(async () => {
  await op?.stop();
});

function standardsContext(clientId = 'app', secret = 'app-secret') {
  const deps = recordingDeps();
  const fetcher = recordedFetch(deps, flowInput(clientConfig('oauth2', { clientId }), { clientSecret: secret }));
  const ctx: StandardsContext = {
    as,
    client: { client_id: clientId },
    clientAuth: oauth.ClientSecretBasic(secret),
    dpop: undefined,
    fetcher,
    options: standardsOptions(fetcher),
    label: new URL(op.issuer).host,
  };
  return { ctx, deps };
}

describe('authorization code against oidc-provider', () => {
  it('signs in with PKCE S256 and a nonce, and validates the id_token against the JWKS', async () => {
    const { ctx, deps } = standardsContext();
    const request = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid api', par: false });
    const sent = new URL(request.authorizeUrl).searchParams;
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('nonce')).toBe(request.nonce);
    expect(request.par).toBe(false);

    const callback = await op.signIn(request.authorizeUrl);
    expect(new URL(callback).searchParams.get('iss')).toBe(op.issuer);
    const token = await completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, callback);
    expect(token.verified).toEqual({
      pkce: 'S256',
      stateMatched: true,
      iss: 'matched',
      nonce: 'matched',
      // oidc-provider leaves at_hash out of a code flow id_token (optional there, OIDC Core §3.1.3.6).
      idToken: { signature: true, claims: true, atHash: 'absent' },
      par: false,
    });
    const idToken = (token.raw as { id_token: string }).id_token;
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: op.issuer, aud: 'app', sub: 'alice', nonce: request.nonce });
    // OpenID Connect Core Appendix A.4's example pair.
    expect(atHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
    // Token request, then the JWKS: both recorded.
    expect(deps.exchanges.map((e) => `${e.method} ${new URL(e.url).pathname} ${e.status}`)).toEqual(['POST /token 200', 'GET /jwks 200']);
  });

  it('pushes the request first (RFC 9126) when the client requires it: only client_id and request_uri reach the browser', async () => {
    const { ctx, deps } = standardsContext('par-app', 'par-secret');
    const request = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid', par: true });
    expect(request.par).toBe(true);
    const sent = new URL(request.authorizeUrl).searchParams;
    expect([...sent.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(sent.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const token = await completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, await op.signIn(request.authorizeUrl));
    expect(token.verified).toMatchObject({ par: true, nonce: 'matched', iss: 'matched' });
    expect(deps.exchanges.map((e) => new URL(e.url).pathname)).toEqual(['/request', '/token', '/jwks']);

    // The same client without PAR is refused by the server, its words passed on.
    const unpushed = await beginAuthorization(standardsContext('par-app', 'par-secret').ctx, { redirectUri: REDIRECT, scope: 'openid', par: false });
    const refused = await op.signIn(unpushed.authorizeUrl);
    expect(new URL(refused).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a mix-up: a response naming another issuer is never exchanged', async () => {
    const { ctx, deps } = standardsContext();
    const request = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid', par: false });
    const callback = new URL(await op.signIn(request.authorizeUrl));
    callback.searchParams.set('iss', 'https://attacker.example');
    const error = await completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, callback.href).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenDeskError);
    expect(error).toMatchObject({
      code: 'state_mismatch',
      message: `The sign-in response says it comes from https://attacker.example, but this sign-in went to ${op.issuer} (RFC 9207 mix-up defence). Nothing was exchanged; sign in again.`,
    });
    // The refusal says which check failed; the record shows it beside what passed before.
    expect((error as TokenDeskError).refusal).toEqual({ failed: { id: 'iss', reason: 'mismatch' }, facts: { pkce: 'S256', par: false } });
    const checks = refusedSignInChecks((error as TokenDeskError).refusal!, []);
    expect(checks.filter((c) => c.outcome === 'failed')).toEqual([{ id: 'iss', outcome: 'failed', reason: 'mismatch' }]);
    expect(checks.find((c) => c.id === 'pkce')).toMatchObject({ outcome: 'verified' });
    expect(checks.find((c) => c.id === 'id_token_signature')).toMatchObject({ outcome: 'not_applicable', reason: 'not_reached' });
    callback.searchParams.delete('iss');
    await expect(completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, callback.href)).rejects.toMatchObject({
      code: 'state_mismatch',
      refusal: { failed: { id: 'iss', reason: 'missing' } },
    });
    const forged = new URL(callback.href);
    forged.searchParams.set('iss', op.issuer);
    forged.searchParams.set('state', 'forged-state');
    await expect(completeAuthorization(deps, ctx, { ...request, redirectUri: REDIRECT }, forged.href)).rejects.toMatchObject({
      code: 'state_mismatch',
      refusal: { failed: { id: 'state', reason: 'mismatch' }, facts: { iss: 'matched' } },
    });
    expect(deps.exchanges).toEqual([]);
  });

  it('refuses an id_token whose nonce is not the one sent, and a denied consent is a clear cancel', async () => {
    const { ctx, deps } = standardsContext();
    const request = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid', par: false });
    const callback = await op.signIn(request.authorizeUrl);
    const replayed = await completeAuthorization(deps, ctx, { ...request, nonce: 'another-nonce', redirectUri: REDIRECT }, callback).catch((e: unknown) => e);
    expect(replayed).toMatchObject({ code: 'invalid_response', refusal: { failed: { id: 'nonce', reason: 'mismatch' }, facts: { iss: 'matched', stateMatched: true } } });
    expect((replayed as Error).message).toMatch(/nonce/);
    const checks = refusedSignInChecks((replayed as TokenDeskError).refusal!, deps.exchanges.map((e) => e.url));
    expect(checks.map((c) => [c.id, c.outcome])).toEqual([
      ['pkce', 'verified'],
      ['state', 'verified'],
      ['iss', 'verified'],
      ['nonce', 'failed'],
      ['id_token_signature', 'not_applicable'],
      ['id_token_claims', 'not_applicable'],
      ['token_bound', 'not_applicable'],
      ['transport', 'verified'],
      ['scope', 'not_applicable'],
      ['refresh_token', 'not_applicable'],
    ]);

    const denied = await beginAuthorization(ctx, { redirectUri: REDIRECT, scope: 'openid', par: false });
    const back = await op.signIn(denied.authorizeUrl, { deny: true });
    await expect(completeAuthorization(deps, ctx, { ...denied, redirectUri: REDIRECT }, back)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
