import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItcodePlatform } from '../../../main/model/types';
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

  /** The login URL API: the authorize URL, and the JSESSIONID cookie of the servlet session holding its state. */
  async function loginSession(platform: ItcodePlatform): Promise<{ url: string; session: string }> {
    const res = await api(`/login/${platform}`);
    const envelope = (await res.json()) as Envelope;
    expect(envelope.flag).toBe(true);
    const session = cookiesOf(res).JSESSIONID;
    expect(session).toBeTruthy();
    return { url: envelope.body as string, session: session! };
  }

  async function loginUrl(platform: ItcodePlatform): Promise<string> {
    return (await loginSession(platform)).url;
  }

  /** POST /login/{platform} with the callback's code and state, and the given cookie header (or none). */
  function loginPost(platform: ItcodePlatform, callback: URL, cookie: string | null): Promise<Response> {
    return api(`/login/${platform}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ code: callback.searchParams.get('code'), state: callback.searchParams.get('state') }),
    });
  }

  async function signIn(platform: ItcodePlatform = 'naver'): Promise<Record<string, string>> {
    const { url, session } = await loginSession(platform);
    const callback = await consent(url, 'allow');
    const res = await loginPost(platform, callback, `JSESSIONID=${session}`);
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
    const { url, session } = await loginSession('naver');
    const res = await loginPost('naver', await consent(url, 'allow'), `JSESSIONID=${session}`);
    const lines = res.headers.getSetCookie();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^access=eyJ[^;]+; Path=\/; HttpOnly$/);
    expect(lines[1]).toMatch(/^refresh=eyJ[^;]+; Path=\/; HttpOnly$/);
    const access = decodeJwtPayload(cookiesOf(res).access!);
    expect(access.exp).toBe(Math.floor(clock.now() / 1000) + sb.lifetimes.itcodeAccess);
  });

  it('login rejects a state that does not match the code', async () => {
    const first = await consent(await loginUrl('naver'), 'allow');
    const secondLogin = await loginSession('naver');
    const second = await consent(secondLogin.url, 'allow');
    const res = await api('/login/naver', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `JSESSIONID=${secondLogin.session}` },
      body: JSON.stringify({ code: first.searchParams.get('code'), state: second.searchParams.get('state') }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ flag: false, title: 'fail', message: 'state mismatch', body: null });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('login rejects a reused code', async () => {
    const { url, session } = await loginSession('naver');
    const callback = await consent(url, 'allow');
    expect((await loginPost('naver', callback, `JSESSIONID=${session}`)).status).toBe(200);
    const again = (await (await loginPost('naver', callback, `JSESSIONID=${session}`)).json()) as Envelope;
    expect(again.flag).toBe(false);
  });

  for (const platform of ['naver', 'kakao', 'google', 'github'] as const) {
    it(`${platform}: login fails without the JSESSIONID of the login-URL call and passes with it; the session ends with the POST`, async () => {
      const { url } = await loginSession(platform);
      const callback = await consent(url, 'allow');
      const without = await loginPost(platform, callback, null);
      expect(without.status).toBe(400);
      expect(await without.json()).toEqual({ flag: false, title: 'fail', message: 'no sign-in session (JSESSIONID): request the login URL first', body: null });
      const other = await loginSession(platform);
      const foreign = await loginPost(platform, callback, `JSESSIONID=${other.session}`);
      expect(foreign.status).toBe(400);
      expect(((await foreign.json()) as Envelope).message).toBe('state does not match the session');

      const { url: url2, session: session2 } = await loginSession(platform);
      const callback2 = await consent(url2, 'allow');
      const res = await loginPost(platform, callback2, `JSESSIONID=${session2}`);
      expect(res.status).toBe(200);
      expect(Object.keys(cookiesOf(res)).sort()).toEqual(['access', 'refresh']);
      expect((await loginPost(platform, callback2, `JSESSIONID=${session2}`)).status).toBe(400);
    });
  }

  it('re-consent keeps its state in a new session: its login POST needs that JSESSIONID', async () => {
    const cookies = await signIn('kakao');
    const put = await api('/login/put', { method: 'PUT', headers: { cookie: `access=${cookies.access}` } });
    const session = cookiesOf(put).JSESSIONID;
    expect(session).toBeTruthy();
    const callback = await consent(((await put.json()) as Envelope).body as string, 'allow');
    expect((await loginPost('kakao', callback, `access=${cookies.access}`)).status).toBe(400);
    const put2 = await api('/login/put', { method: 'PUT', headers: { cookie: `access=${cookies.access}` } });
    const callback2 = await consent(((await put2.json()) as Envelope).body as string, 'allow');
    expect((await loginPost('kakao', callback2, `JSESSIONID=${cookiesOf(put2).JSESSIONID}`)).status).toBe(200);
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

  it('auto login does nothing while an access cookie is sent, even an expired one, whatever the refresh cookie', async () => {
    const cookies = await signIn();
    for (const cookie of [cookieHeader(cookies), `access=${cookies.access}`]) {
      const res = await api('/login/auto', { method: 'POST', headers: { cookie } });
      expect(await res.json()).toEqual({ flag: true, title: 'success', message: 'auto authorized success', body: null });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    clock.advance(sb.lifetimes.itcodeAccess * 1000);
    const expired = await api('/login/auto', { method: 'POST', headers: { cookie: cookieHeader(cookies) } });
    expect(expired.headers.getSetCookie()).toEqual([]);
  });

  it('auto login with the refresh cookie alone renews both cookies; the old refresh cookie is dead', async () => {
    const cookies = await signIn();
    clock.advance(sb.lifetimes.itcodeAccess * 1000);
    expect((await api('/userinfo', { headers: { cookie: `access=${cookies.access}` } })).status).toBe(401);

    const res = await api('/login/auto', { method: 'POST', headers: { cookie: `refresh=${cookies.refresh}` } });
    expect(((await res.json()) as Envelope).flag).toBe(true);
    const fresh = cookiesOf(res);
    expect(Object.keys(fresh).sort()).toEqual(['access', 'refresh']);
    expect(fresh.access).not.toBe(cookies.access);
    expect(fresh.refresh).not.toBe(cookies.refresh);
    expect((await api('/userinfo', { headers: { cookie: `access=${fresh.access}` } })).status).toBe(200);
    const stale = await api('/login/auto', { method: 'POST', headers: { cookie: `refresh=${cookies.refresh}` } });
    expect(stale.status).toBe(401);
    const next = await api('/login/auto', { method: 'POST', headers: { cookie: `refresh=${fresh.refresh}` } });
    expect(Object.keys(cookiesOf(next)).sort()).toEqual(['access', 'refresh']);
  });

  it('auto login without any cookie is flag:false', async () => {
    const res = await api('/login/auto', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Envelope).flag).toBe(false);
  });

  it('"nothing to do" mode: auto login with the refresh cookie alone answers success without Set-Cookie', async () => {
    const cookies = await signIn();
    sb.config.refreshNothingToDo = true;
    const res = await api('/login/auto', { method: 'POST', headers: { cookie: `refresh=${cookies.refresh}` } });
    expect(await res.json()).toEqual({ flag: true, title: 'success', message: 'auto authorized success', body: null });
    expect(res.headers.getSetCookie()).toEqual([]);
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
