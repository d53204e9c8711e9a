/**
 * RFC 8693 token exchange and RFC 7523 §2.1 JWT bearer, judged by oidc-provider in-process (the
 * grants registered by test/helpers/oidc-grants.ts): the subject and actor tokens come from other
 * clients' tokens, the assertion is signed with the client's own key, and every request is
 * recorded with its bearer credentials masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import type { ClientSecrets, GenericSettings, ServerMetadata } from '../../../../main/model/types';
import { issueToken, refreshToken } from '../../../../main/oauth/flows';
import { maskExchange } from '../../../../main/oauth/mask';
import type { GrantTokens } from '../../../../main/oauth/requests';
import { discoverMetadata, settingsFromMetadata } from '../../../../main/oauth/standards/discovery';
import { ACCESS_TOKEN_TYPE } from '../../../../main/oauth/standards/grants';
import { generateClientKey } from '../../../../main/oauth/standards/keys';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';
import { JWT_BEARER, registerExtensionGrants, TOKEN_EXCHANGE, type IssuedFor } from '../../../helpers/oidc-grants';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';

const key = await generateClientKey();
const otherKey = await generateClientKey();

const machine = (client_id: string, grant_types: string[]) => ({
  client_id,
  client_secret: `${client_id}-secret`,
  grant_types,
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
});

let op: OidcProviderHandle;
let metadata: ServerMetadata;
let issued: Map<string, IssuedFor>;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      machine('user-api', ['client_credentials']),
      machine('gateway', ['client_credentials']),
      machine('exchanger', [TOKEN_EXCHANGE]),
      machine('service', [JWT_BEARER]),
      machine('impostor', [JWT_BEARER]),
    ],
    configuration: { scopes: ['openid', 'read', 'write'] },
  });
  issued = registerExtensionGrants(op.provider, op.issuer, { service: key.publicJwk, impostor: key.publicJwk });
  metadata = await discoverMetadata(recordingDeps(), flowInput(clientConfig('oauth2')), op.issuer);
});
afterAll(() => op.stop());

function input(clientId: string, over: Partial<GenericSettings>, secrets: Partial<ClientSecrets> = {}, grantTokens?: GrantTokens) {
  const generic = settingsFromMetadata({ ...DEFAULT_GENERIC, clientAuth: 'basic', ...over }, metadata);
  const base = flowInput(clientConfig('oauth2', { id: `td-${clientId}`, clientId, baseUrl: op.issuer, generic }), { clientSecret: `${clientId}-secret`, ...secrets });
  return grantTokens ? { ...base, grantTokens } : base;
}

async function accessTokenOf(clientId: string): Promise<string> {
  return (await issueToken(recordingDeps(), input(clientId, { grant: 'client_credentials' }))).accessToken;
}

const exchangeSettings = (over: Partial<NonNullable<GenericSettings['tokenExchange']>> = {}): Partial<GenericSettings> => ({
  grant: 'token_exchange',
  tokenExchange: { subjectClientId: 'td-user-api', ...over },
});

describe('token exchange (RFC 8693)', () => {
  it('the server announces both extension grants in its metadata', () => {
    expect(metadata.document['grant_types_supported']).toEqual(expect.arrayContaining([TOKEN_EXCHANGE, JWT_BEARER]));
  });

  it('exchanges the subject client\'s access token, with the actor\'s, audience and resource, and the exchange is recorded masked', async () => {
    const subject = await accessTokenOf('user-api');
    const actor = await accessTokenOf('gateway');
    const deps = recordingDeps();
    const token = await issueToken(
      deps,
      input('exchanger', exchangeSettings({ audience: 'https://api.example', resource: 'https://api.example/orders' }), {}, {
        subject: { token: subject, type: ACCESS_TOKEN_TYPE },
        actor: { token: actor, type: ACCESS_TOKEN_TYPE },
      }),
    );
    expect(token.tokenType).toBe('Bearer');
    expect(issued.get(token.accessToken)).toEqual({
      grant: 'token_exchange',
      client: 'exchanger',
      subject: 'user-api',
      actor: 'gateway',
      audience: 'https://api.example',
      resource: 'https://api.example/orders',
    });
    expect(deps.exchanges).toHaveLength(1);
    const sent = new URLSearchParams(deps.exchanges[0]!.requestBody!);
    expect(sent.get('grant_type')).toBe(TOKEN_EXCHANGE);
    expect(sent.get('subject_token_type')).toBe(ACCESS_TOKEN_TYPE);
    const masked = maskExchange(deps.exchanges[0]!, []);
    expect(masked.requestBody).not.toContain(subject);
    expect(masked.requestBody).not.toContain(actor);
    expect(masked.responseBody).not.toContain(token.accessToken);
    expect(new URLSearchParams(masked.requestBody!).get('subject_token')).toBe(`${subject.slice(0, 4)}…${subject.slice(-4)}`);
  });

  it('a requested JWT comes back with token_type N_A (§2.2.1) and is kept as such', async () => {
    const subject = await accessTokenOf('user-api');
    const token = await issueToken(
      recordingDeps(),
      input('exchanger', exchangeSettings({ requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt' }), {}, { subject: { token: subject, type: ACCESS_TOKEN_TYPE } }),
    );
    expect(token.tokenType).toBe('N_A');
    expect(issued.get(token.accessToken)).toMatchObject({ subject: 'user-api' });
  });

  it('without a refresh token, a refresh exchanges the (new) subject token again', async () => {
    const first = await issueToken(recordingDeps(), input('exchanger', exchangeSettings(), {}, { subject: { token: await accessTokenOf('user-api'), type: ACCESS_TOKEN_TYPE } }));
    const deps = recordingDeps();
    const second = await refreshToken(deps, input('exchanger', exchangeSettings(), {}, { subject: { token: await accessTokenOf('user-api'), type: ACCESS_TOKEN_TYPE } }), first);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(new URLSearchParams(deps.exchanges[0]!.requestBody!).get('grant_type')).toBe(TOKEN_EXCHANGE);
  });

  it('a subject token the server does not know is refused with the server\'s words', async () => {
    await expect(
      issueToken(recordingDeps(), input('exchanger', exchangeSettings(), {}, { subject: { token: 'not-a-token-of-this-server', type: ACCESS_TOKEN_TYPE } })),
    ).rejects.toMatchObject({
      code: 'provider_rejected',
      message: `127.0.0.1:${new URL(op.issuer).port} rejected the token exchange (HTTP 400) with "invalid_grant": subject_token is invalid or expired. Check that the server accepts the subject (and actor) client's token for this exchange, and the audience and resource.`,
    });
  });

  it('without the subject\'s token (no subject client chosen), nothing is sent', async () => {
    const deps = recordingDeps();
    await expect(issueToken(deps, input('exchanger', { grant: 'token_exchange', tokenExchange: null }))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'Token exchange needs a subject client whose token is exchanged: edit the client and choose one.',
    });
    expect(deps.exchanges).toHaveLength(0);
  });
});

describe('JWT bearer (RFC 7523 §2.1)', () => {
  it('sends an assertion signed with the client\'s key (iss = client, sub, aud = token endpoint) and gets a token', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, input('service', { grant: 'jwt_bearer', assertionSubject: 'alice@example.com' }, { privateKey: JSON.stringify(key.privateJwk) }));
    expect(issued.get(token.accessToken)).toEqual({ grant: 'jwt_bearer', client: 'service', subject: 'alice@example.com' });
    const sent = new URLSearchParams(deps.exchanges[0]!.requestBody!);
    expect(sent.get('grant_type')).toBe(JWT_BEARER);
    const [header, payload] = sent.get('assertion')!.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: key.privateJwk.kid });
    expect(payload).toMatchObject({ iss: 'service', sub: 'alice@example.com', aud: `${op.issuer}/token` });
    expect(Number(payload!['exp']) - Number(payload!['iat'])).toBe(300);
    expect(maskExchange(deps.exchanges[0]!, []).requestBody).not.toContain(sent.get('assertion'));
  });

  it('every issue signs a new assertion (a new jti): the server, which refuses a replay, issues twice', async () => {
    const deps = recordingDeps();
    const one = await issueToken(deps, input('service', { grant: 'jwt_bearer' }, { privateKey: JSON.stringify(key.privateJwk) }));
    const two = await issueToken(deps, input('service', { grant: 'jwt_bearer' }, { privateKey: JSON.stringify(key.privateJwk) }));
    expect(issued.get(one.accessToken)?.subject).toBe('service');
    expect(two.accessToken).not.toBe(one.accessToken);
    const jtis = deps.exchanges.map((e) => JSON.parse(Buffer.from(new URLSearchParams(e.requestBody!).get('assertion')!.split('.')[1]!, 'base64url').toString()).jti as string);
    expect(new Set(jtis).size).toBe(2);
  });

  it('an assertion signed with a key the server does not know is refused', async () => {
    await expect(issueToken(recordingDeps(), input('impostor', { grant: 'jwt_bearer' }, { privateKey: JSON.stringify(otherKey.privateJwk) }))).rejects.toMatchObject({
      code: 'provider_rejected',
      message: expect.stringMatching(/rejected the JWT bearer token request \(HTTP 400\) with "invalid_grant": assertion rejected: .+ Check that the client's public key is registered with the server/),
    });
  });

  it('without a private key, the error says so and nothing is sent', async () => {
    const deps = recordingDeps();
    await expect(issueToken(deps, input('service', { grant: 'jwt_bearer' }))).rejects.toMatchObject({
      code: 'bad_request',
      message: "The JWT bearer grant signs its assertion with the client's private key: edit the client and generate or import one.",
    });
    expect(deps.exchanges).toHaveLength(0);
  });
});
