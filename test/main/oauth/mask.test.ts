import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../main/model/types';
import { maskAuthorization, maskExchange, maskSecret, maskSecretFields } from '../../../main/oauth/mask';

function exchange(over: Partial<Exchange> = {}): Exchange {
  return {
    id: 'x',
    clientId: 'c',
    startedAt: 0,
    durationMs: 1,
    method: 'POST',
    url: 'https://example.test/token',
    requestHeaders: {},
    requestBody: null,
    status: 200,
    responseHeaders: {},
    responseBody: null,
    error: null,
    ...over,
  };
}

describe('maskSecret', () => {
  it('shows four characters at each end of a long value', () => {
    expect(maskSecret('eyJhbGciOiJIUzI1NiJ9.payload.sig9x9Q')).toBe('eyJh…9x9Q');
  });
  it('hides a short value entirely', () => {
    expect(maskSecret('abc')).toBe('••••');
    expect(maskSecret('0123456789abcde')).toBe('••••');
  });
  it('never shows more than 8 characters of the value', () => {
    for (const length of [1, 8, 9, 15, 16, 17, 64]) {
      const value = 'a'.repeat(length);
      expect(maskSecret(value).replace(/[•…]/g, '').length).toBeLessThanOrEqual(Math.min(8, length - 1));
    }
  });
});

describe('maskAuthorization', () => {
  it('keeps the scheme and hides a Basic value entirely', () => {
    expect(maskAuthorization('Basic Y2xpZW50SWQ6Y2xpZW50U2VjcmV0')).toBe('Basic ••••');
  });
  it('keeps the scheme and the ends of a Bearer token', () => {
    expect(maskAuthorization('Bearer eyJhbGciOiJIUzI1NiJ9.e30.abcx9Qz')).toBe('Bearer eyJh…x9Qz');
  });
});

describe('maskSecretFields', () => {
  it('masks the secret fields of a query string and keeps the others', () => {
    const url = 'https://goqual.io/oauth/token?grant_type=authorization_code&code=WIdIxz&redirect_uri=https://example-app.com/redirect';
    expect(maskSecretFields(url)).toBe(
      'https://goqual.io/oauth/token?grant_type=authorization_code&code=••••&redirect_uri=https://example-app.com/redirect',
    );
  });
  it('masks form body fields', () => {
    expect(maskSecretFields('grant_type=refresh_token&refresh_token=9f93b550-4392-aaaa-b9cd-d50c999&client_secret=s3cr3t')).toBe(
      'grant_type=refresh_token&refresh_token=9f93…c999&client_secret=••••',
    );
    expect(maskSecretFields('refreshToken=abcdefghijklmnopqrstuvwxyz')).toBe('refreshToken=abcd…wxyz');
  });
  it('masks JSON fields, also in malformed JSON', () => {
    const body = '{ "access_token" : "eyJhbGciOiJIUzI1NiJ9.long.payload", "expires_in": 86400, "access_token" : "short", }';
    expect(maskSecretFields(body)).toBe('{ "access_token" : "eyJh…load", "expires_in": 86400, "access_token" : "••••", }');
  });
  it('keeps Daou\'s status-like error code', () => {
    expect(maskSecretFields('{"code":"401","message":"invalid_client"}')).toBe('{"code":"401","message":"invalid_client"}');
  });
});

describe('maskExchange', () => {
  it('masks headers, cookies, URL, bodies and known secrets anywhere', () => {
    const masked = maskExchange(
      exchange({
        url: 'https://api.test/cb?code=abc123&state=xyz',
        requestHeaders: { authorization: 'Basic Zm9vOmJhcg==', cookie: 'access=eyJhbGciOiJIUzI1NiJ9.aaaa.bbbb; refresh=r', 'x-note': 'my-client-secret-value' },
        requestBody: 'grant_type=password&username=u&password=hunter2&scope=read',
        responseHeaders: { 'set-cookie': ['access=eyJhbGciOiJIUzI1NiJ9.aaaa.bbbb; Path=/; HttpOnly', 'refresh=; Max-Age=0'] },
        responseBody: '{"id_token":"tok","echo":"my-client-secret-value"}',
        error: 'failed with my-client-secret-value',
      }),
      ['my-client-secret-value'],
    );
    expect(masked.url).toBe('https://api.test/cb?code=••••&state=xyz');
    expect(masked.requestHeaders.authorization).toBe('Basic ••••');
    expect(masked.requestHeaders.cookie).toBe('access=eyJh…bbbb; refresh=••••');
    expect(masked.requestHeaders['x-note']).toBe('my-c…alue');
    expect(masked.requestBody).toBe('grant_type=password&username=u&password=••••&scope=read');
    expect(masked.responseHeaders['set-cookie']).toEqual(['access=eyJh…bbbb; Path=/; HttpOnly', 'refresh=; Max-Age=0']);
    expect(masked.responseBody).toBe('{"id_token":"••••","echo":"my-c…alue"}');
    expect(masked.error).toBe('failed with my-c…alue');
  });
  it('masks a known secret in its URL-encoded form', () => {
    const masked = maskExchange(exchange({ requestBody: 'x=a%2Bb%3Dc%26d-long-secret' }), ['a+b=c&d-long-secret']);
    expect(masked.requestBody).toBe('x=a+b=…cret');
  });
  it('does not change the input', () => {
    const ex = exchange({ requestHeaders: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } });
    maskExchange(ex, []);
    expect(ex.requestHeaders.authorization).toBe('Bearer abcdefghijklmnopqrstuvwxyz');
  });
});
