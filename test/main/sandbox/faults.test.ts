import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MALFORMED_JSON_BODY, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, FORM } from './support';

describe('sandbox: fault injection', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox();
  });
  afterEach(() => sb.close());

  const daouToken = (init: RequestInit = {}) =>
    fetch(`${sb.url}/public/auth/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(sb.credentials.daouoffice.clientId, sb.credentials.daouoffice.clientSecret), ...FORM },
      body: 'grant_type=client_credentials',
      ...init,
    });
  const podToken = () =>
    fetch(`${sb.url}/ac/oauth/ext/token`, {
      method: 'POST',
      headers: { authorization: basic(sb.credentials.podshop.clientId, sb.credentials.podshop.clientSecret) },
    });

  it('latency delays the normal answer', async () => {
    sb.faults.next('latency', { ms: 150 });
    const started = performance.now();
    const res = await daouToken();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it('status5xx answers 503 with a body', async () => {
    sb.faults.next('status5xx');
    const res = await daouToken();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await daouToken()).status).toBe(200);
  });

  it('malformed_json answers 200 with a body that is not JSON, like the docs samples', async () => {
    sb.faults.next('malformed_json');
    const res = await daouToken();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(MALFORMED_JSON_BODY);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('html_error answers an HTML page, with status 500 or a chosen status such as 200', async () => {
    sb.faults.next('html_error');
    const res = await daouToken();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    sb.faults.next('html_error', { status: 200 });
    const ok = await daouToken();
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<!doctype html>');
  });

  it('reset destroys the connection', async () => {
    sb.faults.next('reset');
    await expect(daouToken()).rejects.toThrow();
    expect((await daouToken()).status).toBe(200);
  });

  it('no_access_token answers 200 JSON without access_token', async () => {
    sb.faults.next('no_access_token');
    const res = await daouToken();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.access_token).toBeUndefined();
  });

  it('no_access_token on itcode is a success envelope without cookies', async () => {
    sb.faults.set('itcode.login', 'no_access_token');
    const res = await fetch(`${sb.url}/oauth2/api/login/naver`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toMatchObject({ flag: true });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('hang never answers, so the client times out; close() still returns', async () => {
    sb.faults.next('hang');
    await expect(daouToken({ signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|aborted/i);
    sb.faults.set('daou', 'hang');
    const pending = daouToken().catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sb.close();
    expect(await pending).toBe('closed');
  });

  it('set targets an endpoint key, its dotted children, and only as many times as asked', async () => {
    sb.faults.set('pod', 'status5xx', { times: 2 });
    expect((await daouToken()).status).toBe(200);
    expect((await podToken()).status).toBe(503);
    expect((await podToken()).status).toBe(503);
    expect((await podToken()).status).toBe(200);
  });

  it('set targets a path prefix', async () => {
    sb.faults.set('/ac/oauth/', 'status5xx', { status: 502 });
    expect((await podToken()).status).toBe(502);
    expect((await podToken()).status).toBe(502);
    sb.faults.clear();
    expect((await podToken()).status).toBe(200);
  });

  it('afterHandler lets the endpoint rotate the refresh token and then loses the answer', async () => {
    const first = (await (await podToken()).json()) as { refresh_token: string };
    const refresh = () =>
      fetch(`${sb.url}/ac/oauth/ext/token/refresh`, {
        method: 'POST',
        headers: { authorization: basic(sb.credentials.podshop.clientId, sb.credentials.podshop.clientSecret), ...FORM },
        body: new URLSearchParams({ refreshToken: first.refresh_token }),
      });
    sb.faults.next('reset', { afterHandler: true });
    await expect(refresh()).rejects.toThrow();
    expect((await refresh()).status).toBe(401);
  });

  it('counts requests per endpoint key even when a fault answers', async () => {
    sb.faults.next('status5xx');
    await daouToken();
    await daouToken();
    expect(sb.counters['daou.token']).toBe(2);
  });

  it('rejects unknown fault kinds and non-positive times', () => {
    expect(() => sb.faults.next('explode' as never)).toThrow(TypeError);
    expect(() => sb.faults.set('pod', 'reset', { times: 0 })).toThrow(RangeError);
  });
});
