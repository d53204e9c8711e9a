/** Builders shared by the token tests: a temp data directory, clients, token sets. */
import fs from 'node:fs';
import { tempFolder } from '../../helpers/temp';
import path from 'node:path';
import { DEFAULT_REFRESH_POLICY } from '../../../main/model/defaults';
import type { ClientConfig, TokenSet } from '../../../main/model/types';
import { TokenManager, type TokenManagerOptions } from '../../../main/tokens/manager';
import type { LockOptions } from '../../../main/tokens/lock';
import { openKeyring, type Keyring } from '../../../main/tokens/secrets';
import { TokenStore } from '../../../main/tokens/store';
import { Vault } from '../../../main/tokens/vault';

export const DAY = 86_400_000;

/** Removed once the test file is done. */
export function tempDir(prefix = 'tokendesk-tokens-'): string {
  return tempFolder(prefix);
}

export function client(id: string, overrides: Partial<ClientConfig> = {}): ClientConfig {
  return {
    id,
    name: `client ${id}`,
    provider: 'oauth2',
    baseUrl: 'https://auth.example.test',
    clientId: `cid-${id}`,
    redirectUri: null,
    scope: null,
    env: null,
    platform: null,
    podRefreshForm: 'body',
    generic: null,
    autoRefresh: true,
    refreshPolicy: DEFAULT_REFRESH_POLICY,
    sandbox: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  const issuedAt = overrides.issuedAt ?? Date.now();
  return {
    accessToken: 'at-0',
    tokenType: 'bearer',
    expiresAt: issuedAt + 3_600_000,
    issuedAt,
    refreshToken: 'rt-0',
    refreshExpiresAt: null,
    scope: null,
    cookies: null,
    raw: null,
    ...overrides,
  };
}

export interface Setup {
  dataDir: string;
  store: TokenStore;
  keyring: Keyring;
  vault: Vault;
  manager: TokenManager;
}

/** A data directory with the given clients, and a manager over it. */
export async function setup(
  clients: ClientConfig[],
  opts: Partial<Omit<TokenManagerOptions, 'vault'>> & { dataDir?: string; lock?: LockOptions } = {},
): Promise<Setup> {
  const dataDir = opts.dataDir ?? tempDir();
  const keyring = await openKeyring({ dataDir });
  const store = TokenStore.open({ dataDir });
  store.update((doc) => {
    for (const c of clients) if (!doc.clients.some((existing) => (existing as ClientConfig).id === c.id)) doc.clients.push(c);
  });
  const { lock, dataDir: _dir, ...managerOptions } = opts;
  const vault = new Vault({ dataDir, store, keyring, ...(lock ? { lock } : {}) });
  const manager = new TokenManager({
    vault,
    refresher: () => Promise.reject(new Error('no refresher in this test')),
    sleep: () => Promise.resolve(),
    ...managerOptions,
  });
  return { dataDir, store, keyring, vault, manager };
}

/** Every file under a directory, recursively. */
export function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
