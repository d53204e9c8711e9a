/**
 * The fast path's store reader agrees with the core's store, and hands out a token only when the
 * core itself would (valid beyond the refresh lead time, no sign-in needed). Also: deciding that
 * no app can be started never loads the electron package's index.js (its time: `npm run bench`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAppLaunch } from '../../../main/cli/app-launcher';
import { resolveDataDir } from '../../../main/model/paths';
import { FAST_SCHEMA_VERSION, FAST_STORE_FILE, fastValidToken } from '../../../main/cli/fast-token';
import { TokenDesk } from '../../../main/core/desk';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { SCHEMA_VERSION, STORE_NAME } from '../../../main/tokens/store';
import { removeTempDataDirs, tempDataDir } from '../../helpers/cli';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  removeTempDataDirs();
});

describe('fastValidToken', () => {
  it('reads the file the store writes, in the format it writes', () => {
    expect(FAST_STORE_FILE).toBe(`${STORE_NAME}.json`);
    expect(FAST_SCHEMA_VERSION).toBe(SCHEMA_VERSION);
  });

  it('returns the stored access token while it is fresh, null inside the lead time and for unknown clients', async () => {
    const dataDir = tempDataDir();
    const desk = await TokenDesk.open({ dataDir });
    try {
      await desk.createClient({
        name: 'daou',
        provider: 'daouoffice',
        baseUrl: sandbox.url,
        clientId: SANDBOX_CREDENTIALS.daouoffice.clientId,
        clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret,
      });
      expect(await fastValidToken(dataDir, 'daou')).toBeNull();
      const view = await desk.issue('daou');
      const token = await desk.validToken('daou');
      expect(await fastValidToken(dataDir, 'daou')).toBe(token.accessToken);
      expect(await fastValidToken(dataDir, view.config.id)).toBe(token.accessToken);
      expect(await fastValidToken(dataDir, 'nobody')).toBeNull();
      // Default policy: 10% of the 300 s lifetime = 30 s before expiry.
      const expiresAt = view.token!.expiresAt!;
      expect(await fastValidToken(dataDir, 'daou', expiresAt - 31_000)).toBe(token.accessToken);
      expect(await fastValidToken(dataDir, 'daou', expiresAt - 29_000)).toBeNull();
    } finally {
      await desk.close();
    }
  });

  it('returns null (the core then explains) for a missing or foreign store', async () => {
    const dataDir = tempDataDir();
    expect(await fastValidToken(dataDir, 'x')).toBeNull();
    fs.writeFileSync(path.join(dataDir, 'store.json'), JSON.stringify({ schemaVersion: 99, clients: [] }));
    expect(await fastValidToken(dataDir, 'x')).toBeNull();
    expect(fs.existsSync(path.join(dataDir, 'key.json'))).toBe(false);
  });
});

describe('findAppLaunch', () => {
  function fakeRoot(opts: { built: boolean; pathTxt: boolean; binary: boolean }): string {
    const root = tempDataDir();
    const electronDir = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(electronDir, { recursive: true });
    // Requiring this would download Electron: it must never be loaded.
    fs.writeFileSync(path.join(electronDir, 'index.js'), 'throw new Error("electron/index.js was loaded")');
    if (opts.built) {
      fs.mkdirSync(path.join(root, 'out', 'main'), { recursive: true });
      fs.writeFileSync(path.join(root, 'out', 'main', 'index.js'), '');
    }
    if (opts.pathTxt) fs.writeFileSync(path.join(electronDir, 'path.txt'), 'electron');
    if (opts.binary) {
      fs.mkdirSync(path.join(electronDir, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(electronDir, 'dist', 'electron'), '');
    }
    return root;
  }
  const display = { DISPLAY: ':0' };

  it('finds the Electron binary the electron package recorded, and says why not otherwise', () => {
    const ready = fakeRoot({ built: true, pathTxt: true, binary: true });
    expect(findAppLaunch(ready, display)).toEqual({ launch: { electron: path.join(ready, 'node_modules', 'electron', 'dist', 'electron'), root: ready }, reason: '' });
    expect(findAppLaunch(fakeRoot({ built: true, pathTxt: true, binary: false }), display)).toEqual({ launch: null, reason: 'Electron is not installed' });
    expect(findAppLaunch(fakeRoot({ built: true, pathTxt: false, binary: false }), display)).toEqual({ launch: null, reason: 'Electron is not installed' });
    expect(findAppLaunch(fakeRoot({ built: false, pathTxt: true, binary: true }), display)).toEqual({ launch: null, reason: 'the app is not built' });
    if (process.platform === 'linux') expect(findAppLaunch(ready, {})).toEqual({ launch: null, reason: 'no display' });
  });
});

describe('resolveDataDir', () => {
  it('prefers --data-dir, then TOKENDESK_HOME, then the app’s userData directory', () => {
    expect(resolveDataDir('rel', { TOKENDESK_HOME: '/elsewhere' })).toBe(path.resolve('rel'));
    expect(resolveDataDir(null, { TOKENDESK_HOME: '/elsewhere' })).toBe('/elsewhere');
    if (process.platform === 'linux') {
      expect(resolveDataDir(null, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/tokendesk');
    }
  });
});
