import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { describe, expect, it, vi } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import { DEFAULT_SETTINGS } from '../../../main/model/defaults';
import {
  SCHEMA_VERSION,
  TokenStore,
  type StoreBackendOptions,
} from '../../../main/tokens/store';
import type { ClientConfig } from '../../../main/model/types';
import { openKeyring } from '../../../main/tokens/secrets';
import { Vault } from '../../../main/tokens/vault';
import { client, tempDir } from './helpers';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const clientOf = (store: TokenStore, id: string): ClientConfig | null => (store.document.clients as ClientConfig[]).find((c) => c.id === id) ?? null;

describe('TokenStore', () => {
  it('creates store.json 0600 in a 0700 directory, at the current schema version', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const store = TokenStore.open({ dataDir });
    expect(store.path).toBe(path.join(dataDir, 'store.json'));
    expect(mode(store.path)).toBe(0o600);
    expect(mode(dataDir)).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.recovered).toBeNull();
  });

  it('leaves the mode of an existing data directory as it is (issue #11, row 11)', () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      TokenStore.open({ dataDir });
    } finally {
      warn.mockRestore();
    }
    expect(mode(dataDir)).toBe(0o755);
    expect(mode(path.join(dataDir, 'store.json'))).toBe(0o600);
  });

  it('keeps the file 0600 across writes', () => {
    const store = TokenStore.open({ dataDir: tempDir() });
    store.update((doc) => doc.clients.push(client('a')));
    expect(mode(store.path)).toBe(0o600);
  });

  it('writes through the backend factory it is given (electron-store in the app)', () => {
    const dataDir = tempDir();
    const seen: StoreBackendOptions[] = [];
    const store = TokenStore.open({
      dataDir,
      backend: (options) => {
        seen.push(options);
        return new Conf<Record<string, unknown>>(options);
      },
    });
    store.update((doc) => doc.clients.push(client('a')));
    expect(seen).toHaveLength(1);
    // electron-store overwrites configName with `name`: both are set.
    expect(seen[0]).toMatchObject({ cwd: dataDir, name: 'store', configName: 'store', configFileMode: 0o600, clearInvalidConfig: false, cache: false });
    expect(clientOf(TokenStore.open({ dataDir }), 'a')?.name).toBe('client a');
  });

  it('reload sees what another instance (another process) wrote', () => {
    const dataDir = tempDir();
    const mine = TokenStore.open({ dataDir });
    const theirs = TokenStore.open({ dataDir });
    theirs.update((doc) => doc.clients.push(client('a')));
    expect(clientOf(mine, 'a')).toBeNull();
    mine.reload();
    expect(clientOf(mine, 'a')?.id).toBe('a');
  });

  it('removeClient drops everything kept for the client', async () => {
    const store = TokenStore.open({ dataDir: tempDir() });
    store.update((doc) => {
      doc.clients.push(client('a'), client('b'));
      doc.tokens.a = 'v1.t';
      doc.secrets.a = 'v1.s';
      doc.status.a = { needsSignIn: true, lastError: null, failures: 1 };
      doc.notices.push({ id: 'n', clientId: 'a', kind: 'needs_signin', message: 'm', at: 1 });
    });
    new Vault({ dataDir: store.dataDir, store, keyring: await openKeyring({ dataDir: store.dataDir }) }).removeClient('a');
    const doc = TokenStore.open({ dataDir: store.dataDir }).document;
    expect(doc.clients.map((c) => (c as ClientConfig).id)).toEqual(['b']);
    expect([doc.tokens.a, doc.secrets.a, doc.status.a]).toEqual([undefined, undefined, undefined]);
    expect(doc.notices).toEqual([]);
  });

  describe('an unreadable store file', () => {
    const cases: Array<[string, string]> = [
      ['garbage', '\u0000\u0001 this is not JSON at all \u00ff'],
      ['truncated JSON', '{"schemaVersion":1,"clients":[{"id":"a","na'],
      ['the wrong shape', '{"schemaVersion":1,"clients":"nope"}'],
      ['a JSON array', '[1,2,3]'],
    ];
    for (const [what, bytes] of cases) {
      it(`is moved aside with its original bytes when it holds ${what}, and the store starts empty`, () => {
        const dataDir = tempDir();
        const file = path.join(dataDir, 'store.json');
        fs.writeFileSync(file, bytes, { mode: 0o600 });
        const store = TokenStore.open({ dataDir });
        expect(store.recovered).not.toBeNull();
        const { backupPath, reason } = store.recovered!;
        expect(path.basename(backupPath)).toMatch(/^store\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
        expect(path.dirname(backupPath)).toBe(dataDir);
        expect(fs.readFileSync(backupPath, 'utf8')).toBe(bytes);
        expect(mode(backupPath)).toBe(0o600);
        expect(reason).toMatch(/not valid JSON|shape|not a JSON object/);
        expect(store.document.clients).toEqual([]);
        store.update((doc) => doc.clients.push(client('a')));
        expect(TokenStore.open({ dataDir }).recovered).toBeNull();
      });
    }

    it('that appears later is moved aside by reload', () => {
      const dataDir = tempDir();
      const store = TokenStore.open({ dataDir });
      fs.writeFileSync(store.path, '{"schemaVersion":1,');
      store.reload();
      expect(store.recovered?.reason).toMatch(/not valid JSON/);
      expect(fs.readFileSync(store.recovered!.backupPath, 'utf8')).toBe('{"schemaVersion":1,');
      expect(store.document.clients).toEqual([]);
    });
  });

  it('refuses a store written by a newer TokenDesk and leaves it untouched', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'store.json');
    const newer = JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, clients: [] });
    fs.writeFileSync(file, newer);
    expect(() => TokenStore.open({ dataDir })).toThrow(TokenDeskError);
    expect(() => TokenStore.open({ dataDir })).toThrow(/written by a newer TokenDesk \(store format 2, this version reads up to 1\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe(newer);
  });

  it('migrates a v0 store to v1 and keeps a copy of the v0 file', () => {
    const dataDir = tempDir();
    const v0 = {
      clients: [client('a')],
      secrets: { a: 'v1.s' },
      tokens: { a: 'v1.t' },
      history: { a: [{ url: 'https://x' }] },
      settings: { ...DEFAULT_SETTINGS, theme: 'dark' },
    };
    fs.writeFileSync(path.join(dataDir, 'store.json'), JSON.stringify(v0));
    const store = TokenStore.open({ dataDir });
    expect(store.recovered).toBeNull();
    const onDisk = JSON.parse(fs.readFileSync(store.path, 'utf8'));
    expect(onDisk).toMatchObject({ schemaVersion: 1, secrets: { a: 'v1.s' }, tokens: { a: 'v1.t' }, status: {}, notices: [] });
    expect(onDisk.history).toBeUndefined();
    expect(onDisk.settings.theme).toBe('dark');
    expect(clientOf(store, 'a')?.name).toBe('client a');
    const copies = fs.readdirSync(dataDir).filter((name) => /^store\.v0-.*\.json$/.test(name));
    expect(copies).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, copies[0]!), 'utf8'))).toEqual(v0);
  });

  it('removes temp files a killed writer left behind, once they are old', () => {
    const dataDir = tempDir();
    TokenStore.open({ dataDir });
    const old = path.join(dataDir, 'store.json.tmp-17000000001a2b3c');
    const young = path.join(dataDir, 'store.json.tmp-17000000002a2b3c');
    fs.writeFileSync(old, '{');
    fs.writeFileSync(young, '{');
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(old, past, past);
    TokenStore.open({ dataDir });
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
  });
});
