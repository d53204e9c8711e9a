import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import type { ClientConfig, ClientSecrets, TokenSet } from '../../../main/model/types';
import type { Notice } from '../../../main/ipc/contract';
import { FAILING_NOTICE_AFTER, TokenManager, type Refresher } from '../../../main/tokens/manager';
import { MAX_TIMER_MS, RefreshScheduler, type SchedulerClock } from '../../../main/tokens/scheduler';
import { openKeyring } from '../../../main/tokens/secrets';
import { TokenStore } from '../../../main/tokens/store';
import { Vault } from '../../../main/tokens/vault';
import { DAY, client, setup, tokenSet } from './helpers';

/** A provider that rotates refresh tokens and rejects a stale one, like Hejhome. */
interface FakeProvider {
  calls: number;
  current: string;
  refresher: Refresher;
}

function rotatingProvider(lifetimeMs = 3_600_000, now: () => number = Date.now): FakeProvider {
  const provider: FakeProvider = {
    calls: 0,
    current: 'rt-0',
    refresher: (async (_client: ClientConfig, _secrets: ClientSecrets, current: TokenSet | null): Promise<TokenSet> => {
      provider.calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (!current || current.refreshToken !== provider.current) {
        throw new TokenDeskError('invalid_grant', 'The refresh token is no longer valid; sign in again.', { status: 400 });
      }
      provider.current = `rt-${provider.calls}`;
      const issuedAt = now();
      return tokenSet({ accessToken: `at-${provider.calls}`, refreshToken: provider.current, issuedAt, expiresAt: issuedAt + lifetimeMs });
    }) satisfies Refresher,
  };
  return provider;
}

const expired = () => tokenSet({ issuedAt: Date.now() - 7_200_000, expiresAt: Date.now() - 3_600_000 });

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenManager.validToken', () => {
  it('returns the stored token while it is outside the lead time, without refreshing', async () => {
    const provider = rotatingProvider();
    const { manager } = await setup([client('a')], { refresher: provider.refresher });
    await manager.saveToken('a', tokenSet());
    expect((await manager.validToken('a')).accessToken).toBe('at-0');
    expect(provider.calls).toBe(0);
  });

  it('100 concurrent calls on an expired token make exactly one refresh', async () => {
    const provider = rotatingProvider();
    const { manager } = await setup([client('a')], { refresher: provider.refresher });
    await manager.saveToken('a', expired());
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.validToken('a')));
    expect(provider.calls).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['at-1']));
    expect(manager.token('a')?.refreshToken).toBe('rt-1');
  });

  it('refreshes inside the lead time (10% of the lifetime, at most 5 minutes)', async () => {
    const provider = rotatingProvider();
    const { manager } = await setup([client('a')], { refresher: provider.refresher });
    const issuedAt = Date.now() - 3_600_000 + 200_000;
    await manager.saveToken('a', tokenSet({ issuedAt, expiresAt: issuedAt + 3_600_000 }));
    expect((await manager.validToken('a')).accessToken).toBe('at-1');
  });

  it('a client without a refresh token is re-issued through the refresher', async () => {
    const seen: Array<TokenSet | null> = [];
    const { manager } = await setup([client('daou', { provider: 'daouoffice' })], {
      refresher: async (_client, _secrets, current) => {
        seen.push(current);
        return tokenSet({ accessToken: 'fresh', refreshToken: null });
      },
    });
    await manager.saveToken('daou', { ...expired(), refreshToken: null });
    expect((await manager.validToken('daou')).accessToken).toBe('fresh');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.refreshToken).toBeNull();
  });

  it('an unknown client is not_found', async () => {
    const { manager } = await setup([]);
    await expect(manager.validToken('nope')).rejects.toMatchObject({ code: 'not_found', message: 'No client named "nope". See the list of clients (tokendesk clients list).' });
  });
});

describe('TokenManager.refresh', () => {
  it('keeps the newest refresh token after rotation', async () => {
    const provider = rotatingProvider();
    const { manager, dataDir } = await setup([client('a')], { refresher: provider.refresher });
    await manager.saveToken('a', tokenSet());
    await manager.refresh('a', { force: true });
    await manager.refresh('a', { force: true });
    expect(provider.calls).toBe(2);
    const reopened = new TokenManager({ vault: new Vault({ dataDir, store: TokenStore.open({ dataDir }), keyring: await openKeyring({ dataDir }) }), refresher: provider.refresher });
    expect(reopened.token('a')?.refreshToken).toBe('rt-2');
  });

  it('keeps the old refresh token when the response has none', async () => {
    const { manager } = await setup([client('a')], {
      refresher: async () => tokenSet({ accessToken: 'at-new', refreshToken: null, refreshExpiresAt: null }),
    });
    await manager.saveToken('a', tokenSet({ refreshToken: 'rt-keep', refreshExpiresAt: Date.now() + 30 * DAY }));
    const token = await manager.refresh('a', { force: true });
    expect(token).toMatchObject({ accessToken: 'at-new', refreshToken: 'rt-keep' });
    expect(token.refreshExpiresAt).toBeGreaterThan(Date.now());
    expect(manager.token('a')?.refreshToken).toBe('rt-keep');
  });

  it('has the rotated refresh token on disk before it returns the new access token', async () => {
    const provider = rotatingProvider();
    const { manager, dataDir } = await setup([client('a')], { refresher: provider.refresher });
    await manager.saveToken('a', expired());
    const token = await manager.validToken('a');
    const onDisk = new TokenManager({ vault: new Vault({ dataDir, store: TokenStore.open({ dataDir }), keyring: await openKeyring({ dataDir }) }), refresher: provider.refresher });
    expect(onDisk.token('a')).toMatchObject({ accessToken: token.accessToken, refreshToken: 'rt-1' });
  });

  it('does not return a token it could not save', async () => {
    const dataDir = (await setup([client('a')])).dataDir;
    let failWrites = false;
    const store = TokenStore.open({
      dataDir,
      backend: (options) => {
        const file = { path: `${options.cwd}/store.json`, inner: TokenStore.open({ dataDir }) };
        return {
          path: file.path,
          get store() {
            file.inner.reload({ force: true });
            return file.inner.document as unknown as Record<string, unknown>;
          },
          set store(value) {
            if (failWrites) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
            file.inner.update((doc) => Object.assign(doc, value));
          },
        };
      },
    });
    const provider = rotatingProvider();
    const manager = new TokenManager({ vault: new Vault({ dataDir, store: store, keyring: await openKeyring({ dataDir }) }), refresher: provider.refresher, sleep: () => Promise.resolve() });
    await manager.saveToken('a', expired());
    failWrites = true;
    await expect(manager.validToken('a')).rejects.toMatchObject({ code: 'storage', message: expect.stringMatching(/ENOSPC/) });
    expect(provider.calls).toBe(1);
  });

  it('recovers from a network flap with exponential backoff and jitter', async () => {
    const delays: number[] = [];
    let calls = 0;
    const { manager } = await setup([client('a')], {
      backoff: { baseMs: 1000, maxMs: 30_000, maxAttempts: 4 },
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      refresher: async () => {
        calls++;
        if (calls <= 2) throw new TokenDeskError('network', 'Could not reach auth.example.test (ECONNRESET).');
        return tokenSet({ accessToken: 'after-flap' });
      },
    });
    await manager.saveToken('a', expired());
    expect((await manager.validToken('a')).accessToken).toBe('after-flap');
    expect(calls).toBe(3);
    expect(delays).toEqual([750, 1500]);
    expect(manager.token('a')).toMatchObject({ accessToken: 'after-flap' });
  });

  it('caps the backoff and gives up after maxAttempts, recording the failure', async () => {
    const delays: number[] = [];
    let calls = 0;
    const { manager, store } = await setup([client('a')], {
      backoff: { baseMs: 1000, maxMs: 3000, maxAttempts: 5 },
      sleep: async (ms) => void delays.push(ms),
      random: () => 1,
      refresher: async () => {
        calls++;
        throw new TokenDeskError('provider_rejected', 'The server failed (HTTP 503).', { status: 503 });
      },
    });
    await manager.saveToken('a', expired());
    await expect(manager.validToken('a')).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(5);
    expect(delays).toEqual([1000, 2000, 3000, 3000]);
    expect(store.status('a')).toMatchObject({ needsSignIn: false, failures: 1, lastError: { status: 503 } });
  });

  it('invalid_grant stops at once, marks the client and tells the user', async () => {
    const notices: Notice[] = [];
    let calls = 0;
    const { manager, store } = await setup([client('a')], {
      notify: (notice) => notices.push(notice),
      refresher: async () => {
        calls++;
        throw new TokenDeskError('invalid_grant', 'The provider no longer accepts the refresh token.', { status: 400 });
      },
    });
    await manager.saveToken('a', expired());
    await expect(manager.validToken('a')).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(calls).toBe(1);
    expect(store.status('a')).toMatchObject({ needsSignIn: true, lastError: { code: 'invalid_grant' } });
    await vi.waitFor(() => expect(notices).toHaveLength(1));
    expect(notices[0]).toMatchObject({ clientId: 'a', kind: 'needs_signin', message: '"client a" needs you to sign in again: The provider no longer accepts the refresh token.' });
    expect(store.document.notices).toEqual(notices);

    await expect(manager.validToken('a')).rejects.toMatchObject({ code: 'needs_signin', message: '"client a" needs you to sign in again (The provider no longer accepts the refresh token.).' });
    expect(calls).toBe(1);

    await manager.saveToken('a', tokenSet({ accessToken: 'signed-in' }));
    expect(store.status('a').needsSignIn).toBe(false);
    expect(store.document.notices).toEqual([]);
    expect((await manager.validToken('a')).accessToken).toBe('signed-in');
  });

  for (const status of [400, 401]) {
    it(`provider_rejected with HTTP ${status} on refresh means sign in again, without retries`, async () => {
      let calls = 0;
      const { manager, store } = await setup([client('a')], {
        refresher: async () => {
          calls++;
          throw new TokenDeskError('provider_rejected', 'Rejected.', { status });
        },
      });
      await manager.saveToken('a', expired());
      await expect(manager.validToken('a')).rejects.toMatchObject({ code: 'provider_rejected' });
      expect(calls).toBe(1);
      expect(store.status('a').needsSignIn).toBe(true);
    });
  }

  it(`repeated failures raise a refresh_failing notice after ${FAILING_NOTICE_AFTER}`, async () => {
    const notices: Notice[] = [];
    const { manager, store } = await setup([client('a')], {
      notify: (notice) => notices.push(notice),
      backoff: { maxAttempts: 1 },
      refresher: async () => {
        throw new TokenDeskError('invalid_response', 'The token endpoint answered with an HTML page.');
      },
    });
    await manager.saveToken('a', expired());
    for (let i = 1; i <= FAILING_NOTICE_AFTER; i++) {
      await expect(manager.refresh('a', { force: true })).rejects.toMatchObject({ code: 'invalid_response' });
      expect(store.status('a').failures).toBe(i);
    }
    await vi.waitFor(() => expect(notices.map((n) => n.kind)).toEqual(['refresh_failing']));
    expect(notices[0]!.message).toBe('Refreshing "client a" failed 3 times in a row: The token endpoint answered with an HTML page.');
    expect(store.status('a').needsSignIn).toBe(false);
  });

  it('falls back to the stored token when a refresh inside the lead time fails for a passing reason', async () => {
    const { manager } = await setup([client('a')], {
      backoff: { maxAttempts: 2 },
      refresher: async () => {
        throw new TokenDeskError('timeout', 'The token endpoint did not answer within 30 s.');
      },
    });
    const issuedAt = Date.now() - 3_500_000;
    await manager.saveToken('a', tokenSet({ accessToken: 'still-good', issuedAt, expiresAt: issuedAt + 3_600_000 }));
    expect((await manager.validToken('a')).accessToken).toBe('still-good');
  });

  it('a token that no longer decrypts means sign in again, not a crash', async () => {
    let calls = 0;
    const { manager, store } = await setup([client('a')], {
      refresher: async () => {
        calls++;
        return tokenSet();
      },
    });
    await manager.saveToken('a', tokenSet());
    store.update((doc) => {
      const [v, iv, tag, ct] = doc.tokens.a!.split('.') as [string, string, string, string];
      doc.tokens.a = [v, iv, tag, `${ct[0] === "A" ? "B" : "A"}${ct.slice(1)}`].join('.');
    });
    await expect(manager.validToken('a')).rejects.toMatchObject({ code: 'needs_signin', message: expect.stringMatching(/stored token of "client a" could not be decrypted/) });
    expect(calls).toBe(0);
    expect(store.status('a').needsSignIn).toBe(true);
    expect(manager.token('a')).toBeNull();
  });

  it('issue (fresh) calls the refresher with no current token', async () => {
    const seen: Array<TokenSet | null> = [];
    const { manager } = await setup([client('a')], {
      refresher: async (_client, _secrets, current) => {
        seen.push(current);
        return tokenSet({ accessToken: 'issued', refreshToken: null });
      },
    });
    await manager.saveToken('a', tokenSet({ refreshToken: 'rt-old' }));
    const token = await manager.refresh('a', { fresh: true });
    expect(seen).toEqual([null]);
    expect(token).toMatchObject({ accessToken: 'issued', refreshToken: null });
  });
});

describe('TokenManager scheduling', () => {
  function fakeClock(): SchedulerClock & { delays: number[] } {
    const delays: number[] = [];
    return {
      delays,
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  it('a 400-day token is refreshed once, at its due time, with no timer past 2^31-1 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const clock = fakeClock();
    // The wall-clock check every 60 s is the scheduler's default; a wider step keeps this test
    // quick while still crossing the 2^31-1 ms limit 16 times.
    const scheduler = new RefreshScheduler({ clock, stepMs: MAX_TIMER_MS });
    const provider = rotatingProvider(400 * DAY);
    const { manager } = await setup([client('hejhome', { provider: 'hejhome' })], { refresher: provider.refresher, scheduler });
    const issuedAt = Date.now();
    await manager.saveToken('hejhome', tokenSet({ issuedAt, expiresAt: issuedAt + 400 * DAY }));
    const due = issuedAt + 400 * DAY - 300_000;
    expect(manager.dueAt('hejhome')).toBe(due);

    await vi.advanceTimersByTimeAsync(400 * DAY - 300_000 - 1);
    expect(provider.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(provider.calls).toBe(1));
    await vi.waitFor(() => expect(manager.token('hejhome')?.accessToken).toBe('at-1'));
    // The next refresh is 400 days after this one.
    expect(manager.dueAt('hejhome')).toBeGreaterThan(due + 399 * DAY);
    await vi.advanceTimersByTimeAsync(10 * DAY);
    expect(provider.calls).toBe(1);
    expect(clock.delays.length).toBeGreaterThan(16);
    expect(clock.delays.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
    manager.stop();
  });

  it('does not schedule clients with autoRefresh off, nor tokens without expiry', async () => {
    const scheduler = new RefreshScheduler();
    const { manager } = await setup([client('off', { autoRefresh: false }), client('forever')], { scheduler });
    await manager.saveToken('off', tokenSet());
    await manager.saveToken('forever', tokenSet({ expiresAt: null }));
    expect(manager.dueAt('off')).toBeNull();
    expect(manager.dueAt('forever')).toBeNull();
    expect(scheduler.size).toBe(0);
    manager.stop();
  });

  it('start() schedules every stored client, and an expired one refreshes at once', async () => {
    const provider = rotatingProvider();
    const first = await setup([client('a'), client('b')], { refresher: provider.refresher });
    await first.manager.saveToken('a', expired());
    await first.manager.saveToken('b', tokenSet());
    const manager = new TokenManager({ vault: new Vault({ dataDir: first.dataDir, store: TokenStore.open({ dataDir: first.dataDir }), keyring: first.keyring }),
      refresher: provider.refresher,
      background: true,
    });
    manager.start();
    expect(manager.dueAt('b')).toBe(manager.token('b')!.expiresAt! - 300_000);
    await vi.waitFor(() => expect(manager.token('a')?.accessToken).toBe('at-1'));
    expect(provider.calls).toBe(1);
    manager.stop();
  });

  it('warns ahead of the refresh token’s own expiry', async () => {
    const notices: Notice[] = [];
    const { manager, store } = await setup([client('pod', { provider: 'podshop' })], {
      background: true,
      notify: (notice) => notices.push(notice),
    });
    await manager.saveToken('pod', tokenSet({ refreshExpiresAt: Date.now() + 3 * DAY }));
    await vi.waitFor(() => expect(notices.map((n) => n.kind)).toEqual(['refresh_token_expiring']));
    expect(notices[0]!.message).toMatch(/^The refresh token of "client pod" expires on \d{4}-\d\d-\d\dT.*Z; sign in again before then to keep refreshing\.$/);
    expect(store.document.notices).toHaveLength(1);
    manager.stop();
  });
});
