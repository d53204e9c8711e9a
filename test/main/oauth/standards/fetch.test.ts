/**
 * oauth4webapi over the recorded HTTP client, judged by oidc-provider in-process: what
 * oauth4webapi sends is recorded under the client's id, and what the server answers reaches
 * oauth4webapi as a real `Response`.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest } from '../../../../main/oauth/http';
import { recordedFetch, standardsOptions } from '../../../../main/oauth/standards/fetch';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';

const REDIRECT = 'http://127.0.0.1:49152/callback';
let op: OidcProviderHandle;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      { client_id: 'machine', client_secret: 'machine-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      { client_id: 'web', client_secret: 'web-secret', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [REDIRECT] },
    ],
  });
});
afterAll(() => op.stop());

const input = (clientId: string) => flowInput(clientConfig('oauth2', { id: `td-${clientId}`, clientId }));

async function discover(fetcher: ReturnType<typeof recordedFetch>) {
  const issuer = new URL(op.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, standardsOptions(fetcher)));
}

describe('oauth4webapi through the recorded HTTP client', () => {
  it('records discovery under the client id and hands oauth4webapi the metadata', async () => {
    const deps = recordingDeps();
    const as = await discover(recordedFetch(deps, input('machine')));
    expect(as.issuer).toBe(op.issuer);
    expect(as.token_endpoint).toBe(`${op.issuer}/token`);
    expect(deps.exchanges).toHaveLength(1);
    expect(deps.exchanges[0]).toMatchObject({
      clientId: 'td-machine',
      method: 'GET',
      url: `${op.issuer}/.well-known/openid-configuration`,
      status: 200,
    });
  });

  it('a client credentials grant is sent, recorded and processed', async () => {
    const deps = recordingDeps();
    const fetcher = recordedFetch(deps, input('machine'));
    const as = await discover(fetcher);
    const client: oauth.Client = { client_id: 'machine' };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('machine-secret'), {}, standardsOptions(fetcher));
    const token = await oauth.processClientCredentialsResponse(as, client, response);
    expect(token.token_type.toLowerCase()).toBe('bearer');
    const exchange = deps.exchanges.at(-1)!;
    expect(exchange.url).toBe(`${op.issuer}/token`);
    expect(exchange.requestHeaders.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(exchange.requestBody!).get('grant_type')).toBe('client_credentials');
    expect(JSON.parse(exchange.responseBody!)).toMatchObject({ access_token: token.access_token });
    expect(fetcher.lastResponse()?.exchange.id).toBe(exchange.id);
  });

  it('an error answer reaches oauth4webapi with its status and body', async () => {
    const deps = recordingDeps();
    const fetcher = recordedFetch(deps, input('machine'));
    const as = await discover(fetcher);
    const client: oauth.Client = { client_id: 'machine' };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('wrong'), {}, standardsOptions(fetcher));
    const failure = await oauth.processClientCredentialsResponse(as, client, response).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(failure).toMatchObject({ status: 401, cause: [{ scheme: 'basic', parameters: { error: 'invalid_client' } }] });
    expect(deps.exchanges.at(-1)!.status).toBe(401);
  });

  it('the devInteractions helper signs a user in for an authorization code exchange', async () => {
    const deps = recordingDeps();
    const fetcher = recordedFetch(deps, input('web'));
    const as = await discover(fetcher);
    const client: oauth.Client = { client_id: 'web' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorize = new URL(as.authorization_endpoint!);
    authorize.search = new URLSearchParams({
      client_id: 'web',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = new URL(await op.signIn(authorize.toString(), { login: 'bob' }));
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic('web-secret'), params, REDIRECT, verifier, standardsOptions(fetcher));
    const token = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(oauth.getValidatedIdTokenClaims(token)?.sub).toBe('bob');
  });

  it('a denied consent comes back as access_denied', async () => {
    const authorize = new URL(`${op.issuer}/auth`);
    authorize.search = new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', state: 's' }).toString();
    const callback = new URL(await op.signIn(authorize.toString(), { deny: true }));
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });
});

describe('recordedFetch', () => {
  function fakeHttp(answer: { status: number; headers?: Record<string, string | string[]>; body?: string }) {
    const sent: HttpRequest[] = [];
    const http: HttpClient = {
      send: async (req) => {
        sent.push(req);
        return { status: answer.status, headers: answer.headers ?? {}, body: answer.body ?? '', exchange: {} as never };
      },
    };
    return { deps: { http, now: () => 0 }, sent };
  }

  it('sends forms as text and keeps repeated headers', async () => {
    const { deps, sent } = fakeHttp({ status: 200, headers: { 'set-cookie': ['a=1', 'b=2'], 'dpop-nonce': 'n1' }, body: '{}' });
    const res = await recordedFetch(deps, input('x'))('http://127.0.0.1:1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }),
    });
    expect(sent[0]).toMatchObject({ clientId: 'td-x', method: 'POST', body: 'grant_type=client_credentials&scope=a+b' });
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('dpop-nonce')).toBe('n1');
    expect(await res.json()).toEqual({});
  });

  it('a 204 answer becomes a Response without a body', async () => {
    const { deps } = fakeHttp({ status: 204 });
    const res = await recordedFetch(deps, input('x'))('https://as.example/revoke', { method: 'POST' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('refuses cleartext HTTP to anything but loopback, before sending', async () => {
    const { deps, sent } = fakeHttp({ status: 200 });
    await expect(recordedFetch(deps, input('x'))('http://as.example/token', { method: 'POST' })).rejects.toMatchObject({
      code: 'bad_request',
      message: "http://as.example/token uses cleartext http://, which TokenDesk only allows on this computer (loopback) unless the client allows insecure HTTP. Use the server's https:// address.",
    });
    expect(sent).toHaveLength(0);
  });
});
