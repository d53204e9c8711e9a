import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../../main/ipc/contract';
import type { Refresher } from '../../../main/tokens/manager';
import { CALLS_PER_MINUTE, CallCeiling, scheduledRetryDelay } from '../../../main/tokens/refresh-guard';
import { RefreshScheduler } from '../../../main/tokens/scheduler';
import { client, setup, tokenSet } from './helpers';

afterEach(() => {
  vi.useRealTimers();
});

describe('refresh guard: no refresh can loop', () => {
  it('a refresh that returns the same access token is a failed attempt, not saved, with a notice', async () => {
    const notices: Notice[] = [];
    let calls = 0;
    const refresher: Refresher = async (_client, _secrets, current) => {
      calls++;
      return { ...current!, issuedAt: Date.now() };
    };
    const { manager, store } = await setup([client('a')], { refresher, notify: (n) => notices.push(n) });
    const stored = tokenSet({ issuedAt: Date.now() - 3_500_000, expiresAt: Date.now() + 100_000 });
    await manager.saveToken('a', stored);
    await expect(manager.refresh('a', { force: true })).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'The provider returned no new token for "client a" (its answer carried no new access token). TokenDesk waits before trying again; if this goes on, sign in again.',
    });
    expect(calls).toBe(1);
    expect(manager.token('a')).toEqual(stored);
    expect(store.status('a').failures).toBe(1);
    // It travels as a code with parameters, for the renderer to translate.
    expect(store.status('a').lastError!.text).toEqual({
      code: 'refresh_no_new_token',
      params: { name: 'client a', why: { code: 'why_same_access_token', params: {} } },
    });
    await vi.waitFor(() => expect(notices.map((n) => n.kind)).toEqual(['refresh_failing']));
    expect(notices[0]!.message).toBe(`Refreshing "client a" failed: ${store.status('a').lastError!.message}`);
  });

  it('a new access token whose expiry is no later than the current one is no refresh either', async () => {
    const expiresAt = Date.now() + 100_000;
    const { manager } = await setup([client('a')], {
      refresher: async () => tokenSet({ accessToken: 'at-new', expiresAt }),
    });
    await manager.saveToken('a', tokenSet({ issuedAt: Date.now() - 3_500_000, expiresAt }));
    await expect(manager.refresh('a', { force: true })).rejects.toThrow('(the new token expires no later than the current one)');
    expect(manager.token('a')?.accessToken).toBe('at-0');
  });

  it('validToken keeps the still-valid stored token when the provider returns nothing new', async () => {
    const { manager } = await setup([client('a')], { refresher: async (_c, _s, current) => ({ ...current! }) });
    await manager.saveToken('a', tokenSet({ issuedAt: Date.now() - 3_500_000, expiresAt: Date.now() + 100_000 }));
    expect((await manager.validToken('a')).accessToken).toBe('at-0');
  });

  it(`never calls a provider more than ${CALLS_PER_MINUTE} times a minute, and says so`, async () => {
    const notices: Notice[] = [];
    let calls = 0;
    let n = 0;
    const { manager } = await setup([client('a')], {
      refresher: async () => {
        calls++;
        n++;
        return tokenSet({ accessToken: `at-${n}`, issuedAt: Date.now(), expiresAt: Date.now() + 3_600_000 + n });
      },
      notify: (notice) => notices.push(notice),
    });
    await manager.saveToken('a', tokenSet());
    for (let i = 0; i < CALLS_PER_MINUTE; i++) await manager.refresh('a', { force: true });
    await expect(manager.refresh('a', { force: true })).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(manager.refresh('a', { force: true })).rejects.toThrow(/^TokenDesk held back a refresh of "client a": it already called the provider 10 times in the last minute, the most it ever does\. It tries again after \d{4}-/);
    expect(calls).toBe(CALLS_PER_MINUTE);
    await vi.waitFor(() => expect(notices.map((x) => x.kind)).toContain('refresh_failing'));
  });

  it('the ceiling is a sliding minute per client', () => {
    const ceiling = new CallCeiling(2);
    expect(ceiling.take('a', 0)).toEqual({ ok: true });
    expect(ceiling.take('a', 10_000)).toEqual({ ok: true });
    expect(ceiling.take('b', 10_000)).toEqual({ ok: true });
    expect(ceiling.take('a', 59_999)).toEqual({ ok: false, retryAt: 60_000 });
    expect(ceiling.take('a', 60_000)).toEqual({ ok: true });
    expect(ceiling.take('a', 60_001)).toEqual({ ok: false, retryAt: 70_000 });
  });

  it('a scheduled refresh that keeps returning nothing new backs off: 5, 10, 20, 40 minutes, then hourly', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let calls = 0;
    const scheduler = new RefreshScheduler();
    const { manager } = await setup([client('a')], {
      scheduler,
      refresher: async (_c, _s, current) => {
        calls++;
        return { ...current! };
      },
    });
    const issuedAt = Date.now();
    // A 100-second token: due 10 s before it expires.
    await manager.saveToken('a', tokenSet({ issuedAt, expiresAt: issuedAt + 100_000 }));
    const dueTimes: number[] = [];
    const hour = 3_600_000;
    for (let t = 0; t < 2 * hour; t += 5_000) {
      await vi.advanceTimersByTimeAsync(5_000);
      await vi.waitFor(() => expect(manager.isRefreshing('a')).toBe(false));
      const due = manager.dueAt('a');
      if (due !== null && dueTimes.at(-1) !== due) dueTimes.push(due);
    }
    // First try at 90 s, then 5 + 10 + 20 + 40 + 60 minutes after each failure: six calls in two hours.
    const expected = [90_000];
    for (let failures = 1; expected.at(-1)! + scheduledRetryDelay(failures) <= 2 * hour; failures++) {
      expected.push(expected.at(-1)! + scheduledRetryDelay(failures));
    }
    expect(expected).toHaveLength(5);
    expect(calls).toBe(expected.length);
    // Each retry is scheduled when the failure lands; waiting for it moves the fake clock a little.
    const gaps = dueTimes.slice(1).map((due, i) => due - dueTimes[i]!);
    expect(dueTimes[0]! - issuedAt).toBe(90_000);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(scheduledRetryDelay(i + 1));
      expect(gap).toBeLessThan(scheduledRetryDelay(i + 1) + 15_000);
    });
    expect(gaps).toHaveLength(expected.length);
    manager.stop();
  });
});
