import { describe, expect, test } from 'vitest';
import type { ClientView } from '../../main/model/types';
import { environmentOf, listClients, matchesQuery } from '../../renderer/src/lib/clients';

function client(name: string, over: Partial<ClientView['config']> = {}, rest: Partial<ClientView> = {}): ClientView {
  return {
    config: {
      id: name,
      name,
      provider: 'daouoffice',
      baseUrl: 'https://api.daouoffice.com',
      clientId: `${name}-id`,
      redirectUri: null,
      scope: null,
      env: null,
      platform: null,
      podRefreshForm: 'body',
      generic: null,
      autoRefresh: true,
      refreshPolicy: { leadFraction: 0.1, maxLeadSeconds: 300 },
      sandbox: false,
      createdAt: '',
      updatedAt: '',
      ...over,
    },
    hasSecret: true,
    state: 'none',
    token: null,
    nextRefreshAt: null,
    expiringAt: null,
    lastError: null,
    capabilities: { issue: true, signIn: false, refresh: true, revoke: false, signOut: false, userInfo: false, reconsent: false, basicHeader: false, device: false, introspect: false },
    damage: null,
    ...rest,
  };
}

const token = (expiresAt: number | null) => ({
  accessTokenMasked: 'eyJ…',
  tokenType: 'bearer',
  expiresAt,
  issuedAt: 0,
  hasRefreshToken: false,
  refreshTokenMasked: null,
  refreshExpiresAt: null,
  scope: null,
  isJwt: true,
});

const all = [
  client('Zeta Daou', {}, { state: 'valid', token: token(5000) }),
  client('Alpha Hejhome', { provider: 'hejhome', sandbox: true }, { state: 'valid', token: token(9000) }),
  client('POD dev', { provider: 'podshop', env: 'dev' }, { state: 'error' }),
  client('Beta Daou', {}, { state: 'expired', token: token(1000) }),
];

describe('the dashboard list', () => {
  test('search matches name, provider label and client id, case-insensitively', () => {
    expect(matchesQuery(all[0]!, 'daou office')).toBe(true);
    expect(matchesQuery(all[2]!, 'POD DEV-ID')).toBe(true);
    expect(matchesQuery(all[1]!, 'zeta')).toBe(false);
    expect(matchesQuery(all[1]!, '  ')).toBe(true);
  });

  test('filters by state and sorts by name', () => {
    const [group] = listClients(all, { query: '', state: 'valid', sort: 'name', group: 'none' });
    expect(group!.clients.map((c) => c.config.name)).toEqual(['Alpha Hejhome', 'Zeta Daou']);
  });

  test('sorts by expiry, soonest first, clients without a token last', () => {
    const [group] = listClients(all, { query: '', state: 'all', sort: 'expiry', group: 'none' });
    expect(group!.clients.map((c) => c.config.name)).toEqual(['Beta Daou', 'Zeta Daou', 'Alpha Hejhome', 'POD dev']);
  });

  test('sorts by state, problems first', () => {
    const [group] = listClients(all, { query: '', state: 'all', sort: 'state', group: 'none' });
    expect(group!.clients.map((c) => c.state)).toEqual(['error', 'expired', 'valid', 'valid']);
  });

  test('groups by provider and by environment', () => {
    expect(listClients(all, { query: '', state: 'all', sort: 'name', group: 'provider' }).map((g) => [g.key, g.clients.length])).toEqual([
      ['daouoffice', 2],
      ['hejhome', 1],
      ['podshop', 1],
    ]);
    expect(all.map(environmentOf)).toEqual(['other', 'sandbox', 'dev', 'other']);
    expect(listClients(all, { query: '', state: 'all', sort: 'name', group: 'env' }).map((g) => g.key)).toEqual(['dev', 'other', 'sandbox']);
  });
});
