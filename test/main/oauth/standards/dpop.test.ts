/**
 * DPoP (RFC 9449) judged by oidc-provider with server nonces required at its token endpoint:
 * client credentials and refresh carry proofs from the client's own key, a `use_dpop_nonce`
 * answer is retried with the server's nonce, `token_type: DPoP` is kept, and the headers TokenDesk
 * prints for a request are accepted by a protected route (UserInfo).
 */
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import type { GenericSettings, TokenSet } from '../../../../main/model/types';
import { issueToken, refreshToken } from '../../../../main/oauth/flows';
import { standardsContext, tokenEndpoint } from '../../../../main/oauth/standards/context';
import { discoverMetadata, settingsFromMetadata } from '../../../../main/oauth/standards/discovery';
import { requestHeaders } from '../../../../main/oauth/standards/headers';
import { prepareClientKeys, publicJwkOf } from '../../../../main/oauth/standards/keys';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';

const REDIRECT = 'http://127.0.0.1:49154/callback';
let op: OidcProviderHandle;
let generic: GenericSettings;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      { client_id: 'machine', client_secret: 'machine-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      {
        client_id: 'app',
        client_secret: 'app-secret',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [REDIRECT],
      },
    ],
    features: {
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: (ctx: { oidc: { route: string } }) => ctx.oidc.route === 'token' },
    },
    configuration: { issueRefreshToken: () => true },
  });
  const metadata = await discoverMetadata(recordingDeps(), flowInput(clientConfig('oauth2')), op.issuer);
  generic = settingsFromMetadata({ ...DEFAULT_GENERIC, grant: 'client_credentials', dpop: true }, metadata);
});
afterAll(() => op.stop());

async function dpopInput(clientId: string, secret: string, over: Partial<GenericSettings> = {}) {
  const prepared = await prepareClientKeys({ ...generic, ...over }, { clientSecret: secret, password: null }, undefined);
  return flowInput(clientConfig('oauth2', { id: `td-${clientId}`, clientId, baseUrl: op.issuer, scope: over.grant ? 'openid offline_access' : null, generic: prepared.settings }), prepared.secrets);
}

const thumbprintOf = async (stored: string) => calculateJwkThumbprint(publicJwkOf(JSON.parse(stored) as JWK));

describe('DPoP', () => {
  it('client credentials: the nonce the server demands is used, and the token is DPoP-bound to the client key', async () => {
    const i = await dpopInput('machine', 'machine-secret');
    const deps = recordingDeps();
    const token = await issueToken(deps, i);
    expect(token.tokenType).toBe('DPoP');
    expect(deps.exchanges.map((e) => e.status)).toEqual([400, 200]);
    expect(JSON.parse(deps.exchanges[0]!.responseBody!)).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = deps.exchanges[0]!.responseHeaders['dpop-nonce'];
    const retried = decodeJwt(deps.exchanges[1]!.requestHeaders.dpop!);
    expect(retried).toMatchObject({ htm: 'POST', htu: `${op.issuer}/token`, nonce });
    expect(decodeProtectedHeader(deps.exchanges[1]!.requestHeaders.dpop!)).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    // The server bound the token to our key: cnf.jkt is its RFC 7638 thumbprint.
    const introspected = await fetch(`${op.issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('machine:machine-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: token.accessToken }),
    }).then((r) => r.json() as Promise<{ active: boolean; cnf?: { jkt?: string }; token_type?: string }>);
    expect(introspected).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: await thumbprintOf(i.secrets.dpopKey!) } });
  });

  it('a second request of the same client starts with the nonce it already has', async () => {
    const i = await dpopInput('machine', 'machine-secret');
    await issueToken(recordingDeps(), i);
    const deps = recordingDeps();
    await issueToken(deps, i);
    expect(deps.exchanges.map((e) => e.status)).toEqual([200]);
  });

  it('refresh carries a proof from the same key; headers give a proof UserInfo accepts', async () => {
    const i = await dpopInput('app', 'app-secret', { grant: 'authorization_code' });
    const deps = recordingDeps();
    const ctx = await standardsContext(deps, i);
    const verifier = oauth.generateRandomCodeVerifier();
    const authorize = new URL(ctx.as.authorization_endpoint!);
    authorize.search = new URLSearchParams({
      client_id: 'app',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(ctx.as, ctx.client, new URL(await op.signIn(authorize.toString(), { login: 'carol' })), oauth.expectNoState);
    const first: TokenSet = await tokenEndpoint(
      deps,
      ctx,
      'exchange',
      null,
      () => oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.clientAuth, params, REDIRECT, verifier, ctx.options),
      (response) => oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response),
    );
    expect(first.tokenType).toBe('DPoP');

    const refreshDeps = recordingDeps();
    const refreshed = await refreshToken(refreshDeps, i, first);
    expect(refreshed.tokenType).toBe('DPoP');
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    const proof = refreshDeps.exchanges.at(-1)!.requestHeaders.dpop!;
    const { kty, crv, x, y } = JSON.parse(i.secrets.dpopKey!) as JWK;
    expect(decodeProtectedHeader(proof).jwk).toMatchObject({ kty, crv, x, y });
    expect(new URLSearchParams(refreshDeps.exchanges.at(-1)!.requestBody!).get('grant_type')).toBe('refresh_token');

    const userinfo = `${op.issuer}/me`;
    const lines = await requestHeaders(i, refreshed, { method: 'GET', url: userinfo, now: Date.now() });
    expect(lines[0]).toBe(`Authorization: DPoP ${refreshed.accessToken}`);
    expect(lines[1]).toMatch(/^DPoP: ey/);
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    const accepted = await fetch(userinfo, { headers });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ sub: 'carol' });

    // The same token as a Bearer token, or with a proof for another URL, is refused.
    expect((await fetch(userinfo, { headers: { authorization: `Bearer ${refreshed.accessToken}` } })).status).toBe(401);
    const elsewhere = await requestHeaders(i, refreshed, { method: 'GET', url: `${op.issuer}/other`, now: Date.now() });
    const wrong = Object.fromEntries(elsewhere.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    expect((await fetch(userinfo, { headers: wrong })).status).toBe(401);
  });

  it('headers for a DPoP token without a URL say what is missing', async () => {
    const i = await dpopInput('machine', 'machine-secret');
    const token = await issueToken(recordingDeps(), i);
    await expect(requestHeaders(i, token, { method: 'GET', url: null, now: Date.now() })).rejects.toMatchObject({
      code: 'bad_request',
      message: 'This token is DPoP-bound: its proof names one method and URL. Give the URL of the request (--url).',
    });
  });

  it('a Bearer token gives one Authorization header', async () => {
    const i = flowInput(clientConfig('oauth2', { clientId: 'machine', baseUrl: op.issuer, generic: { ...generic, dpop: false } }), { clientSecret: 'machine-secret' });
    const token = await issueToken(recordingDeps(), i);
    expect(await requestHeaders(i, token, { method: 'GET', url: null, now: Date.now() })).toEqual([`Authorization: Bearer ${token.accessToken}`]);
  });
});
