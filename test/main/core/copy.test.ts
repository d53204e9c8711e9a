import { describe, expect, it } from 'vitest';
import { authorizationHeader, copyText, envName } from '../../../main/core/copy';
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
    expect(copyText('curl', client, token, basic)).toBe(`curl -H 'Authorization: Bearer abc'\\''def' 'https://goqual.io'`);
    expect(copyText('env', client, token, basic)).toBe("HEJHOME_PROD_ACCESS_TOKEN=abc'def");
    expect(copyText('basic', client, null, basic)).toBe('Authorization: Basic Zm9v');
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
