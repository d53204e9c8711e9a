import { describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import type { TokenSet } from '../../../main/model/types';
import { parseSeconds, processCookieTokenResponse, processTokenResponse } from '../../../main/oauth/normalize';
import type { ResponseContext, ResponseLike } from '../../../main/oauth/provider-errors';

const NOW = Date.UTC(2025, 0, 1);
const ctx: ResponseContext = { provider: 'Daou Office', action: 'issue' };

function res(status: number, body: string, headers: Record<string, string | string[]> = { 'content-type': 'application/json' }): ResponseLike {
  return { status, headers, body };
}

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(claims)}.c2ln`;
}

function caught(fn: () => unknown): TokenDeskError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenDeskError) return error;
    throw error;
  }
  throw new Error('expected a TokenDeskError');
}

describe('processTokenResponse', () => {
  it('gives the same expiry for expires_in as a number and as a numeric string', () => {
    const a = processTokenResponse(res(200, '{"access_token":"a","token_type":"bearer","expires_in":86400}'), ctx, { now: NOW });
    const b = processTokenResponse(res(200, '{"access_token":"a","token_type":"bearer","expires_in":"86400"}'), ctx, { now: NOW });
    expect(a.expiresAt).toBe(NOW + 86_400_000);
    expect(b.expiresAt).toBe(a.expiresAt);
    expect(a.tokenType).toBe('bearer');
  });

  it('has no expiry when expires_in is absent and the token is not a JWT', () => {
    expect(processTokenResponse(res(200, '{"access_token":"opaque"}'), ctx, { now: NOW }).expiresAt).toBeNull();
  });

  it('takes the expiry from the JWT exp claim when expires_in is absent', () => {
    const token = jwt({ exp: NOW / 1000 + 600 });
    expect(processTokenResponse(res(200, JSON.stringify({ access_token: token })), ctx, { now: NOW }).expiresAt).toBe(NOW + 600_000);
  });

  it('reads refresh_expires_in, and custom field names', () => {
    const pod = processTokenResponse(
      res(200, '{"access_token":"a","expires_in":3599,"refresh_token":"r","refresh_expires_in":1209599}'),
      ctx,
      { now: NOW },
    );
    expect(pod.refreshExpiresAt).toBe(NOW + 1_209_599_000);
    const custom = processTokenResponse(
      res(200, '{"accessToken":"a","expiresIn":"60","refreshToken":"r","tokenType":"Bearer","scope":"x y"}'),
      ctx,
      { now: NOW, fields: { accessToken: 'accessToken', expiresIn: 'expiresIn', refreshToken: 'refreshToken', tokenType: 'tokenType' } },
    );
    expect(custom).toMatchObject({ accessToken: 'a', expiresAt: NOW + 60_000, refreshToken: 'r', scope: 'x y' });
  });

  it('keeps the old refresh token when a refresh response omits it (RFC 6749 §6)', () => {
    const previous = { refreshToken: 'old', refreshExpiresAt: NOW + 5 } as TokenSet;
    const next = processTokenResponse(res(200, '{"access_token":"a2"}'), ctx, { now: NOW, previous });
    expect(next.refreshToken).toBe('old');
    expect(next.refreshExpiresAt).toBe(NOW + 5);
  });

  it('keeps the newest refresh token when a refresh rotates it, with the preset lifetime', () => {
    const previous = { refreshToken: 'old', refreshExpiresAt: NOW + 5 } as TokenSet;
    const next = processTokenResponse(res(200, '{"access_token":"a2","refresh_token":"new"}'), ctx, {
      now: NOW,
      previous,
      refreshLifetimeSeconds: 360 * 86_400,
    });
    expect(next.refreshToken).toBe('new');
    expect(next.refreshExpiresAt).toBe(NOW + 360 * 86_400_000);
  });

  it('a refresh token handed back unchanged keeps its expiry; refresh_expires_in, when sent, still wins', () => {
    const previous = { refreshToken: 'same', refreshExpiresAt: NOW + 5 } as TokenSet;
    const kept = processTokenResponse(res(200, '{"access_token":"a2","refresh_token":"same"}'), ctx, { now: NOW, previous, refreshLifetimeSeconds: 60 });
    expect(kept.refreshExpiresAt).toBe(NOW + 5);
    const generic = processTokenResponse(res(200, '{"access_token":"a2","refresh_token":"same"}'), ctx, { now: NOW, previous });
    expect(generic.refreshExpiresAt).toBe(NOW + 5);
    const told = processTokenResponse(res(200, '{"access_token":"a2","refresh_token":"same","refresh_expires_in":9}'), ctx, { now: NOW, previous });
    expect(told.refreshExpiresAt).toBe(NOW + 9000);
  });

  it('turns a body that is not JSON into a clear error carrying the raw body', () => {
    const malformed = '{\n"token_type" : "bearer",\n"expires_in" : 86400,\n"access_token" : "eyJ..."\n"expires_in" : 86400,\n}';
    const error = caught(() => processTokenResponse(res(200, malformed), ctx, { now: NOW }));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toBe(
      'Daou Office answered the token request with a body that is not valid JSON. The raw response is shown below; check the base URL or report it to the provider.',
    );
    expect(error.rawBody).toBe(malformed);
  });

  it("shows Daou's error body as the provider wrote it", () => {
    const body = '{ "code": "401", "message": "invalid_client", "messageDetail": "연동ID(clientId)를 확인하세요" }';
    const error = caught(() => processTokenResponse(res(401, body), ctx, { now: NOW }));
    expect(error.code).toBe('provider_rejected');
    expect(error.status).toBe(401);
    expect(error.providerMessage).toBe('연동ID(clientId)를 확인하세요');
    expect(error.message).toBe(
      'Daou Office rejected the token request (HTTP 401) with "invalid_client": 연동ID(clientId)를 확인하세요. Check the client ID and client secret.',
    );
    expect(error.rawBody).toBe(body);
  });

  it("reads Daou's message from its own malformed error sample", () => {
    const body = '{\n"code" : "401",\n"message" : "invalid_client",\n"messageDetail" : "연동ID(clientId)를 확인하세요"\n"message" : "invalid_client",\n}';
    const error = caught(() => processTokenResponse(res(401, body), ctx, { now: NOW }));
    expect(error.providerMessage).toBe('연동ID(clientId)를 확인하세요');
    expect(error.rawBody).toBe(body);
  });

  it('maps an RFC 6749 §5.2 invalid_grant to invalid_grant with its description and uri', () => {
    const error = caught(() =>
      processTokenResponse(
        res(400, '{"error":"invalid_grant","error_description":"Refresh token expired","error_uri":"https://x.test/e"}'),
        { provider: 'Hejhome', action: 'refresh' },
        { now: NOW },
      ),
    );
    expect(error.code).toBe('invalid_grant');
    expect(error.providerMessage).toBe('Refresh token expired');
    expect(error.message).toBe(
      'Hejhome rejected the token refresh (HTTP 400) with "invalid_grant": Refresh token expired (see https://x.test/e). The refresh token is no longer valid: sign in again.',
    );
  });

  it('reports an HTML error page as such, keeping the raw page', () => {
    const page = '<!doctype html><html><head><title>Hejhome</title></head><body><p class="error">redirect_uri가 일치하지 않습니다.</p></body></html>';
    const error = caught(() =>
      processTokenResponse(res(500, page, { 'content-type': 'text/html; charset=utf-8' }), { provider: 'Hejhome', action: 'exchange' }, { now: NOW }),
    );
    expect(error.code).toBe('provider_rejected');
    expect(error.message).toBe(
      'Hejhome answered the authorization code exchange with an HTML page (HTTP 500) instead of data. The provider had a problem: try again later.',
    );
    expect(error.providerMessage).toBe('redirect_uri가 일치하지 않습니다.');
    expect(error.rawBody).toBe(page);
    const ok = caught(() => processTokenResponse(res(200, page, { 'content-type': 'text/html' }), ctx, { now: NOW }));
    expect(ok.code).toBe('invalid_response');
    expect(ok.message).toContain('with an HTML page instead of data. Check the base URL.');
  });

  it('rejects a 200 without an access token', () => {
    const error = caught(() => processTokenResponse(res(200, '{"token_type":"bearer","expires_in":86400}'), ctx, { now: NOW }));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toBe(
      'Daou Office answered the token request with a success status but no access token (no "access_token" field). The raw response is shown below; check the base URL or report it to the provider.',
    );
  });

  it('reports a 401 without a recognised body with its status', () => {
    const error = caught(() => processTokenResponse(res(401, '', {}), ctx, { now: NOW }));
    expect(error.code).toBe('provider_rejected');
    expect(error.status).toBe(401);
    expect(error.message).toBe('Daou Office rejected the token request (HTTP 401). Check the client ID and client secret.');
  });

  it("reports itcode's flag:false envelope", () => {
    const error = caught(() =>
      processTokenResponse(res(200, '{"flag":false,"title":"fail","message":"invalid state","body":null}'), { provider: 'itcode', action: 'exchange' }, { now: NOW }),
    );
    expect(error.code).toBe('provider_rejected');
    expect(error.providerMessage).toBe('invalid state');
  });
});

describe('parseSeconds', () => {
  it('reads numbers and numeric strings only', () => {
    expect(parseSeconds(3599)).toBe(3599);
    expect(parseSeconds(' 86400 ')).toBe(86400);
    expect(parseSeconds('soon')).toBeNull();
    expect(parseSeconds(-1)).toBeNull();
    expect(parseSeconds(undefined)).toBeNull();
  });
});

describe('processCookieTokenResponse (itcode)', () => {
  it('takes both tokens from Set-Cookie with expiries from their exp claims', () => {
    const access = jwt({ exp: NOW / 1000 + 180 });
    const refresh = jwt({ exp: NOW / 1000 + 1800 });
    const token = processCookieTokenResponse(
      res(200, '{"flag":true,"title":"success","message":"ok","body":null}', {
        'content-type': 'application/json',
        'set-cookie': [`access=${access}; Path=/; HttpOnly`, `refresh=${refresh}; Path=/; HttpOnly`],
      }),
      { provider: 'itcode', action: 'exchange' },
      { now: NOW },
    );
    expect(token).toMatchObject({
      accessToken: access,
      refreshToken: refresh,
      expiresAt: NOW + 180_000,
      refreshExpiresAt: NOW + 1_800_000,
      cookies: { access, refresh },
    });
  });

  it('returns null when no access cookie was set (nothing changed)', () => {
    expect(
      processCookieTokenResponse(res(200, '{"flag":true,"body":null}'), { provider: 'itcode', action: 'refresh' }, { now: NOW }),
    ).toBeNull();
  });
});

describe('lifetimes a provider sends (issue #11, row 4)', () => {
  it.each([
    ['1e20', '"expires_in": 100000000000000000000'],
    ['-5', '"expires_in": -5'],
    ['0', '"expires_in": 0'],
    ['"-1"', '"expires_in": "-1"'],
    ['316224001', '"expires_in": 316224001'],
  ])('reports expires_in %s as the provider error it is, quoting the value', (raw, quoted) => {
    const body = `{"access_token":"a","expires_in":${raw}}`;
    const error = caught(() => processTokenResponse(res(200, body), ctx, { now: NOW }));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toBe(
      `Daou Office answered the token request with ${quoted}, which is not a lifetime TokenDesk can use (it must be more than 0 seconds and at most 10 years). The raw response is shown below; check the base URL or report it to the provider.`,
    );
    expect(error.rawBody).toBe(body);
  });

  it('checks refresh_expires_in the same way', () => {
    const error = caught(() =>
      processTokenResponse(res(200, '{"access_token":"a","expires_in":60,"refresh_token":"r","refresh_expires_in":1e300}'), ctx, { now: NOW }),
    );
    expect(error.message).toContain('"refresh_expires_in": 1e+300, which is not a lifetime');
  });

  it('keeps ten years, and reads refresh_expires_in 0 as no stated expiry (Keycloak offline tokens)', () => {
    const tenYears = 10 * 365 * 86_400;
    const token = processTokenResponse(
      res(200, `{"access_token":"a","expires_in":${tenYears},"refresh_token":"r","refresh_expires_in":0}`),
      ctx,
      { now: NOW },
    );
    expect(token.expiresAt).toBe(NOW + tenYears * 1000);
    expect(token.refreshExpiresAt).toBeNull();
  });

  it('ignores a JWT exp no date can hold', () => {
    const token = processTokenResponse(res(200, JSON.stringify({ access_token: jwt({ exp: 1e20 }) })), ctx, { now: NOW });
    expect(token.expiresAt).toBeNull();
  });
});
