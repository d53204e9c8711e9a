import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import type { Exchange } from '../../../main/model/types';
import {
  FILE_KEY_WARNING,
  KEYCHAIN_REQUIRED_MESSAGE,
  openKeyring,
  type Keychain,
} from '../../../main/tokens/secrets';
import { allFiles, client, setup, tempDir, tokenSet } from './helpers';

/** A stand-in for safeStorage: reversible, and visibly not plaintext. */
function fakeKeychain(overrides: Partial<Keychain> = {}): Keychain & { calls: number } {
  const keychain = {
    backend: 'fake_keychain',
    plaintextEquivalent: false,
    calls: 0,
    async encrypt(plain: string) {
      keychain.calls++;
      return Buffer.from(`wrapped:${Buffer.from(plain).reverse().toString('base64')}`);
    },
    async decrypt(data: Buffer) {
      keychain.calls++;
      const text = data.toString();
      if (!text.startsWith('wrapped:')) throw new Error('not ours');
      return Buffer.from(text.slice('wrapped:'.length), 'base64').reverse().toString();
    },
    ...overrides,
  };
  return keychain;
}

const keyFile = (dataDir: string) => JSON.parse(fs.readFileSync(path.join(dataDir, 'key.json'), 'utf8'));

describe('openKeyring', () => {
  it('seals in the v1 AES-256-GCM format with a fresh IV per value, and opens it again', async () => {
    const keyring = await openKeyring({ dataDir: tempDir() });
    const a = keyring.seal('hello 안녕');
    const b = keyring.seal('hello 안녕');
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(keyring.open(a)).toBe('hello 안녕');
    expect(keyring.open(b)).toBe('hello 안녕');
  });

  it('without a keychain keeps the data key in a 0600 key file and says so', async () => {
    const dataDir = tempDir();
    const keyring = await openKeyring({ dataDir });
    expect(keyring.protection).toBe('file');
    expect(keyring.warning).toBe(FILE_KEY_WARNING);
    expect(keyFile(dataDir)).toMatchObject({ version: 1, kind: 'file' });
    expect(fs.statSync(path.join(dataDir, 'key.json')).mode & 0o777).toBe(0o600);
    const again = await openKeyring({ dataDir });
    expect(again.open(keyring.seal('x'))).toBe('x');
  });

  it('treats a plaintext-equivalent keychain (basic_text) as no keychain, with its own warning', async () => {
    const dataDir = tempDir();
    const keychain = fakeKeychain({ backend: 'basic_text', plaintextEquivalent: true });
    const keyring = await openKeyring({ dataDir, keychain });
    expect(keyring.protection).toBe('file');
    expect(keyring.warning).toMatch(/"basic_text" stores keys as plain text/);
    expect(keyFile(dataDir).kind).toBe('file');
  });

  it('wraps the data key with the keychain when there is one', async () => {
    const dataDir = tempDir();
    const keychain = fakeKeychain();
    const keyring = await openKeyring({ dataDir, keychain });
    expect(keyring.protection).toBe('keychain');
    expect(keyring.warning).toBeNull();
    const stored = keyFile(dataDir);
    expect(stored).toMatchObject({ version: 1, kind: 'keychain', backend: 'fake_keychain' });
    expect(stored.key).toBeUndefined();
    const again = await openKeyring({ dataDir, keychain });
    expect(again.open(keyring.seal('x'))).toBe('x');
  });

  it('moves a file key under the keychain once one is available, keeping the same key', async () => {
    const dataDir = tempDir();
    const sealed = (await openKeyring({ dataDir })).seal('secret');
    const keyring = await openKeyring({ dataDir, keychain: fakeKeychain() });
    expect(keyring.protection).toBe('keychain');
    expect(keyFile(dataDir).kind).toBe('keychain');
    expect(keyring.open(sealed)).toBe('secret');
  });

  it('refuses, clearly, a keychain-held key when no keychain is given (standalone command line)', async () => {
    const dataDir = tempDir();
    await openKeyring({ dataDir, keychain: fakeKeychain() });
    const attempt = openKeyring({ dataDir });
    await expect(attempt).rejects.toThrow(TokenDeskError);
    await expect(openKeyring({ dataDir })).rejects.toMatchObject({ code: 'storage', message: KEYCHAIN_REQUIRED_MESSAGE });
  });

  it('reports a keychain that cannot unwrap the key as a storage error', async () => {
    const dataDir = tempDir();
    await openKeyring({ dataDir, keychain: fakeKeychain() });
    const broken = fakeKeychain({ decrypt: () => Promise.reject(new Error('user denied access')) });
    await expect(openKeyring({ dataDir, keychain: broken })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringMatching(/could not unlock this data directory's key/),
    });
  });

  it('never replaces a damaged key file', async () => {
    const dataDir = tempDir();
    await openKeyring({ dataDir });
    fs.writeFileSync(path.join(dataDir, 'key.json'), '{"version":1,"kind":"fi');
    await expect(openKeyring({ dataDir })).rejects.toMatchObject({ code: 'storage', message: expect.stringMatching(/key\.json cannot be used \(it is not valid JSON\)/) });
    expect(fs.readFileSync(path.join(dataDir, 'key.json'), 'utf8')).toBe('{"version":1,"kind":"fi');
  });

  it('two keyrings opening a fresh directory at once agree on one key', async () => {
    const dataDir = tempDir();
    const [a, b] = await Promise.all([openKeyring({ dataDir }), openKeyring({ dataDir })]);
    expect(b.open(a.seal('same'))).toBe('same');
  });

  describe('a value that does not decrypt', () => {
    const message = 'A stored secret could not be decrypted: it was changed on disk or sealed with another key. Sign in again to replace it.';

    it('tampered ciphertext is a clear storage error, not garbage', async () => {
      const keyring = await openKeyring({ dataDir: tempDir() });
      const [v, iv, tag, ct] = keyring.seal('the secret').split('.') as [string, string, string, string];
      const flipped = Buffer.from(ct, 'base64url');
      flipped[0] = flipped[0]! ^ 1;
      expect(() => keyring.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(message);
      expect(() => keyring.open([v, iv, tag.slice(0, -2) + 'AA', ct].join('.'))).toThrow(message);
    });

    it('a value sealed under another key is a clear storage error', async () => {
      const mine = await openKeyring({ dataDir: tempDir() });
      const theirs = await openKeyring({ dataDir: tempDir() });
      let error: unknown;
      try {
        mine.open(theirs.seal('x'));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TokenDeskError);
      expect(error).toMatchObject({ code: 'storage', message });
    });

    it('a value in an unknown format is a clear storage error', async () => {
      const keyring = await openKeyring({ dataDir: tempDir() });
      expect(() => keyring.open('v2.a.b.c')).toThrow(/not in a format this TokenDesk can read/);
      expect(() => keyring.open('plain text')).toThrow(/not in a format this TokenDesk can read/);
    });
  });
});

describe('secrets at rest', () => {
  it('no secret occurs in any file of the data directory, raw or base64', async () => {
    const secrets = {
      clientSecret: 'client-secret-Zq8vN2xW9',
      password: 'password-Lk3mP0qR7',
      access: 'access-token-Hy6tG4fD1',
      refresh: 'refresh-token-Pw2eR5tY8',
      cookieAccess: 'cookie-access-Jk9lM3nB6',
      cookieRefresh: 'cookie-refresh-Vc4xZ7aS2',
    };
    const { dataDir, manager, vault } = await setup([client('a'), client('b', { provider: 'itcode', platform: 'naver' })]);
    await vault.transaction(() => vault.putClient(client('a'), { clientSecret: secrets.clientSecret, password: secrets.password }));
    await manager.saveToken('a', tokenSet({ accessToken: secrets.access, refreshToken: secrets.refresh, raw: { access_token: secrets.access, refresh_token: secrets.refresh } }));
    await manager.saveToken('b', tokenSet({ accessToken: secrets.cookieAccess, refreshToken: secrets.cookieRefresh, cookies: { access: secrets.cookieAccess, refresh: secrets.cookieRefresh } }));
    const exchange: Exchange = {
      id: 'x1',
      clientId: 'a',
      startedAt: 1,
      durationMs: 2,
      method: 'POST',
      url: `https://auth.example.test/token?code=${secrets.refresh}`,
      requestHeaders: { authorization: `Basic ${Buffer.from(`cid:${secrets.clientSecret}`).toString('base64')}` },
      requestBody: `grant_type=refresh_token&refresh_token=${secrets.refresh}&password=${secrets.password}`,
      status: 200,
      responseHeaders: { 'set-cookie': [`access=${secrets.cookieAccess}`, `refresh=${secrets.cookieRefresh}`] },
      responseBody: JSON.stringify({ access_token: secrets.access, refresh_token: secrets.refresh }),
      error: null,
    };
    for (let i = 0; i < 3; i++) await vault.recordExchange('a', { ...exchange, id: `x${i}` });
    expect(vault.exchanges('a')).toHaveLength(3);
    expect(vault.secrets('a').clientSecret).toBe(secrets.clientSecret);

    const files = allFiles(dataDir);
    expect(files.map((file) => path.relative(dataDir, file)).sort()).toEqual([path.join('exchanges', 'a.log'), 'key.json', 'store.json']);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const secret of Object.values(secrets)) {
        for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]) {
          expect(bytes.includes(Buffer.from(form)), `${form} in ${path.basename(file)}`).toBe(false);
        }
        // base64 of the secret at any alignment inside a longer value: drop the edge characters.
        for (const shift of ['', 'x', 'xy']) {
          const inner = Buffer.from(shift + secret).toString('base64').slice(4, -4);
          expect(bytes.includes(Buffer.from(inner)), `${secret} (base64, shifted) in ${path.basename(file)}`).toBe(false);
        }
      }
    }
  });

  it('every file of the data directory is 0600', async () => {
    const { dataDir, manager } = await setup([client('a')]);
    await manager.saveToken('a', tokenSet());
    for (const file of allFiles(dataDir)) expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
  });
});
