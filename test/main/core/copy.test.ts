import { describe, expect, it } from 'vitest';
import { authorizationHeader, copyText, curlTarget, envName } from '../../../main/core/copy';
import type { ClientConfig, TokenSet } from '../../../main/model/types';

const client = { name: "Hejhome prod", baseUrl: 'https://goqual.io' } as ClientConfig;
const token: TokenSet = {
  accessToken: "abc'def",
  tokenType: 'bearer',
  expiresAt: null,
  issuedAt: 0,
  refreshToken: null,
  refreshExpiresAt: null,
  scope: null,
  cookies: null,
  raw: null,
};

describe('copy formats', () => {
  it('produce the raw token, a header, a shell-safe curl command and a .env line', () => {
    const basic = () => 'Basic Zm9v';
    expect(copyText('raw', client, token, basic)).toBe("abc'def");
    expect(copyText('header', client, token, basic)).toBe("Authorization: Bearer abc'def");
    expect(copyText('curl', client, token, basic)).toBe(`curl -H 'Authorization: Bearer abc'\\''def' 'https://goqual.io/path'`);
    expect(copyText('env', client, token, basic)).toBe("HEJHOME_PROD_ACCESS_TOKEN=abc'def");
    expect(copyText('basic', client, null, basic)).toBe('Authorization: Basic Zm9v');
  });

  it('curl targets an endpoint the provider documents, or a /path to edit, never the bare base URL (issue #13 row 14)', () => {
    expect(curlTarget({ provider: 'hejhome', baseUrl: 'https://goqual.io/', generic: null })).toBe('https://goqual.io/path');
    expect(curlTarget({ provider: 'itcode', baseUrl: 'https://api.itcode.dev', generic: null })).toBe('https://api.itcode.dev/oauth2/api/userinfo');
    const discovered = { metadata: { fetchedAt: 0, document: { userinfo_endpoint: 'https://id.example/me' } } } as unknown as ClientConfig['generic'];
    expect(curlTarget({ provider: 'oauth2', baseUrl: 'https://id.example', generic: discovered })).toBe('https://id.example/me');
    const undiscovered = { metadata: null } as unknown as ClientConfig['generic'];
    expect(curlTarget({ provider: 'oauth2', baseUrl: 'https://api.example/v1', generic: undiscovered })).toBe('https://api.example/v1/path');
    const itcode = { ...client, provider: 'itcode', baseUrl: 'https://api.itcode.dev' } as ClientConfig;
    expect(copyText('curl', itcode, { ...token, accessToken: 'jwt', cookies: { access: 'jwt' } }, () => '')).toBe(
      `curl -H 'Cookie: access=jwt' 'https://api.itcode.dev/oauth2/api/userinfo'`,
    );
  });

  it('says what to do when there is no token yet', () => {
    expect(() => copyText('raw', client, null, () => '')).toThrow('Hejhome prod has no token yet: issue or sign in first.');
  });

  it('uses the cookie for itcode tokens, and a safe variable name for any client name', () => {
    expect(authorizationHeader({ ...token, cookies: { access: "abc'def" } })).toBe("Cookie: access=abc'def");
    expect(envName('다우 오피스')).toBe('CLIENT_ACCESS_TOKEN');
    expect(envName('pod-shop (dev)')).toBe('POD_SHOP_DEV_ACCESS_TOKEN');
  });
});
