/**
 * Discovery and every client authentication method of the generic client, judged by
 * oidc-provider in-process: the client is created from the issuer's metadata, then issues tokens
 * through the app's own flows (issueToken / refreshToken / revokeToken).
 */
import { generateKeyPairSync } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import type { ClientAuthMethod, ClientSecrets, GenericSettings, ServerMetadata } from '../../../../main/model/types';
import { issueToken, refreshToken, revokeToken } from '../../../../main/oauth/flows';
import { discoverMetadata, settingsFromMetadata, supportedAuthMethods } from '../../../../main/oauth/standards/discovery';
import { generateClientKey, importClientKey, prepareClientKeys } from '../../../../main/oauth/standards/keys';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';

const REDIRECT = 'http://127.0.0.1:49153/callback';
const JWT_SECRET = 'a-client-secret-long-enough-for-hs256-0123456789abcdef';
const generated = await generateClientKey();
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const imported = await importClientKey(pem);

const machine = (client_id: string, token_endpoint_auth_method: string, extra: Record<string, unknown> = {}) => ({
  client_id,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method,
  ...extra,
});

let op: OidcProviderHandle;
let metadata: ServerMetadata;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      machine('basic', 'client_secret_basic', { client_secret: 'basic-secret' }),
      machine('post', 'client_secret_post', { client_secret: 'post-secret' }),
      machine('hmac', 'client_secret_jwt', { client_secret: JWT_SECRET }),
      machine('signed', 'private_key_jwt', { jwks: { keys: [generated.publicJwk] } }),
      machine('imported', 'private_key_jwt', { jwks: { keys: [imported.publicJwk] }, token_endpoint_auth_signing_alg: 'RS256' }),
      {
        client_id: 'public',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [REDIRECT],
      },
    ],
    configuration: { issueRefreshToken: () => true },
  });
  metadata = await discoverMetadata(recordingDeps(), flowInput(clientConfig('oauth2')), op.issuer);
});
afterAll(() => op.stop());

function input(clientId: string, clientAuth: ClientAuthMethod, secrets: Partial<ClientSecrets> = {}, over: Partial<GenericSettings> = {}) {
  const generic = settingsFromMetadata({ ...DEFAULT_GENERIC, grant: 'client_credentials', clientAuth, ...over }, metadata);
  return flowInput(clientConfig('oauth2', { id: `td-${clientId}`, clientId, baseUrl: op.issuer, generic }), secrets);
}

describe('discovery', () => {
  it('reads the issuer metadata and fills the endpoints', async () => {
    const deps = recordingDeps();
    const found = await discoverMetadata(deps, flowInput(clientConfig('oauth2')), `${op.issuer}`);
    expect(found.document['issuer']).toBe(op.issuer);
    expect(deps.exchanges.map((e) => e.url)).toEqual([`${op.issuer}/.well-known/openid-configuration`]);
    const settings = settingsFromMetadata({ ...DEFAULT_GENERIC, clientAuth: 'body' }, found);
    expect(settings).toMatchObject({
      issuer: op.issuer,
      tokenUrl: `${op.issuer}/token`,
      authorizationUrl: `${op.issuer}/auth`,
      revocationUrl: `${op.issuer}/token/revocation`,
      clientAuth: 'body',
    });
    expect(supportedAuthMethods(found)).toEqual(expect.arrayContaining(['basic', 'body', 'none', 'client_secret_jwt', 'private_key_jwt']));
    expect(found.document['dpop_signing_alg_values_supported']).toEqual(expect.arrayContaining(['ES256']));
  });

  it('an issuer that names itself differently is refused (RFC 8414 §3.3)', async () => {
    await expect(discoverMetadata(recordingDeps(), flowInput(clientConfig('oauth2')), `http://localhost:${new URL(op.issuer).port}`)).rejects.toMatchObject({
      code: 'invalid_response',
      message: `localhost:${new URL(op.issuer).port} describes itself as issuer "${op.issuer}", not "http://localhost:${new URL(op.issuer).port}" (RFC 8414 §3.3). Enter the issuer exactly as the server states it.`,
    });
  });

  it('a server without metadata says so, after trying both well-known paths', async () => {
    const deps = recordingDeps();
    await expect(discoverMetadata(deps, flowInput(clientConfig('oauth2')), `${op.issuer}/nothing-here`)).rejects.toMatchObject({ code: 'not_found' });
    expect(deps.exchanges.map((e) => new URL(e.url).pathname)).toEqual([
      '/nothing-here/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/nothing-here',
    ]);
  });
});

describe('client credentials with each client authentication method', () => {
  it('client_secret_basic', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, input('basic', 'basic', { clientSecret: 'basic-secret' }));
    expect(token.tokenType).toBe('Bearer');
    expect(deps.exchanges.at(-1)!.requestHeaders.authorization).toMatch(/^Basic /);
  });

  it('client_secret_post', async () => {
    const deps = recordingDeps();
    await issueToken(deps, input('post', 'body', { clientSecret: 'post-secret' }));
    const sent = new URLSearchParams(deps.exchanges.at(-1)!.requestBody!);
    expect(sent.get('client_secret')).toBe('post-secret');
    expect(deps.exchanges.at(-1)!.requestHeaders.authorization).toBeUndefined();
  });

  it('client_secret_jwt', async () => {
    const deps = recordingDeps();
    await issueToken(deps, input('hmac', 'client_secret_jwt', { clientSecret: JWT_SECRET }));
    const sent = new URLSearchParams(deps.exchanges.at(-1)!.requestBody!);
    expect(sent.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(JSON.parse(Buffer.from(sent.get('client_assertion')!.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
  });

  it('private_key_jwt with a key generated in the app', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, input('signed', 'private_key_jwt', { privateKey: JSON.stringify(generated.privateJwk) }));
    expect(token.accessToken).not.toBe('');
    const assertion = new URLSearchParams(deps.exchanges.at(-1)!.requestBody!).get('client_assertion')!;
    expect(JSON.parse(Buffer.from(assertion.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256', kid: generated.publicJwk.kid });
  });

  it('private_key_jwt with an imported PKCS#1 PEM key', async () => {
    await expect(issueToken(recordingDeps(), input('imported', 'private_key_jwt', { privateKey: JSON.stringify(imported.privateJwk) }))).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
  });

  it('private_key_jwt with a key the server does not know is refused with its words', async () => {
    const other = await generateClientKey();
    await expect(issueToken(recordingDeps(), input('signed', 'private_key_jwt', { privateKey: JSON.stringify(other.privateJwk) }))).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 401,
      providerMessage: 'client authentication failed',
    });
  });

  it('none: a public client refreshes with its client_id only, and revokes', async () => {
    const i = input('public', 'none', {}, { grant: 'authorization_code' });
    const as = metadata.document as unknown as oauth.AuthorizationServer;
    const client = { client_id: 'public' };
    const verifier = oauth.generateRandomCodeVerifier();
    const authorize = new URL(as.authorization_endpoint!);
    authorize.search = new URLSearchParams({
      client_id: 'public',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(as, client, new URL(await op.signIn(authorize.toString())), oauth.expectNoState);
    const first = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, verifier, { [oauth.allowInsecureRequests]: true }),
    );
    expect(first.refresh_token).toBeDefined();
    const deps = recordingDeps();
    const current = { accessToken: first.access_token, tokenType: 'Bearer', expiresAt: null, issuedAt: 0, refreshToken: first.refresh_token!, refreshExpiresAt: null, scope: null, cookies: null, raw: {} };
    const refreshed = await refreshToken(deps, i, current);
    expect(refreshed.refreshToken).not.toBeNull();
    const sent = new URLSearchParams(deps.exchanges.at(-1)!.requestBody!);
    expect(sent.get('client_id')).toBe('public');
    expect(sent.get('grant_type')).toBe('refresh_token');
    await revokeToken(deps, i, refreshed);
    expect(deps.exchanges.slice(-2).map((e) => new URLSearchParams(e.requestBody!).get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    await expect(refreshToken(recordingDeps(), i, refreshed)).rejects.toMatchObject({ code: 'invalid_grant' });
  });
});

describe('keys', () => {
  it('a generated private_key_jwt key is sealed with the secrets and its public JWK kept to copy', async () => {
    const settings: GenericSettings = { ...DEFAULT_GENERIC, clientAuth: 'private_key_jwt', metadata };
    const out = await prepareClientKeys(settings, { clientSecret: null, password: null }, undefined);
    const privateJwk = JSON.parse(out.secrets.privateKey!);
    expect(privateJwk.d).toEqual(expect.any(String));
    expect(out.settings.clientPublicJwk).toMatchObject({ kty: privateJwk.kty, kid: privateJwk.kid, use: 'sig' });
    expect(out.settings.clientPublicJwk).not.toHaveProperty('d');
  });

  it('DPoP on creates a DPoP key pair once', async () => {
    const first = await prepareClientKeys({ ...DEFAULT_GENERIC, dpop: true }, { clientSecret: null, password: null }, undefined);
    expect(JSON.parse(first.secrets.dpopKey!)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    const again = await prepareClientKeys(first.settings, first.secrets, undefined);
    expect(again.secrets.dpopKey).toBe(first.secrets.dpopKey);
  });

  it('a public JWK or a certificate is refused as a private key, with what to do', async () => {
    await expect(importClientKey(JSON.stringify(generated.publicJwk))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'This JWK has no private part ("d"): TokenDesk needs the private key to sign. The public JWK is what you register with the server.',
    });
    await expect(importClientKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
