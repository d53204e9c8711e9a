import { describe, expect, it } from 'vitest';
import { ExchangeHolds, signInRefusal, tokenExchangeOf } from '../../../main/core/exchange-hold';
import { TokenDeskError } from '../../../main/model/errors';
import type { Exchange, SecurityCheck } from '../../../main/model/types';

function exchange(clientId: string, url: string, body: string | null, status: number | null = 200): Exchange {
  return {
    id: `${url}#${body}`,
    clientId,
    startedAt: 0,
    durationMs: 1,
    method: 'POST',
    url,
    requestHeaders: {},
    requestBody: body,
    status,
    responseHeaders: {},
    responseBody: '{}',
    error: null,
  };
}

const CHECK: SecurityCheck[] = [{ id: 'transport', outcome: 'verified', reason: 'tls' }];

describe('ExchangeHolds', () => {
  it('records a held client’s exchanges after its operation, the token exchange with its check; others at once', async () => {
    const recorded: Exchange[] = [];
    const holds = new ExchangeHolds((e) => recorded.push(e));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = holds.run(
      'a',
      async () => {
        holds.offer(exchange('a', 'https://as/par', 'client_id=a'));
        holds.offer(exchange('a', 'https://as/token', 'grant_type=authorization_code&code=x'));
        holds.offer(exchange('b', 'https://other/token', 'grant_type=client_credentials'));
        await gate;
        holds.offer(exchange('a', 'https://as/jwks', null));
        return 'done';
      },
      () => CHECK,
    );
    await Promise.resolve();
    expect(recorded.map((e) => e.url)).toEqual(['https://other/token']);
    release();
    expect(await running).toBe('done');
    expect(recorded.map((e) => [e.url, e.security ?? null])).toEqual([
      ['https://other/token', null],
      ['https://as/par', null],
      ['https://as/token', CHECK],
      ['https://as/jwks', null],
    ]);
  });

  it('records everything without a check when the operation fails, and nested runs share one hold', async () => {
    const recorded: Exchange[] = [];
    const holds = new ExchangeHolds((e) => recorded.push(e));
    await expect(
      holds.run(
        'a',
        async () => {
          await holds.run('a', async () => holds.offer(exchange('a', 'https://as/token', 'grant_type=refresh_token')), () => CHECK);
          expect(recorded).toEqual([]);
          throw new Error('later step failed');
        },
        () => null,
      ),
    ).rejects.toThrow('later step failed');
    expect(recorded.map((e) => e.security)).toEqual([CHECK]);
  });

  it('finds the token exchange: the last successful request carrying grant_type, in the body or the query', () => {
    const list = [
      exchange('a', 'https://as/token?grant_type=client_credentials', null),
      exchange('a', 'https://as/token', 'grant_type=refresh_token', 400),
      exchange('a', 'https://as/userinfo', null),
    ];
    expect(tokenExchangeOf(list)?.url).toBe('https://as/token?grant_type=client_credentials');
    expect(tokenExchangeOf([exchange('a', 'https://as/introspect', 'token=x')])).toBeNull();
  });
});

describe('ExchangeHolds: a refused operation', () => {
  const FAILED: SecurityCheck[] = [{ id: 'nonce', outcome: 'failed', reason: 'mismatch' }];
  const callback = (): Exchange => ({ ...exchange('a', 'http://127.0.0.1/cb?code=c&iss=https://attacker', null, null), method: 'GET' });

  it('puts the failed checks on the token request it made (even a 2xx one whose id_token was refused)', async () => {
    const recorded: Exchange[] = [];
    const holds = new ExchangeHolds((e) => recorded.push(e));
    const failing = holds.run(
      'a',
      async () => {
        holds.offer(exchange('a', 'https://as/token', 'grant_type=authorization_code&code=x'));
        holds.offer(exchange('a', 'https://as/jwks', null));
        throw new Error('id_token refused');
      },
      () => CHECK,
      () => ({ security: FAILED, record: callback }),
    );
    await expect(failing).rejects.toThrow('id_token refused');
    expect(recorded.map((e) => [e.url, e.security ?? null])).toEqual([
      ['https://as/token', FAILED],
      ['https://as/jwks', null],
    ]);
  });

  it('records the authorization response it was refused at when no token request was made', async () => {
    const recorded: Exchange[] = [];
    const holds = new ExchangeHolds((e) => recorded.push(e));
    await expect(
      holds.run(
        'a',
        () => Promise.reject(new Error('iss mismatch')),
        () => CHECK,
        () => ({ security: FAILED, record: callback }),
      ),
    ).rejects.toThrow('iss mismatch');
    expect(recorded).toEqual([{ ...callback(), security: FAILED }]);
  });

  it('a failure that is no refusal (the server said no) is recorded as it was', async () => {
    const recorded: Exchange[] = [];
    const holds = new ExchangeHolds((e) => recorded.push(e));
    await expect(
      holds.run(
        'a',
        async () => {
          holds.offer(exchange('a', 'https://as/token', 'grant_type=authorization_code&code=x', 400));
          throw new Error('invalid_grant');
        },
        () => CHECK,
        () => null,
      ),
    ).rejects.toThrow('invalid_grant');
    expect(recorded.map((e) => e.security)).toEqual([undefined]);
  });
});

describe('signInRefusal', () => {
  it('turns a sign-in refused by its own check into the check list and the authorization response record', () => {
    const error = new TokenDeskError('state_mismatch', 'mix-up', { refusal: { failed: { id: 'iss', reason: 'mismatch' }, facts: { pkce: 'S256' } } });
    const refusal = signInRefusal(error, [exchange('a', 'https://as/par', 'client_id=a')], { clientId: 'a', callbackUrl: 'http://127.0.0.1/cb?code=c', now: 42 })!;
    expect(refusal.security.find((c) => c.id === 'iss')).toEqual({ id: 'iss', outcome: 'failed', reason: 'mismatch' });
    expect(refusal.security.find((c) => c.id === 'transport')).toMatchObject({ outcome: 'verified', reason: 'tls' });
    expect(refusal.record()).toMatchObject({ clientId: 'a', method: 'GET', url: 'http://127.0.0.1/cb?code=c', startedAt: 42, status: null, error: 'mix-up' });
    expect(signInRefusal(new TokenDeskError('provider_rejected', 'no'), [], { clientId: 'a', callbackUrl: 'x', now: 0 })).toBeNull();
    expect(signInRefusal(new Error('boom'), [], { clientId: 'a', callbackUrl: 'x', now: 0 })).toBeNull();
  });
});
