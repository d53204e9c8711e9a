import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SignInFacts, TokenSet } from '../../../../main/model/types';
import {
  basicSignInFacts,
  refreshTokenCheck,
  scopeCheck,
  securityChecks,
  tokenBoundCheck,
  transportCheck,
} from '../../../../main/oauth/standards/security-check';

function tokenSet(over: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'opaque-access-token',
    tokenType: 'Bearer',
    expiresAt: null,
    issuedAt: 0,
    refreshToken: null,
    refreshExpiresAt: null,
    scope: null,
    cookies: null,
    raw: {},
    ...over,
  };
}

const jwt = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));

const FULL: SignInFacts = {
  pkce: 'S256',
  stateMatched: true,
  iss: 'matched',
  nonce: 'matched',
  idToken: { signature: true, claims: true, atHash: 'matched' },
  par: true,
};

describe('security check', () => {
  it('lists every check of issue #12 item 8, in order, for a fully verified OpenID sign-in over TLS', () => {
    const checks = securityChecks({
      kind: 'sign_in',
      urls: ['https://as.example/token', 'https://as.example/jwks'],
      previous: null,
      next: tokenSet({ refreshToken: 'r1', scope: 'openid api', raw: { scope: 'openid api' } }),
      requestedScope: 'openid api',
      facts: FULL,
    });
    expect(checks.map((c) => [c.id, c.outcome, c.reason])).toEqual([
      ['pkce', 'verified', 'S256'],
      ['state', 'verified', 'matched'],
      ['iss', 'verified', 'matched'],
      ['nonce', 'verified', 'matched'],
      ['id_token_signature', 'verified', 'jwks'],
      ['id_token_claims', 'verified', 'with_at_hash'],
      ['token_bound', 'unverified', 'bearer'],
      ['transport', 'verified', 'tls'],
      ['scope', 'verified', 'unchanged'],
      ['refresh_token', 'not_applicable', 'issued'],
    ]);
  });

  it('says what a plain OAuth 2.0 sign-in did not verify', () => {
    const facts = basicSignInFacts({ codeVerifier: null, state: 'abc' }, 'http://127.0.0.1:5000/cb?code=x&state=abc');
    expect(facts).toEqual({ pkce: null, stateMatched: true, iss: 'not_supported', nonce: 'not_sent', idToken: null, par: false });
    const checks = securityChecks({ kind: 'sign_in', urls: ['http://127.0.0.1:5000/token'], previous: null, next: tokenSet(), requestedScope: null, facts });
    expect(Object.fromEntries(checks.map((c) => [c.id, `${c.outcome}:${c.reason}`]))).toEqual({
      pkce: 'unverified:absent',
      state: 'verified:matched',
      iss: 'unverified:not_supported',
      nonce: 'not_applicable:no_id_token',
      id_token_signature: 'not_applicable:no_id_token',
      id_token_claims: 'not_applicable:no_id_token',
      token_bound: 'unverified:bearer',
      transport: 'verified:loopback',
      scope: 'not_applicable:not_returned',
      refresh_token: 'not_applicable:none',
    });
    expect(basicSignInFacts({ codeVerifier: 'v', state: 'abc' }, 'https://app/cb?code=x').stateMatched).toBe(false);
  });

  it('fails cleartext HTTP to any host but loopback, naming the hosts', () => {
    expect(transportCheck(['http://api.example.com/token', 'https://x/jwks', 'http://api.example.com/r'])).toEqual({
      id: 'transport',
      outcome: 'failed',
      reason: 'cleartext',
      params: { hosts: 'api.example.com' },
    });
    expect(transportCheck(['http://[::1]:8080/token']).reason).toBe('loopback');
    expect(transportCheck([]).outcome).toBe('not_applicable');
  });

  it('sees a refresh that narrows or widens the scope', () => {
    const previous = tokenSet({ scope: 'read write admin', refreshToken: 'r1' });
    const narrowed = tokenSet({ scope: 'read', raw: { scope: 'read' } });
    expect(scopeCheck({ kind: 'refresh', previous, next: narrowed, requestedScope: null })).toEqual({
      id: 'scope',
      outcome: 'unverified',
      reason: 'narrowed',
      params: { dropped: 'write admin' },
    });
    const widened = tokenSet({ scope: 'read write admin root', raw: { scope: 'read write admin root' } });
    expect(scopeCheck({ kind: 'refresh', previous, next: widened, requestedScope: null })).toMatchObject({ outcome: 'failed', reason: 'widened', params: { added: 'root' } });
    // A response without scope keeps the old one (RFC 6749 §5.1): nothing was returned to compare.
    expect(scopeCheck({ kind: 'refresh', previous, next: tokenSet({ scope: 'read write admin' }), requestedScope: null }).reason).toBe('not_returned');
    expect(scopeCheck({ kind: 'issue', previous: null, next: narrowed, requestedScope: 'read write' })).toMatchObject({ reason: 'narrowed', params: { dropped: 'write' } });
  });

  it('tells a rotated refresh token from a reused one', () => {
    const previous = tokenSet({ refreshToken: 'r1' });
    expect(refreshTokenCheck({ kind: 'refresh', previous, next: tokenSet({ refreshToken: 'r2' }) })).toMatchObject({ outcome: 'verified', reason: 'rotated' });
    expect(refreshTokenCheck({ kind: 'refresh', previous, next: tokenSet({ refreshToken: 'r1' }) })).toMatchObject({ outcome: 'unverified', reason: 'reused' });
    expect(refreshTokenCheck({ kind: 'issue', previous: null, next: tokenSet() }).reason).toBe('none');
  });

  it('sees DPoP (cnf.jkt) and mTLS (cnf.x5t#S256) bound tokens', async () => {
    const dpop = tokenSet({ tokenType: 'DPoP', accessToken: await jwt({ cnf: { jkt: 'thumb' } }) });
    expect(tokenBoundCheck(dpop)).toEqual({ id: 'token_bound', outcome: 'verified', reason: 'dpop', params: { jkt: 'thumb' } });
    const mtls = tokenSet({ accessToken: await jwt({ cnf: { 'x5t#S256': 'cert' } }) });
    expect(tokenBoundCheck(mtls)).toEqual({ id: 'token_bound', outcome: 'verified', reason: 'mtls', params: { x5t: 'cert' } });
    expect(tokenBoundCheck(tokenSet({ accessToken: await jwt({ sub: 'x' }) })).reason).toBe('bearer');
  });
});
