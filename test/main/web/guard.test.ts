import { describe, expect, it } from 'vitest';
import { checkRequest, readCookie, SESSION_COOKIE, SessionKeeper } from '../../../main/web/guard';

const PORT = 40123;
const HOST = `127.0.0.1:${PORT}`;
const ORIGIN = `http://${HOST}`;

describe('checkRequest', () => {
  it('lets the page through: its own Host, its own Origin, same-origin fetches and typed addresses', () => {
    expect(checkRequest({ host: HOST }, PORT, { stateChanging: false })).toEqual({ ok: true });
    expect(checkRequest({ host: HOST, origin: ORIGIN, 'sec-fetch-site': 'same-origin' }, PORT, { stateChanging: true })).toEqual({ ok: true });
    expect(checkRequest({ host: `localhost:${PORT}`, 'sec-fetch-site': 'none' }, PORT, { stateChanging: false })).toEqual({ ok: true });
  });

  it('refuses another Host: DNS rebinding names the attacker’s host, and another port is another server', () => {
    for (const host of ['evil.example', `evil.example:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, '', `[::1]:${PORT}`]) {
      expect(checkRequest({ host }, PORT, { stateChanging: false })).toMatchObject({ ok: false, status: 400 });
    }
    expect(checkRequest({}, PORT, { stateChanging: false })).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a foreign Origin, an opaque one, and a POST without one', () => {
    for (const origin of ['http://evil.example', `https://${HOST}`, `http://127.0.0.1:${PORT + 1}`, 'null']) {
      expect(checkRequest({ host: HOST, origin }, PORT, { stateChanging: false })).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkRequest({ host: HOST }, PORT, { stateChanging: true })).toEqual({
      ok: false,
      status: 403,
      reason: 'a request that changes something must name its Origin',
    });
  });

  it('refuses same-site and cross-site fetches (another port of 127.0.0.1 is the same site)', () => {
    for (const site of ['same-site', 'cross-site']) {
      expect(checkRequest({ host: HOST, 'sec-fetch-site': site }, PORT, { stateChanging: false })).toMatchObject({ ok: false, status: 403 });
    }
  });
});

describe('SessionKeeper', () => {
  it('trades a 256-bit URL token once for a session, and knows the session by its cookie', () => {
    const keeper = new SessionKeeper();
    expect(Buffer.from(keeper.urlToken, 'base64url')).toHaveLength(32);
    expect(keeper.exchange('wrong')).toBeNull();
    const session = keeper.exchange(keeper.urlToken);
    expect(session).toMatch(/^[\w-]{43}$/);
    expect(keeper.exchange(keeper.urlToken)).toBeNull();
    expect(keeper.isSession(`other=1; ${SESSION_COOKIE}=${session}`)).toBe(true);
    expect(keeper.isSession(`${SESSION_COOKIE}=${session}x`)).toBe(false);
    expect(keeper.isSession(undefined)).toBe(false);
  });

  it('a wrong guess does not use up the token', () => {
    const keeper = new SessionKeeper();
    expect(keeper.exchange(keeper.urlToken.slice(1))).toBeNull();
    expect(keeper.exchange(keeper.urlToken)).not.toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole site', () => {
    expect(SessionKeeper.cookie('abc')).toBe(`${SESSION_COOKIE}=abc; HttpOnly; SameSite=Strict; Path=/`);
  });
});

describe('readCookie', () => {
  it('finds one cookie among several, by exact name', () => {
    expect(readCookie('a=1; tokendesk_session=xyz; b=2', 'tokendesk_session')).toBe('xyz');
    expect(readCookie('xtokendesk_session=1', 'tokendesk_session')).toBeNull();
  });
});
