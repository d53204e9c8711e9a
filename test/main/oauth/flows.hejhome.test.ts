/** Hejhome over real HTTP against the sandbox (docs/providers.md §1). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import { beginSignIn, completeSignIn, issueToken, refreshToken } from '../../../main/oauth/flows';
import { HEJHOME_REFRESH_LIFETIME_SECONDS } from '../../../main/oauth/presets/hejhome';
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

function input(secret: string = sandbox.credentials.hejhome.clientSecret) {
  const creds = sandbox.credentials.hejhome;
  return flowInput(
    clientConfig('hejhome', { baseUrl: sandbox.url, clientId: creds.clientId, redirectUri: creds.redirectUri }),
    { clientSecret: secret },
  );
}

const login = () => ({ username: sandbox.credentials.hejhome.username, password: sandbox.credentials.hejhome.password });

async function signIn(deps = recordingDeps()) {
  const pending = await beginSignIn(deps, input());
  const callback = await playUser(pending.authorizeUrl, login());
  return { pending, callback, token: await completeSignIn(deps, input(), pending, callback), deps };
}

describe('Hejhome', () => {
  it('puts scope=openapi and the redirect_uri unencoded in the authorize URL', async () => {
    const pending = await beginSignIn(recordingDeps(), input());
    const redirectUri = sandbox.credentials.hejhome.redirectUri;
    expect(pending.authorizeUrl).toContain('response_type=code');
    expect(pending.authorizeUrl).toContain('scope=openapi');
    expect(pending.authorizeUrl.endsWith(`&redirect_uri=${redirectUri}`)).toBe(true);
    expect(pending.loopback).toBe(true);
    expect(pending.codeVerifier).toBeNull();
  });

  it('signs in: code exchanged with Basic auth and the parameters in the query string', async () => {
    const before = Date.now();
    const { token, deps } = await signIn();
    expect(token.accessToken).not.toBe('');
    expect(token.refreshToken).not.toBeNull();
    expect(token.scope).toBe('openapi');
    expect(token.expiresAt).toBeGreaterThanOrEqual(before + sandbox.lifetimes.hejhomeAccess * 1000);
    // The refresh lifetime is the preset's knowledge: 360 days (docs/providers.md §1).
    expect(token.refreshExpiresAt! - token.issuedAt).toBe(HEJHOME_REFRESH_LIFETIME_SECONDS * 1000);
    const exchange = deps.exchanges.at(-1)!;
    expect(exchange.url).toMatch(/\/oauth\/token\?grant_type=authorization_code&code=[^&]+&redirect_uri=http:\/\/127\.0\.0\.1:47823\/hejhome\/callback$/);
    expect(exchange.requestBody).toBeNull();
    expect(exchange.requestHeaders.authorization).toMatch(/^Basic /);
  });

  it('rejects a reused code', async () => {
    const { pending, callback, deps } = await signIn();
    await expect(completeSignIn(deps, input(), pending, callback)).rejects.toMatchObject({
      code: 'invalid_grant',
      status: 400,
      providerMessage: 'Authorization code has already been used',
      message:
        'Hejhome rejected the authorization code exchange (HTTP 400) with "invalid_grant": Authorization code has already been used. The sign-in code was already used or has expired: sign in again.',
    });
  });

  it('rejects a redirect with another state without sending anything', async () => {
    const deps = recordingDeps();
    const pending = await beginSignIn(deps, input());
    const callback = await playUser(pending.authorizeUrl, login());
    const forged = callback.replace(/state=[^&]+/, 'state=forged');
    await expect(completeSignIn(deps, input(), pending, forged)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(sandbox.counters['hejhome.token'] ?? 0).toBe(0);
  });

  it('refreshes twice in a row under rotation, with Basic and a form body', async () => {
    const { token, deps } = await signIn();
    const first = await refreshToken(deps, input(), token);
    expect(first.refreshToken).not.toBe(token.refreshToken);
    expect(first.accessToken).not.toBe(token.accessToken);
    const request = deps.exchanges.at(-1)!;
    expect(request.url.endsWith('/oauth/token')).toBe(true);
    expect(request.requestHeaders['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.requestBody).toBe(`grant_type=refresh_token&refresh_token=${encodeURIComponent(token.refreshToken!)}`);
    const second = await refreshToken(deps, input(), first);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // The replaced refresh token is dead: keeping the newest one matters.
    await expect(refreshToken(deps, input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('a refresh that hands back the same refresh token keeps the expiry counted from its first receipt', async () => {
    let now = Date.now();
    const deps = recordingDeps({ now: () => now });
    const pending = await beginSignIn(deps, input());
    const token = await completeSignIn(deps, input(), pending, await playUser(pending.authorizeUrl, login()));
    expect(token.refreshExpiresAt).toBe(now + HEJHOME_REFRESH_LIFETIME_SECONDS * 1000);
    sandbox.config.hejhomeSameRefreshToken = true;
    try {
      now += 30 * 86_400_000;
      const next = await refreshToken(deps, input(), token);
      expect(next.accessToken).not.toBe(token.accessToken);
      expect(next.refreshToken).toBe(token.refreshToken);
      expect(next.refreshExpiresAt).toBe(token.refreshExpiresAt);
      sandbox.config.hejhomeSameRefreshToken = false;
      // A new value starts its own 360 days.
      now += 86_400_000;
      const rotated = await refreshToken(deps, input(), next);
      expect(rotated.refreshToken).not.toBe(next.refreshToken);
      expect(rotated.refreshExpiresAt).toBe(now + HEJHOME_REFRESH_LIFETIME_SECONDS * 1000);
    } finally {
      sandbox.config.hejhomeSameRefreshToken = false;
    }
  });

  it('reports bad client credentials at the code exchange', async () => {
    const deps = recordingDeps();
    const pending = await beginSignIn(deps, input());
    const callback = await playUser(pending.authorizeUrl, login());
    await expect(completeSignIn(deps, input('wrong-secret'), pending, callback)).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 401,
      message: 'Hejhome rejected the authorization code exchange (HTTP 401) with "invalid_client": Bad client credentials. Check the client ID and client secret.',
    });
  });

  it('has no non-interactive grant', async () => {
    await expect(issueToken(recordingDeps(), input())).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('reports an HTML error page from the token endpoint', async () => {
    const deps = recordingDeps();
    const pending = await beginSignIn(deps, input());
    const callback = await playUser(pending.authorizeUrl, login());
    sandbox.faults.set('hejhome.token', 'html_error', { status: 502 });
    const error = await completeSignIn(deps, input(), pending, callback).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'provider_rejected',
      status: 502,
      message: 'Hejhome answered the authorization code exchange with an HTML page (HTTP 502) instead of data. The provider had a problem: try again later.',
    });
    expect((error as { rawBody: string }).rawBody).toContain('<!doctype html>');
  });
});
