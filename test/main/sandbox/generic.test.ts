import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOM_FIELDS, SANDBOX_OAUTH2_PATHS as PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, FORM, hiddenValue } from './support';

const REDIRECT = 'http://127.0.0.1:61234/oauth2/callback';

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

describe('sandbox: generic RFC 6749 server', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox();
  });
  afterEach(() => sb.close());

  const creds = () => sb.credentials.oauth2;
  const auth = () => basic(creds().clientId, creds().clientSecret);
  const post = (path: string, params: Record<string, string>, headers: Record<string, string> = { authorization: auth() }) =>
    fetch(`${sb.url}${path}`, { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(params) });

  /** Runs the authorize page (login + Allow) and returns the redirect it ends with. */
  async function authorize(params: Record<string, string>, decision = 'allow'): Promise<URL> {
    const page = await fetch(`${sb.url}${PATHS.authorize}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    if (page.status === 302) return new URL(page.headers.get('location')!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<label for="username">');
    const res = await fetch(`${sb.url}${PATHS.authorize}`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ request_id: hiddenValue(html, 'request_id'), username: creds().username, password: creds().password, decision }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  function pkce(): { verifier: string; challenge: string } {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  }

  const codeRequest = (extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: creds().clientId,
    redirect_uri: REDIRECT,
    state: 'st-123',
    ...extra,
  });

  it('authorization code with PKCE S256: echoes state and exchanges the code with the right verifier', async () => {
    const { verifier, challenge } = pkce();
    const callback = await authorize(codeRequest({ code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(callback.searchParams.get('state')).toBe('st-123');
    const res = await post(PATHS.token, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const tokens = (await res.json()) as Tokens;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: sb.lifetimes.oauth2Access, refresh_token: expect.any(String) });
  });

  it('rejects a wrong code_verifier with invalid_grant', async () => {
    const { challenge } = pkce();
    const callback = await authorize(codeRequest({ code_challenge: challenge, code_challenge_method: 'S256' }));
    const res = await post(PATHS.token, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a missing code_verifier when a challenge was sent', async () => {
    const callback = await authorize(codeRequest({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    const res = await post(PATHS.token, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT });
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('redirects with invalid_request for the plain PKCE method', async () => {
    const callback = await authorize(codeRequest({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('state')).toBe('st-123');
  });

  it('shows an error page, never a redirect, for an unregistered redirect_uri', async () => {
    const res = await fetch(`${sb.url}${PATHS.authorize}?${new URLSearchParams(codeRequest({ redirect_uri: 'https://evil.example/cb' })).toString()}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const callback = await authorize(codeRequest(), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('st-123');
  });

  it('rejects a reused code and revokes the tokens it issued', async () => {
    const callback = await authorize(codeRequest());
    const params = { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT };
    const tokens = (await (await post(PATHS.token, params)).json()) as Tokens;
    const reuse = await post(PATHS.token, params);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    const info = await fetch(`${sb.url}${PATHS.userinfo}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
  });

  it('rejects a code exchange whose redirect_uri differs from the authorize request', async () => {
    const callback = await authorize(codeRequest());
    const res = await post(PATHS.token, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:61235/oauth2/callback' });
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('authenticates the client by body (client_secret_post)', async () => {
    const res = await post(PATHS.token, { grant_type: 'client_credentials', client_id: creds().clientId, client_secret: creds().clientSecret }, {});
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('rejects client credentials sent both by Basic header and in the body', async () => {
    const res = await post(PATHS.token, { grant_type: 'client_credentials', client_id: creds().clientId, client_secret: creds().clientSecret });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const res = await post(PATHS.token, { grant_type: 'client_credentials' }, { authorization: basic(creds().clientId, 'wrong') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('a public client authenticates with client_id only and must use PKCE', async () => {
    const publicId = creds().publicClientId;
    const withoutPkce = await authorize(codeRequest({ client_id: publicId }));
    expect(withoutPkce.searchParams.get('error')).toBe('invalid_request');

    const { verifier, challenge } = pkce();
    const callback = await authorize(codeRequest({ client_id: publicId, code_challenge: challenge, code_challenge_method: 'S256' }));
    const res = await post(
      PATHS.token,
      { grant_type: 'authorization_code', client_id: publicId, code: callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier },
      {},
    );
    expect(res.status).toBe(200);
  });

  it('a confidential client cannot skip authentication', async () => {
    const res = await post(PATHS.token, { grant_type: 'client_credentials', client_id: creds().clientId }, {});
    expect(res.status).toBe(401);
  });

  it('password grant checks the resource owner credentials', async () => {
    const ok = await post(PATHS.token, { grant_type: 'password', username: creds().username, password: creds().password });
    expect(((await ok.json()) as Tokens).refresh_token).toEqual(expect.any(String));
    const bad = await post(PATHS.token, { grant_type: 'password', username: creds().username, password: 'nope' });
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refresh rotates the refresh token and rejects the previous one', async () => {
    const first = (await (await post(PATHS.token, { grant_type: 'password', username: creds().username, password: creds().password })).json()) as Tokens;
    const second = (await (await post(PATHS.token, { grant_type: 'refresh_token', refresh_token: first.refresh_token! })).json()) as Tokens;
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const stale = await post(PATHS.token, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a missing and an unsupported grant_type', async () => {
    expect(await (await post(PATHS.token, {})).json()).toMatchObject({ error: 'invalid_request' });
    expect(await (await post(PATHS.token, { grant_type: 'implicit' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('the standard token endpoint rejects parameters outside a form body', async () => {
    const res = await fetch(`${sb.url}${PATHS.token}?grant_type=client_credentials`, { method: 'POST', headers: { authorization: auth() } });
    expect(res.status).toBe(400);
  });

  it('revocation (RFC 7009) of a refresh token also revokes its access tokens; unknown tokens get 200', async () => {
    const tokens = (await (await post(PATHS.token, { grant_type: 'password', username: creds().username, password: creds().password })).json()) as Tokens;
    expect((await post(PATHS.revoke, { token: tokens.refresh_token!, token_type_hint: 'refresh_token' })).status).toBe(200);
    expect((await post(PATHS.revoke, { token: 'unknown' })).status).toBe(200);
    const info = await fetch(`${sb.url}${PATHS.userinfo}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await post(PATHS.token, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })).status).toBe(400);
  });

  it('userinfo answers for a valid Bearer token', async () => {
    const tokens = (await (await post(PATHS.token, { grant_type: 'password', username: creds().username, password: creds().password })).json()) as Tokens;
    const info = await fetch(`${sb.url}${PATHS.userinfo}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toMatchObject({ sub: creds().username, client_id: creds().clientId });
  });

  it('the query-string token endpoint accepts parameters in the query and rejects a body', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
    const ok = await fetch(`${sb.url}${PATHS.queryToken}?${query}`, { method: 'POST', headers: { authorization: auth() } });
    expect(ok.status).toBe(200);
    const body = await post(PATHS.queryToken, { grant_type: 'client_credentials' });
    expect(body.status).toBe(400);
  });

  it('the custom-fields token endpoint answers with the documented field names', async () => {
    const res = await post(PATHS.customFieldsToken, { grant_type: 'password', username: creds().username, password: creds().password });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.access_token).toBeUndefined();
    expect(body[SANDBOX_CUSTOM_FIELDS.accessToken]).toEqual(expect.any(String));
    expect(body[SANDBOX_CUSTOM_FIELDS.expiresIn]).toBe(sb.lifetimes.oauth2Access);
    expect(body[SANDBOX_CUSTOM_FIELDS.refreshToken]).toEqual(expect.any(String));
  });
});
