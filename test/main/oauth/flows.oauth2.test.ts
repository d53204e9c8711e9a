/** The generic RFC 6749 client over real HTTP against the sandbox's generic server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import type { GenericSettings } from '../../../main/model/types';
import { SANDBOX_CUSTOM_FIELDS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { beginSignIn, completeSignIn, issueToken, refreshToken, revokeToken } from '../../../main/oauth/flows';
import { codeChallengeS256 } from '../../../main/oauth/requests';
import { clientConfig, flowInput, playUser, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetCounters();
});

const REDIRECT = 'http://127.0.0.1:47823/oauth2/callback';

function input(generic: Partial<GenericSettings> = {}, over: { clientId?: string; secret?: string | null; password?: string | null } = {}) {
  const creds = sandbox.credentials.oauth2;
  const settings: GenericSettings = {
    ...DEFAULT_GENERIC,
    // Paths resolve against the base URL.
    authorizationUrl: SANDBOX_OAUTH2_PATHS.authorize,
    tokenUrl: SANDBOX_OAUTH2_PATHS.token,
    revocationUrl: SANDBOX_OAUTH2_PATHS.revoke,
    ...generic,
  };
  return flowInput(
    clientConfig('oauth2', {
      baseUrl: sandbox.url,
      clientId: over.clientId ?? creds.clientId,
      redirectUri: REDIRECT,
      scope: creds.scope,
      generic: settings,
    }),
    { clientSecret: over.secret === undefined ? creds.clientSecret : over.secret, password: over.password ?? null },
  );
}

const login = () => ({ username: sandbox.credentials.oauth2.username, password: sandbox.credentials.oauth2.password, decision: 'allow' });

async function signIn(i = input(), d = recordingDeps()) {
  const pending = await beginSignIn(d, i);
  const callback = await playUser(pending.authorizeUrl, login());
  return { pending, callback, d, token: await completeSignIn(d, i, pending, callback) };
}

describe('generic OAuth 2.0 client', () => {
  it('signs in with state and PKCE S256, Basic client auth', async () => {
    const { pending, token, d } = await signIn();
    const authorize = new URL(pending.authorizeUrl);
    expect(authorize.searchParams.get('state')).toBe(pending.state);
    expect(authorize.searchParams.get('code_challenge')).toBe(codeChallengeS256(pending.codeVerifier!));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('read write');
    expect(token.refreshToken).not.toBeNull();
    expect(token.scope).toBe('read write');
    const exchange = d.exchanges.at(-1)!;
    expect(exchange.requestHeaders.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(exchange.requestBody!).get('code_verifier')).toBe(pending.codeVerifier);
  });

  it('PKCE is verified: a wrong code_verifier is refused', async () => {
    const d = recordingDeps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, login());
    await expect(completeSignIn(d, input(), { ...pending, codeVerifier: 'x'.repeat(43) }, callback)).rejects.toMatchObject({
      code: 'invalid_grant',
      providerMessage: 'PKCE verification failed: code_verifier does not match code_challenge',
    });
  });

  it('signs in as a public client (auth none) with PKCE, on any loopback port', async () => {
    const i = input({ clientAuth: 'none' }, { clientId: sandbox.credentials.oauth2.publicClientId, secret: null });
    const d = recordingDeps();
    const pending = await beginSignIn(d, i, { redirectUri: 'http://127.0.0.1:53999/oauth2/callback' });
    const callback = await playUser(pending.authorizeUrl, login());
    expect(callback.startsWith('http://127.0.0.1:53999/oauth2/callback?')).toBe(true);
    const token = await completeSignIn(d, i, pending, callback);
    expect(token.accessToken).not.toBe('');
    expect(d.exchanges.at(-1)!.requestHeaders.authorization).toBeUndefined();
  });

  it('rejects a state mismatch and a reused code', async () => {
    const d = recordingDeps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, login());
    await expect(completeSignIn(d, input(), { ...pending, state: 'another' }, callback)).rejects.toMatchObject({
      code: 'state_mismatch',
      message: `The redirect from ${new URL(sandbox.url).host} belongs to another sign-in (the state does not match). Sign in again from TokenDesk.`,
    });
    await completeSignIn(d, input(), pending, callback);
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'invalid_grant',
      providerMessage: 'Authorization code has already been used',
    });
  });

  it('turns access_denied into a cancelled sign-in', async () => {
    const d = recordingDeps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, { decision: 'deny' });
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'cancelled',
      providerMessage: 'The resource owner denied the request',
    });
  });

  it('refreshes twice in a row under rotation, and the old refresh token is dead', async () => {
    const { token, d } = await signIn();
    const first = await refreshToken(d, input(), token);
    const second = await refreshToken(d, input(), first);
    expect(new Set([token.refreshToken, first.refreshToken, second.refreshToken]).size).toBe(3);
    await expect(refreshToken(d, input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('uses the separate refresh URL', async () => {
    const { token, d } = await signIn();
    const next = await refreshToken(d, input({ tokenUrl: '/nowhere', refreshUrl: `${sandbox.url}${SANDBOX_OAUTH2_PATHS.token}` }), token);
    expect(next.accessToken).not.toBe(token.accessToken);
  });

  it('issues with client credentials, client auth in the body', async () => {
    const d = recordingDeps();
    const token = await issueToken(d, input({ grant: 'client_credentials', clientAuth: 'body' }));
    expect(token.refreshToken).toBeNull();
    const body = new URLSearchParams(d.exchanges.at(-1)!.requestBody!);
    expect(body.get('client_secret')).toBe(sandbox.credentials.oauth2.clientSecret);
    expect(d.exchanges.at(-1)!.requestHeaders.authorization).toBeUndefined();
    // No refresh token (RFC 6749 §4.4.3): refreshing issues again.
    const again = await refreshToken(d, input({ grant: 'client_credentials', clientAuth: 'body' }), token);
    expect(again.accessToken).not.toBe(token.accessToken);
  });

  it('issues with the password grant, and reports wrong credentials', async () => {
    const settings = { grant: 'password' as const, username: sandbox.credentials.oauth2.username };
    const token = await issueToken(recordingDeps(), input(settings, { password: sandbox.credentials.oauth2.password }));
    expect(token.refreshToken).not.toBeNull();
    await expect(issueToken(recordingDeps(), input(settings, { password: 'wrong' }))).rejects.toMatchObject({
      code: 'invalid_grant',
      message: `${new URL(sandbox.url).host} rejected the token request (HTTP 400) with "invalid_grant": Invalid resource owner credentials. Check the username and password.`,
    });
  });

  it('sends the parameters in the query string when told to', async () => {
    const d = recordingDeps();
    const token = await issueToken(d, input({ grant: 'client_credentials', paramsIn: 'query', tokenUrl: SANDBOX_OAUTH2_PATHS.queryToken }));
    expect(token.accessToken).not.toBe('');
    expect(d.exchanges.at(-1)!.requestBody).toBeNull();
    expect(d.exchanges.at(-1)!.url).toContain('grant_type=client_credentials');
  });

  it('reads custom response field names, and extra parameters go out', async () => {
    const d = recordingDeps();
    const settings = {
      grant: 'client_credentials' as const,
      tokenUrl: SANDBOX_OAUTH2_PATHS.customFieldsToken,
      responseFields: { ...SANDBOX_CUSTOM_FIELDS },
      extraParams: { audience: 'https://api.test' },
    };
    const token = await issueToken(d, input(settings));
    expect(token.accessToken).toMatch(/^eyJ/);
    expect(token.expiresAt).not.toBeNull();
    expect(new URLSearchParams(d.exchanges.at(-1)!.requestBody!).get('audience')).toBe('https://api.test');
  });

  it('revokes per RFC 7009: the refresh token stops working', async () => {
    const { token, d } = await signIn();
    await revokeToken(d, input(), token);
    expect(sandbox.counters['oauth2.revoke']).toBe(2);
    await expect(refreshToken(d, input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('refuses a pasted address that is not the redirect URI', async () => {
    const d = recordingDeps();
    const pending = await beginSignIn(d, input());
    await expect(completeSignIn(d, input(), pending, 'https://evil.test/oauth2/callback?code=x&state=' + pending.state)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(completeSignIn(d, input(), pending, 'just some text')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
