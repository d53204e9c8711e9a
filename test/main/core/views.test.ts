import { describe, expect, it } from 'vitest';
import { clientView, formatRemaining, nextStateChange, type ClientFacts } from '../../../main/core/views';
import { NO_CAPABILITIES } from '../../../main/oauth/presets/preset';
import { clientConfig } from '../../helpers/oauth-browser';

const T0 = Date.UTC(2026, 10, 22);
const facts = (over: Partial<ClientFacts> = {}): ClientFacts => ({
  config: clientConfig('podshop', { autoRefresh: false, refreshPolicy: { leadFraction: 0.1, maxLeadSeconds: 300 } }),
  hasSecret: true,
  token: {
    accessToken: 'a'.repeat(40),
    tokenType: 'bearer',
    issuedAt: T0,
    expiresAt: T0 + 3_600_000,
    refreshToken: null,
    refreshExpiresAt: null,
    scope: null,
    cookies: null,
    raw: null,
  },
  needsSignIn: false,
  lastError: null,
  refreshing: false,
  dueAt: null,
  capabilities: NO_CAPABILITIES,
  damage: null,
  ...over,
});

describe('client views', () => {
  it('read "expiring" from the lead time, whether or not auto-refresh schedules anything', () => {
    // 10% of an hour is 6 minutes, capped at 5: the lead time starts 55 minutes in.
    const leadStart = T0 + 55 * 60_000;
    expect(clientView(facts(), leadStart - 1)).toMatchObject({ state: 'valid', expiringAt: leadStart, nextRefreshAt: null });
    expect(clientView(facts(), leadStart).state).toBe('expiring');
    expect(clientView(facts(), T0 + 3_600_000).state).toBe('expired');
  });

  it('put sign-in, refreshing and errors before time-based states, and mask the token', () => {
    expect(clientView(facts({ refreshing: true }), T0).state).toBe('refreshing');
    expect(clientView(facts({ needsSignIn: true }), T0).state).toBe('needs_signin');
    expect(clientView(facts({ lastError: { code: 'network', message: 'x' } }), T0).state).toBe('error');
    expect(clientView(facts({ token: null }), T0).state).toBe('none');
    expect(clientView(facts(), T0).token?.accessTokenMasked).toBe('aaaa…aaaa');
  });

  it('know the next moment a state changes by time alone', () => {
    const view = clientView(facts(), T0);
    expect(nextStateChange([view], T0)).toBe(T0 + 55 * 60_000);
    expect(nextStateChange([view], T0 + 56 * 60_000)).toBe(T0 + 3_600_000);
    expect(nextStateChange([view], T0 + 3_600_000)).toBeNull();
  });

  it('format remaining time compactly', () => {
    expect(formatRemaining(0)).toBe('expired');
    expect(formatRemaining(5_000)).toBe('5s');
    expect(formatRemaining(3 * 86_400_000 + 4 * 3_600_000 + 5_000)).toBe('3d 4h');
  });
});
