/** itcode.dev over real HTTP against the sandbox (docs/providers.md §4): cookie JWTs. */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItcodePlatform, TokenSet } from '../../../main/model/types';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import {
  beginReconsent,
  beginSignIn,
  completeSignIn,
  fetchUserInfo,
  reconsentUrl,
  refreshToken,
  revokeToken,
  signOut,
} from '../../../main/oauth/flows';
import { clientConfig, flowInput, playUser, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
let clock = Date.now();
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  clock = Date.now();
  sandbox.faults.clear();
  sandbox.resetCounters();
});

const deps = () => recordingDeps({ now: () => clock });
const input = (platform: ItcodePlatform = 'naver') =>
  flowInput(clientConfig('itcode', { baseUrl: sandbox.url, platform, redirectUri: sandbox.credentials.itcode.callbackBase }));

async function signIn(platform: ItcodePlatform = 'naver', d = deps()): Promise<TokenSet> {
  const pending = await beginSignIn(d, input(platform));
  const callback = await playUser(pending.authorizeUrl, { decision: 'allow' });
  return completeSignIn(d, input(platform), pending, callback);
}

describe('itcode', () => {
  it('takes the platform authorize URL, with its own state and callback, from the login URL API', async () => {
    const pending = await beginSignIn(deps(), input('kakao'));
    const url = new URL(pending.authorizeUrl);
    expect(url.pathname).toBe('/fake/kakao/authorize');
    expect(pending.state).toBe(url.searchParams.get('state'));
    expect(pending.redirectUri).toBe(`${sandbox.credentials.itcode.callbackBase}?platform=kakao`);
    expect(pending.loopback).toBe(false);
  });

  it('signs in: tokens from Set-Cookie, expiry from the JWT exp claims', async () => {
    const d = deps();
    const token = await signIn('naver', d);
    expect(token.expiresAt).toBe((decodeJwt(token.accessToken).exp as number) * 1000);
    expect(token.refreshExpiresAt).toBe((decodeJwt(token.refreshToken!).exp as number) * 1000);
    expect(token.expiresAt! - clock).toBeLessThanOrEqual(sandbox.lifetimes.itcodeAccess * 1000);
    expect(token.cookies).toEqual({ access: token.accessToken, refresh: token.refreshToken });
    const login = d.exchanges.at(-1)!;
    expect(login.url).toBe(`${sandbox.url}/oauth2/api/login/naver`);
    expect(JSON.parse(login.requestBody!)).toEqual({ code: expect.any(String), state: expect.any(String) });
    // The session cookie went back with the POST, and stays out of the token's cookies.
    expect(login.requestHeaders.cookie).toMatch(/^JSESSIONID=[\w-]+$/);
  });

  for (const platform of ['naver', 'kakao', 'google', 'github'] as const) {
    it(`${platform}: the login POST carries the JSESSIONID of its own login-URL call, and fails without it`, async () => {
      const d = deps();
      const pending = await beginSignIn(d, input(platform));
      const session = pending.cookies?.JSESSIONID;
      expect(session).toBeTruthy();
      const callback = await playUser(pending.authorizeUrl, { decision: 'allow' });
      await expect(completeSignIn(d, input(platform), { ...pending, cookies: {} }, callback)).rejects.toMatchObject({
        code: 'provider_rejected',
        status: 400,
        providerMessage: 'no sign-in session (JSESSIONID): request the login URL first',
      });
      const again = await beginSignIn(d, input(platform));
      const token = await completeSignIn(d, input(platform), again, await playUser(again.authorizeUrl, { decision: 'allow' }));
      expect(d.exchanges.at(-1)!.requestHeaders.cookie).toBe(`JSESSIONID=${again.cookies!.JSESSIONID}`);
      expect(Object.keys(token.cookies!).sort()).toEqual(['access', 'refresh']);
    });
  }

  it('fetches the user info with the access cookie', async () => {
    const token = await signIn();
    await expect(fetchUserInfo(deps(), input(), token)).resolves.toEqual({
      email: sandbox.credentials.itcode.user.email,
      name: sandbox.credentials.itcode.user.name,
      profile: expect.any(String),
      platform: 'naver',
    });
  });

  it('refresh sends the refresh cookie alone and saves both new cookies, expiry from each JWT', async () => {
    const token = await signIn();
    clock += (sandbox.lifetimes.itcodeAccess + 5) * 1000;
    const d = deps();
    const next = await refreshToken(d, input(), token);
    expect(d.exchanges).toHaveLength(1);
    expect(d.exchanges[0]!.requestHeaders.cookie).toBe(`refresh=${token.refreshToken}`);
    expect(next.accessToken).not.toBe(token.accessToken);
    expect(next.refreshToken).not.toBe(token.refreshToken);
    expect(next.cookies).toEqual({ access: next.accessToken, refresh: next.refreshToken });
    expect(next.expiresAt).toBe((decodeJwt(next.accessToken).exp as number) * 1000);
    expect(next.refreshExpiresAt).toBe((decodeJwt(next.refreshToken!).exp as number) * 1000);
    expect(next.expiresAt!).toBeGreaterThan(clock);
    // The rotated refresh cookie is the one that works now.
    clock += (sandbox.lifetimes.itcodeAccess + 5) * 1000;
    await expect(refreshToken(deps(), input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
    expect((await refreshToken(deps(), input(), next)).accessToken).not.toBe(next.accessToken);
  });

  it('an auto-login answer without Set-Cookie refreshes nothing: the current token set comes back as it was', async () => {
    const token = await signIn();
    sandbox.config.refreshNothingToDo = true;
    try {
      expect(await refreshToken(deps(), input(), token)).toBe(token);
    } finally {
      sandbox.config.refreshNothingToDo = false;
    }
  });

  it('asks for a new sign-in when the refresh cookie expired', async () => {
    const token = await signIn();
    clock += (sandbox.lifetimes.itcodeRefresh + 5) * 1000;
    await expect(refreshToken(deps(), input(), token)).rejects.toMatchObject({
      code: 'invalid_grant',
      status: 401,
      providerMessage: 'refresh token expired',
      message: 'itcode no longer accepts the sign-in (refresh token expired): sign in again.',
    });
  });

  it('revoke unlinks the account: the refresh cookie stops working', async () => {
    const token = await signIn();
    await revokeToken(deps(), input(), token);
    clock += (sandbox.lifetimes.itcodeAccess + 5) * 1000;
    await expect(refreshToken(deps(), input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('signs out remotely', async () => {
    const token = await signIn();
    await signOut(deps(), input(), token);
    expect(sandbox.counters['itcode.logout']).toBe(1);
    clock += (sandbox.lifetimes.itcodeAccess + 5) * 1000;
    await expect(refreshToken(deps(), input(), token)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('gives a re-consent URL for Naver and Kakao, and a re-consent sign-in works', async () => {
    const token = await signIn('naver');
    expect(new URL(await reconsentUrl(deps(), input(), token)).searchParams.get('auth_type')).toBe('reprompt');
    const d = deps();
    const pending = await beginReconsent(d, input(), token);
    const again = await completeSignIn(d, input(), pending, await playUser(pending.authorizeUrl, { decision: 'allow' }));
    expect(again.accessToken).not.toBe(token.accessToken);
  });

  it('has no re-consent for GitHub', async () => {
    const token = await signIn('github');
    await expect(reconsentUrl(deps(), input('github'), token)).rejects.toMatchObject({
      code: 'unsupported',
      message: 'itcode offers re-consent only for Naver and Kakao, not for github.',
    });
  });

  it('turns a denied consent into a cancelled sign-in with the provider text', async () => {
    const d = deps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, { decision: 'deny' });
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'cancelled',
      providerMessage: 'The user denied the request',
    });
  });

  it('rejects a state mismatch and a reused code', async () => {
    const d = deps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, { decision: 'allow' });
    await expect(completeSignIn(d, input(), { ...pending, state: 'other' }, callback)).rejects.toMatchObject({ code: 'state_mismatch' });
    await completeSignIn(d, input(), pending, callback);
    // The first POST ended the server session: the same sign-in cannot be completed twice.
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 400,
      providerMessage: 'no sign-in session (JSESSIONID): request the login URL first',
    });
  });

  it('reports a login answer without cookies', async () => {
    const d = deps();
    const pending = await beginSignIn(d, input());
    const callback = await playUser(pending.authorizeUrl, { decision: 'allow' });
    sandbox.faults.set('itcode.login', 'no_access_token');
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'itcode answered the authorization code exchange with a success but no "access" cookie. The raw response is shown below; check the base URL or report it to the provider.',
    });
  });
});
