import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROVIDER_IDS } from '../../../main/model/types';
import { SANDBOX_ENDPOINT_KEYS, sandboxClientPresets, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, FORM } from './support';

describe('sandbox: server', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox();
  });
  afterEach(() => sb.close());

  it('listens on 127.0.0.1 on a random port', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 404 JSON for an unknown endpoint and counts it as unmatched', async () => {
    const res = await fetch(`${sb.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    expect(sb.counters.unmatched).toBe(1);
  });

  it('records requests and resets counters', async () => {
    await fetch(`${sb.url}/public/auth/v1/oauth2/token?x=1`, { method: 'POST', headers: { ...FORM }, body: 'grant_type=client_credentials' });
    expect(sb.requests.at(-1)).toMatchObject({ key: 'daou.token', method: 'POST', query: 'x=1', body: 'grant_type=client_credentials' });
    sb.resetCounters();
    expect(sb.counters).toEqual({});
    expect(sb.requests).toEqual([]);
  });

  it('lifetimes change at runtime', async () => {
    sb.lifetimes.daouAccess = 42;
    const { clientId, clientSecret } = sb.credentials.daouoffice;
    const res = await fetch(`${sb.url}/public/auth/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(clientId, clientSecret), ...FORM },
      body: 'grant_type=client_credentials',
    });
    expect(await res.json()).toMatchObject({ expires_in: '42' });
  });

  it('takes lifetimes and config as options', async () => {
    const other = await startSandbox({ lifetimes: { podAccess: 7 }, config: { podRefreshForms: ['query'] } });
    try {
      expect(other.lifetimes.podAccess).toBe(7);
      expect(other.lifetimes.podRefresh).toBe(sb.lifetimes.podRefresh);
      expect(other.config.podRefreshForms).toEqual(['query']);
    } finally {
      await other.close();
    }
  });

  it('never writes to the console, so secrets are never logged', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level));
    try {
      const { clientId } = sb.credentials.daouoffice;
      await fetch(`${sb.url}/public/auth/v1/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic(clientId, 'a-wrong-secret'), ...FORM },
        body: 'grant_type=client_credentials',
      });
      await fetch(`${sb.url}/nope`);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('lists endpoint keys without duplicates', () => {
    expect(new Set(SANDBOX_ENDPOINT_KEYS).size).toBe(SANDBOX_ENDPOINT_KEYS.length);
  });
});

describe('sandboxClientPresets', () => {
  it('offers one ready-made client per provider, pointing at the sandbox', () => {
    const presets = sandboxClientPresets('http://127.0.0.1:5000/');
    expect(presets.map((p) => p.name)).toEqual([
      'Sandbox — Daou Office',
      'Sandbox — Hejhome',
      'Sandbox — POD Shop',
      'Sandbox — itcode (naver)',
      'Sandbox — Generic OAuth 2.0',
      'Sandbox — OAuth 2.0 with DPoP',
    ]);
    expect(new Set(presets.map((p) => p.provider))).toEqual(new Set(PROVIDER_IDS));
    expect(presets.every((p) => p.baseUrl === 'http://127.0.0.1:5000')).toBe(true);
    const generic = presets.find((p) => p.provider === 'oauth2')!;
    expect(generic.generic?.tokenUrl).toBe('http://127.0.0.1:5000/oauth2/token');
    expect(presets.find((p) => p.provider === 'itcode')!.platform).toBe('naver');
  });
});
