import { describe, expect, it } from 'vitest';
import { isLoopbackRedirect, matchesRedirect, parseCallback } from '../../../main/oauth/redirect';

describe('matchesRedirect', () => {
  it('matches the same scheme, host, port and path whatever the query', () => {
    expect(matchesRedirect('https://example-app.com/redirect?code=WIdIxz', 'https://example-app.com/redirect')).toBe(true);
    expect(matchesRedirect('https://example-app.com:443/redirect?code=1', 'https://example-app.com/redirect')).toBe(true);
    expect(matchesRedirect('https://project.itcode.dev/oauth2/callback?platform=naver&code=1', 'https://project.itcode.dev/oauth2/callback?platform=naver')).toBe(true);
  });
  it('rejects another scheme, host, port or path', () => {
    const registered = 'https://example-app.com/redirect';
    expect(matchesRedirect('http://example-app.com/redirect?code=1', registered)).toBe(false);
    expect(matchesRedirect('https://evil.test/redirect?code=1', registered)).toBe(false);
    expect(matchesRedirect('https://example-app.com:8443/redirect?code=1', registered)).toBe(false);
    expect(matchesRedirect('https://example-app.com/redirect/other?code=1', registered)).toBe(false);
    expect(matchesRedirect('https://example-app.com.evil.test/redirect', registered)).toBe(false);
  });
  it('matches any port on a loopback redirect (RFC 8252 §7.3)', () => {
    expect(matchesRedirect('http://127.0.0.1:53121/cb?code=1', 'http://127.0.0.1/cb')).toBe(true);
    expect(matchesRedirect('http://127.0.0.1:53121/cb?code=1', 'http://127.0.0.1:47823/cb')).toBe(true);
    expect(matchesRedirect('http://[::1]:8080/cb?code=1', 'http://[::1]/cb')).toBe(true);
    expect(matchesRedirect('http://localhost:9/cb', 'http://localhost:8/cb')).toBe(true);
    expect(matchesRedirect('http://127.0.0.1:53121/other', 'http://127.0.0.1/cb')).toBe(false);
    expect(matchesRedirect('https://127.0.0.1:53121/cb', 'http://127.0.0.1/cb')).toBe(false);
  });
  it('is false for text that is not a URL', () => {
    expect(matchesRedirect('not a url', 'http://127.0.0.1/cb')).toBe(false);
    expect(matchesRedirect('http://127.0.0.1/cb', '')).toBe(false);
  });
});

describe('isLoopbackRedirect', () => {
  it('knows the three loopback hosts over http', () => {
    expect(isLoopbackRedirect('http://127.0.0.1:47823/hejhome/callback')).toBe(true);
    expect(isLoopbackRedirect('http://[::1]/cb')).toBe(true);
    expect(isLoopbackRedirect('http://localhost/cb')).toBe(true);
    expect(isLoopbackRedirect('https://127.0.0.1/cb')).toBe(false);
    expect(isLoopbackRedirect('https://tokendesk.dev/cb')).toBe(false);
    expect(isLoopbackRedirect('nonsense')).toBe(false);
  });
});

describe('parseCallback', () => {
  it('reads code and state', () => {
    expect(parseCallback('https://example-app.com/redirect?code=WIdIxz&state=s%2B1')).toEqual({
      code: 'WIdIxz',
      state: 's+1',
      error: null,
      errorDescription: null,
    });
  });
  it('reads an error with its description (RFC 6749 §4.1.2.1)', () => {
    expect(parseCallback('http://127.0.0.1/cb?error=access_denied&error_description=The+user+denied&state=s')).toEqual({
      code: null,
      state: 's',
      error: 'access_denied',
      errorDescription: 'The user denied',
    });
  });
  it('reads a fragment response', () => {
    expect(parseCallback('http://127.0.0.1/cb#code=c&state=s').code).toBe('c');
  });
  it('gives nulls for empty values and for text that is not a URL', () => {
    expect(parseCallback('http://127.0.0.1/cb?code=&state=')).toEqual({ code: null, state: null, error: null, errorDescription: null });
    expect(parseCallback('code=abc')).toEqual({ code: null, state: null, error: null, errorDescription: null });
  });
  it('decodes Korean descriptions', () => {
    expect(parseCallback('http://x.test/cb?error=server_error&error_description=%EC%98%A4%EB%A5%98').errorDescription).toBe('오류');
  });
});
