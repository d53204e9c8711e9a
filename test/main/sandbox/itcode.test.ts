import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItcodePlatform } from '../../../main/core/types';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import { decodeJwtPayload, fakeClock, FORM, hiddenValue } from './support';

interface Envelope {
  flag: boolean;
  title: string;
  message: string;
  body: unknown;
}

/** name → value of the Set-Cookie headers of a response. */
function cookiesOf(res: Response): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    cookies[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return cookies;
}

describe('sandbox: itcode.dev', () => {
  let sb: Sandbox;
  const clock = fakeClock();
  beforeEach(async () => {
    sb = await startSandbox({ now: clock.now });
  });
  afterEach(() => sb.close());

  const api = (path: string, init: RequestInit = {}) => fetch(`${sb.url}/oauth2/api${path}`, init);

  /** Follows the platform page up to the callback redirect; returns its URL. */
  async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('>Deny</button>');
    const action = new URL(authorizeUrl);
    const res = await fetch(`${action.origin}${action.pathname}`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ state: hiddenValue(html, 'state'), decision }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  async function loginUrl(platform: ItcodePlatform): Promise<string> {
    const envelope = (await (await api(`/login/${platform}`)).json()) as Envelope;
    expect(envelope.flag).toBe(true);
    return envelope.body as string;
  }

  async function signIn(platform: ItcodePlatform = 'naver'): Promise<Record<string, string>> {
    const callback = await consent(await loginUrl(platform), 'allow');
    const res = await api(`/login/${platform}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: callback.searchParams.get('code'), state: callback.searchParams.get('state') }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ flag: true, title: 'success', message: 'authorized success', body: null });
    return cookiesOf(res);
  }

  const cookieHeader = (cookies: Record<string, string>) =>
    Object.entries(cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');

  it('login URL API answers an envelope whose body is a platform authorize URL with state on the sandbox', async () => {
    const url = new URL(await loginUrl('naver'));
    expect(url.origin).toBe(sb.url);
    expect(url.pathname).toBe('/fake/naver/authorize');
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}$/);
    expect(url.searchParams.get('redirect_uri')).toBe('https://project.itcode.dev/oauth2/callback?platform=naver');
  });

  it('an unknown platform gets flag:false', async () => {
    const res = await api('/login/facebook');
    expect(((await res.json()) as Envelope).flag).toBe(false);
  });

  it('Allow redirects to the itcode callback with platform, code and state', async () => {
    const callback = await consent(await loginUrl('github'), 'allow');
    expect(`${callback.origin}${callback.pathname}`).toBe('https://project.itcode.dev/oauth2/callback');
    expect(callback.searchParams.get('platform')).toBe('github');
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBeTruthy();
  });

  it('Deny redirects with error=access_denied', async () => {
    const callback = await consent(await loginUrl('kakao'), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('the callback base is configurable so loopback tests can follow the redirect', async () => {
    sb.config.itcodeCallbackBase = 'http://127.0.0.1:5555/oauth2/callback';
    const callback = await consent(await loginUrl('google'), 'allow');
    expect(callback.href).toMatch(/^http:\/\/127\.0\.0\.1:5555\/oauth2\/callback\?platform=google&code=/);
  });

  it('login sets access and refresh JWT cookies (Path=/; HttpOnly)', async () => {
    const callback = await consent(await loginUrl('naver'), 'allow');
    const res = await api('/login/naver', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: callback.searchParams.get('code'), state: callback.searchParams.get('state') }),
    });
    const lines = res.headers.getSetCookie();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^access=eyJ[^;]+; Path=\/; HttpOnly$/);
    expect(lines[1]).toMatch(/^refresh=eyJ[^;]+; Path=\/; HttpOnly$/);
    const access = decodeJwtPayload(cookiesOf(res).access!);
    expect(access.exp).toBe(Math.floor(clock.now() / 1000) + sb.lifetimes.itcodeAccess);
  });

  it('login rejects a state that does not match the code', async () => {
    const first = await consent(await loginUrl('naver'), 'allow');
    const second = await consent(await loginUrl('naver'), 'allow');
    const res = await api('/login/naver', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: first.searchParams.get('code'), state: second.searchParams.get('state') }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ flag: false, title: 'fail', message: 'state mismatch', body: null });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('login rejects a reused code', async () => {
    const callback = await consent(await loginUrl('naver'), 'allow');
    const body = JSON.stringify({ code: callback.searchParams.get('code'), state: callback.searchParams.get('state') });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    expect((await api('/login/naver', init)).status).toBe(200);
    const again = (await (await api('/login/naver', init)).json()) as Envelope;
    expect(again.flag).toBe(false);
  });

  it('userinfo answers { email, name, profile, platform } for the access cookie', async () => {
    const cookies = await signIn('naver');
    const res = await api('/userinfo', { headers: { cookie: `access=${cookies.access}` } });
    const envelope = (await res.json()) as Envelope;
    expect(envelope).toMatchObject({ flag: true, title: 'success', message: 'user info response success' });
    expect(envelope.body).toEqual({
      email: sb.credentials.itcode.user.email,
      name: sb.credentials.itcode.user.name,
      profile: expect.any(String),
      platform: 'naver',
    });
    expect((await api('/userinfo')).status).toBe(401);
  });

  it('auto login changes nothing while the access cookie is valid', async () => {
    const cookies = await signIn();
    const res = await api('/login/auto', { method: 'POST', headers: { cookie: cookieHeader(cookies) } });
    expect(((await res.json()) as Envelope).flag).toBe(true);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('auto login issues a new access cookie once the access token expired', async () => {
    const cookies = await signIn();
    clock.advance(sb.lifetimes.itcodeAccess * 1000);
    expect((await api('/userinfo', { headers: { cookie: `access=${cookies.access}` } })).status).toBe(401);

    const res = await api('/login/auto', { method: 'POST', headers: { cookie: cookieHeader(cookies) } });
    expect(((await res.json()) as Envelope).flag).toBe(true);
    const fresh = cookiesOf(res);
    expect(fresh.access).toBeTruthy();
    expect(fresh.access).not.toBe(cookies.access);
    expect((await api('/userinfo', { headers: { cookie: `access=${fresh.access}` } })).status).toBe(200);
  });

  it('auto login without a refresh cookie is flag:false', async () => {
    const cookies = await signIn();
    const res = await api('/login/auto', { method: 'POST', headers: { cookie: `access=${cookies.access}` } });
    expect(((await res.json()) as Envelope).flag).toBe(false);
  });

  it('re-consent URL uses auth_type=reprompt for naver', async () => {
    const cookies = await signIn('naver');
    const envelope = (await (await api('/login/put', { method: 'PUT', headers: { cookie: `access=${cookies.access}` } })).json()) as Envelope;
    expect(envelope.flag).toBe(true);
    expect(new URL(envelope.body as string).searchParams.get('auth_type')).toBe('reprompt');
  });

  it('re-consent is flag:false for google and github', async () => {
    for (const platform of ['google', 'github'] as const) {
      const cookies = await signIn(platform);
      const envelope = (await (await api('/login/put', { method: 'PUT', headers: { cookie: `access=${cookies.access}` } })).json()) as Envelope;
      expect(envelope.flag).toBe(false);
    }
  });

  it('logout clears both cookies with Max-Age=0 and ends the session', async () => {
    const cookies = await signIn();
    const res = await api('/logout', { method: 'POST', headers: { cookie: cookieHeader(cookies) } });
    expect(await res.json()).toEqual({ flag: true, title: 'success', message: 'logout success', body: null });
    const lines = res.headers.getSetCookie();
    expect(lines.some((l) => l.startsWith('access=;') && l.includes('Max-Age=0'))).toBe(true);
    expect(lines.some((l) => l.startsWith('refresh=;') && l.includes('Max-Age=0'))).toBe(true);
    const auto = await api('/login/auto', { method: 'POST', headers: { cookie: `refresh=${cookies.refresh}` } });
    expect(((await auto.json()) as Envelope).flag).toBe(false);
  });

  it('revoke clears cookies and invalidates the access token', async () => {
    const cookies = await signIn();
    const res = await api('/revoke', { method: 'DELETE', headers: { cookie: `access=${cookies.access}` } });
    expect(((await res.json()) as Envelope).flag).toBe(true);
    expect(res.headers.getSetCookie().every((l) => l.includes('Max-Age=0'))).toBe(true);
    expect((await api('/userinfo', { headers: { cookie: `access=${cookies.access}` } })).status).toBe(401);
  });
});
