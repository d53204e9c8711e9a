/** itcode.dev over real HTTP against the sandbox (PROVIDERS.md §4): cookie JWTs. */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItcodePlatform, TokenSet } from '../../../main/core/types';
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
  });

  it('fetches the user info with the access cookie', async () => {
    const token = await signIn();
    await expect(fetchUserInfo(deps(), input(), token)).resolves.toEqual({
      email: sandbox.credentials.itcode.user.email,
      name: sandbox.credentials.itcode.user.name,
      profile: expect.any(String),
      platform: 'naver',
    });
  });

  it('auto login keeps the current token while the access cookie is valid', async () => {
    const token = await signIn();
    const d = deps();
    expect(await refreshToken(d, input(), token)).toBe(token);
    expect(d.exchanges.at(-1)!.requestHeaders.cookie).toBe(`access=${token.accessToken}; refresh=${token.refreshToken}`);
  });

  it('auto login brings a new access token once the old one expired', async () => {
    const token = await signIn();
    clock += (sandbox.lifetimes.itcodeAccess + 5) * 1000;
    const next = await refreshToken(deps(), input(), token);
    expect(next.accessToken).not.toBe(token.accessToken);
    expect(next.refreshToken).toBe(token.refreshToken);
    expect(next.expiresAt).toBe((decodeJwt(next.accessToken).exp as number) * 1000);
    expect(next.expiresAt!).toBeGreaterThan(clock);
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
    await expect(completeSignIn(d, input(), pending, callback)).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 400,
      providerMessage: 'invalid state',
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
