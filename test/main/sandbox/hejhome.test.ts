import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_API_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, fakeClock, FORM, hiddenValue } from './support';

describe('sandbox: Hejhome', () => {
  let sb: Sandbox;
  const clock = fakeClock();
  beforeEach(async () => {
    sb = await startSandbox({ now: clock.now });
  });
  afterEach(() => sb.close());

  const creds = () => sb.credentials.hejhome;
  const auth = () => basic(creds().clientId, creds().clientSecret);
  // The doc sends redirect_uri unencoded: build the URL as text, not with URLSearchParams.
  const authorizeUrl = (redirectUri: string = creds().redirectUri) =>
    `${sb.url}/login/openapi?response_type=code&client_id=${creds().clientId}&scope=openapi&redirect_uri=${redirectUri}`;

  async function signIn(): Promise<string> {
    const page = await fetch(authorizeUrl());
    expect(page.status).toBe(200);
    const loginId = hiddenValue(await page.text(), 'login_id');
    const res = await fetch(`${sb.url}/login/openapi`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ login_id: loginId, username: creds().username, password: creds().password }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(creds().redirectUri);
    return location.searchParams.get('code')!;
  }

  const exchange = (code: string, redirectUri: string = creds().redirectUri) =>
    fetch(`${sb.url}/oauth/token?grant_type=authorization_code&code=${code}&redirect_uri=${redirectUri}`, {
      method: 'POST',
      headers: { authorization: auth() },
    });

  const refresh = (refreshToken: string) =>
    fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: auth(), ...FORM },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });

  it('login page is an HTML form with labelled ID and password inputs and a LOGIN button', async () => {
    const html = await (await fetch(authorizeUrl())).text();
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('>LOGIN</button>');
  });

  it('authorize errors are HTML pages: an URL-encoded redirect_uri does not match the raw registered one', async () => {
    const res = await fetch(authorizeUrl(encodeURIComponent(creds().redirectUri)));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('redirect_uri');
  });

  it('authorize rejects a redirect_uri that differs from the registered one', async () => {
    const res = await fetch(authorizeUrl('http://127.0.0.1:1/other'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('a wrong password shows the login page again with an error', async () => {
    const loginId = hiddenValue(await (await fetch(authorizeUrl())).text(), 'login_id');
    const res = await fetch(`${sb.url}/login/openapi`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ login_id: loginId, username: creds().username, password: 'nope' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('role="alert"');
  });

  it('exchanges a code sent in the query string for tokens with integer expires_in and scope openapi', async () => {
    const res = await exchange(await signIn());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: sb.lifetimes.hejhomeAccess, scope: 'openapi' });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const api = await fetch(`${sb.url}${SANDBOX_API_PATHS.hejhome}`, { headers: { authorization: `Bearer ${body.access_token as string}` } });
    expect(api.status).toBe(200);
  });

  it('rejects code exchange parameters sent in the body instead of the query string', async () => {
    const code = await signIn();
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: auth(), ...FORM },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: creds().redirectUri }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expect((await exchange(code)).status).toBe(200);
  });

  it('rejects a reused authorization code', async () => {
    const code = await signIn();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a code exchange whose redirect_uri differs from the authorize request', async () => {
    const res = await exchange(await signIn(), 'https://example-app.com/redirect');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Redirect URI mismatch.' });
  });

  it('rejects an expired code', async () => {
    const code = await signIn();
    clock.advance(sb.lifetimes.authorizationCode * 1000);
    expect((await exchange(code)).status).toBe(400);
  });

  it('rejects wrong Basic credentials with 401 invalid_client', async () => {
    const res = await fetch(`${sb.url}/oauth/token?grant_type=authorization_code&code=x&redirect_uri=${creds().redirectUri}`, {
      method: 'POST',
      headers: { authorization: basic(creds().clientId, 'wrong') },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refresh rotates the refresh token and rejects the previous one afterwards', async () => {
    const first = (await (await exchange(await signIn())).json()) as { refresh_token: string };
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const second = (await res.json()) as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const stale = await refresh(first.refresh_token);
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it('rejects refresh parameters sent in the query string instead of the form body', async () => {
    const { refresh_token: refreshToken } = (await (await exchange(await signIn())).json()) as { refresh_token: string };
    const res = await fetch(`${sb.url}/oauth/token?grant_type=refresh_token&refresh_token=${refreshToken}`, {
      method: 'POST',
      headers: { authorization: auth() },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it('rejects a refresh body without the form content type', async () => {
    const { refresh_token: refreshToken } = (await (await exchange(await signIn())).json()) as { refresh_token: string };
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    expect(res.status).toBe(400);
  });

  it('rejects an expired refresh token', async () => {
    const { refresh_token: refreshToken } = (await (await exchange(await signIn())).json()) as { refresh_token: string };
    clock.advance(sb.lifetimes.hejhomeRefresh * 1000);
    expect((await refresh(refreshToken)).status).toBe(400);
  });

  it('accepts a redirect URI registered at runtime through config', async () => {
    sb.config.hejhomeRedirectUri = 'http://127.0.0.1:9999/cb';
    expect((await fetch(authorizeUrl('http://127.0.0.1:9999/cb'))).status).toBe(200);
    expect((await fetch(authorizeUrl())).status).toBe(400);
  });
});
