import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_API_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, FORM } from './support';

interface PodTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

describe('sandbox: POD Shop', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox();
  });
  afterEach(() => sb.close());

  const auth = () => basic(sb.credentials.podshop.clientId, sb.credentials.podshop.clientSecret);
  const issue = () => fetch(`${sb.url}/ac/oauth/ext/token`, { method: 'POST', headers: { authorization: auth() } });
  const refreshBody = (refreshToken: string) =>
    fetch(`${sb.url}/ac/oauth/ext/token/refresh`, {
      method: 'POST',
      headers: { authorization: auth(), ...FORM },
      body: new URLSearchParams({ refreshToken }),
    });
  const refreshQuery = (refreshToken: string, id: string = sb.credentials.podshop.clientId) =>
    fetch(`${sb.url}/ac/oauth/external/${id}/refresh?refreshToken=${encodeURIComponent(refreshToken)}`, {
      method: 'POST',
      headers: { authorization: auth() },
    });

  it('issues tokens for the Basic header alone, with every documented field', async () => {
    const res = await issue();
    expect(res.status).toBe(200);
    const body = (await res.json()) as PodTokens;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: sb.lifetimes.podAccess, refresh_expires_in: sb.lifetimes.podRefresh });
    expect(body.access_token).toEqual(expect.any(String));
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(sb.counters['pod.token']).toBe(1);
  });

  it('answers 401 for missing or wrong Basic credentials', async () => {
    expect((await fetch(`${sb.url}/ac/oauth/ext/token`, { method: 'POST' })).status).toBe(401);
    const wrong = await fetch(`${sb.url}/ac/oauth/ext/token`, {
      method: 'POST',
      headers: { authorization: basic(sb.credentials.podshop.clientId, 'wrong') },
    });
    expect(wrong.status).toBe(401);
  });

  it('rejects a token request that sends a grant_type body', async () => {
    const res = await fetch(`${sb.url}/ac/oauth/ext/token`, {
      method: 'POST',
      headers: { authorization: auth(), ...FORM },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(400);
  });

  it('refreshes with refreshToken in the form body (the table form) and rotates', async () => {
    const first = (await (await issue()).json()) as PodTokens;
    const res = await refreshBody(first.refresh_token);
    expect(res.status).toBe(200);
    const second = (await res.json()) as PodTokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await refreshBody(first.refresh_token)).status).toBe(401);
    expect(sb.counters['pod.refresh']).toBe(2);
  });

  it('refreshes with refreshToken in the query string on /external/{id}/refresh (the curl form)', async () => {
    const first = (await (await issue()).json()) as PodTokens;
    const res = await refreshQuery(first.refresh_token);
    expect(res.status).toBe(200);
    expect((await refreshQuery(first.refresh_token)).status).toBe(401);
    expect(sb.counters['pod.refresh.query']).toBe(2);
  });

  it('the table form does not read refreshToken from the query string', async () => {
    const first = (await (await issue()).json()) as PodTokens;
    const res = await fetch(`${sb.url}/ac/oauth/ext/token/refresh?refreshToken=${encodeURIComponent(first.refresh_token)}`, {
      method: 'POST',
      headers: { authorization: auth() },
    });
    expect(res.status).toBe(400);
  });

  it('a server configured for the body form only answers 404 to the query form', async () => {
    sb.config.podRefreshForms = ['body'];
    const first = (await (await issue()).json()) as PodTokens;
    expect((await refreshQuery(first.refresh_token)).status).toBe(404);
    expect((await refreshBody(first.refresh_token)).status).toBe(200);
  });

  it('a server configured for the query form only answers 404 to the body form', async () => {
    const only = await startSandbox({ config: { podRefreshForms: ['query'] } });
    try {
      const headers = { authorization: auth() };
      const first = (await (await fetch(`${only.url}/ac/oauth/ext/token`, { method: 'POST', headers })).json()) as PodTokens;
      const body = await fetch(`${only.url}/ac/oauth/ext/token/refresh`, {
        method: 'POST',
        headers: { ...headers, ...FORM },
        body: new URLSearchParams({ refreshToken: first.refresh_token }),
      });
      expect(body.status).toBe(404);
      const query = await fetch(`${only.url}/ac/oauth/external/${only.credentials.podshop.clientId}/refresh?refreshToken=${encodeURIComponent(first.refresh_token)}`, {
        method: 'POST',
        headers,
      });
      expect(query.status).toBe(200);
    } finally {
      await only.close();
    }
  });

  it('the query form rejects a path id that is not the client id', async () => {
    const first = (await (await issue()).json()) as PodTokens;
    expect((await refreshQuery(first.refresh_token, 'someone-else')).status).toBe(401);
  });

  it('the Admin API accepts plain Basic and the Bearer token', async () => {
    const api = `${sb.url}${SANDBOX_API_PATHS.podshop}`;
    expect((await fetch(api, { headers: { authorization: auth() } })).status).toBe(200);
    const { access_token: accessToken } = (await (await issue()).json()) as PodTokens;
    const bearer = await fetch(api, { headers: { authorization: `bearer ${accessToken}` } });
    expect(await bearer.json()).toMatchObject({ auth: 'bearer' });
    expect((await fetch(api)).status).toBe(401);
  });
});
