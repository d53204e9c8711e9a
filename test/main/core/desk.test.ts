import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { TokenDeskError } from '../../../main/model/errors';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import { sandboxClientPresets } from '../../../main/sandbox/presets';
import { playUser } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
const desks: TokenDesk[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  sandbox.faults.clear();
  await Promise.all(desks.splice(0).map((desk) => desk.close()));
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-desk-'));
  dirs.push(dir);
  return dir;
}

async function open(dataDir = tempDir(), withSandbox = true): Promise<TokenDesk> {
  const desk = await TokenDesk.open({ dataDir, sandboxUrl: withSandbox ? sandbox.url : null, sandboxSeeds: sandboxClientPresets(sandbox.url) });
  desks.push(desk);
  return desk;
}

const DAOU = 'Sandbox — Daou Office';
const HEJHOME = 'Sandbox — Hejhome';

async function failure(promise: Promise<unknown>): Promise<TokenDeskError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenDeskError);
  return error as TokenDeskError;
}

describe('TokenDesk on first run', () => {
  it('offers a ready sandbox client for every provider, once', async () => {
    const dataDir = tempDir();
    const desk = await open(dataDir);
    const names = desk.listClients().map((client) => client.config.name);
    expect(names).toEqual(expect.arrayContaining([DAOU, HEJHOME, 'Sandbox — POD Shop']));
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(desk.listClients().every((client) => client.config.sandbox && client.state === 'none')).toBe(true);
    for (const name of names) await desk.removeClient(name);
    await desk.close();
    const again = await open(dataDir);
    expect(again.listClients()).toEqual([]);
  });

  it('tells the user the key lives in a file when no keychain is given', async () => {
    const desk = await open(tempDir(), false);
    expect(desk.info()).toMatchObject({ keyProtection: 'file', warnings: [{ code: 'key_file' }] });
  });
});

describe('the Daou Office slice', () => {
  it('issues a token, shows it masked with its expiry, records the exchange masked, and keeps it across restarts', async () => {
    const dataDir = tempDir();
    const desk = await open(dataDir);
    const before = Date.now();
    const view = await desk.issue(DAOU);
    expect(view.state).toBe('valid');
    const token = await desk.reveal(DAOU, 'access');
    expect(token).toMatch(/^eyJ/);
    expect(view.token?.accessTokenMasked).not.toContain(token);
    expect(view.token?.accessTokenMasked).toMatch(/^.{4}….{4}$/);
    // expires_in comes as the string "300" from the sandbox: the expiry is still computed.
    expect(view.token?.expiresAt).toBeGreaterThanOrEqual(before + sandbox.lifetimes.daouAccess * 1000 - 1000);
    expect(view.token?.expiresAt).toBeLessThanOrEqual(Date.now() + sandbox.lifetimes.daouAccess * 1000 + 1000);

    await expect.poll(async () => (await desk.exchanges(DAOU, false)).length).toBe(1);
    const [exchange] = await desk.exchanges(DAOU, false);
    expect(exchange).toMatchObject({ method: 'POST', status: 200, url: `${sandbox.url}/public/auth/v1/oauth2/token` });
    expect(exchange?.requestHeaders['authorization'] ?? exchange?.requestHeaders['Authorization']).toBe('Basic ••••');
    expect(exchange?.responseBody).not.toContain(token);
    const [revealed] = await desk.exchanges(DAOU, true);
    expect(revealed?.responseBody).toContain(token);

    await desk.close();
    const reopened = await open(dataDir);
    expect(await reopened.reveal(DAOU, 'access')).toBe(token);
    expect(reopened.getClient(DAOU).state).toBe('valid');
  });

  it('shows the provider message as written, with the raw body, for a wrong secret', async () => {
    const desk = await open();
    const client = desk.getClient(DAOU).config;
    await desk.updateClient(DAOU, { name: client.name, provider: client.provider, baseUrl: client.baseUrl, clientId: client.clientId, clientSecret: 'wrong' });
    const error = await failure(desk.issue(DAOU));
    expect(error.code).toBe('provider_rejected');
    expect(error.status).toBe(401);
    expect(error.providerMessage).toMatch(/를 확인하세요$/);
    expect(JSON.parse(error.rawBody ?? '')).toMatchObject({ code: '401', message: 'invalid_client' });
    expect(desk.getClient(DAOU)).toMatchObject({ state: 'error', lastError: { code: 'provider_rejected', providerMessage: error.providerMessage } });
  });

  it('gives a clear error carrying the raw body when the response is not JSON, and loses nothing', async () => {
    const desk = await open();
    await desk.issue(DAOU);
    const token = await desk.reveal(DAOU, 'access');
    sandbox.faults.next('malformed_json');
    const error = await failure(desk.issue(DAOU));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(/not valid JSON/i);
    expect(error.rawBody).toBeTruthy();
    expect(await desk.reveal(DAOU, 'access')).toBe(token);
  });

  it('writes no secret in plaintext anywhere in the data directory', async () => {
    const dataDir = tempDir();
    const desk = await open(dataDir);
    await desk.issue(DAOU);
    const secrets = [await desk.reveal(DAOU, 'access'), sandbox.credentials.daouoffice.clientSecret];
    await expect.poll(async () => (await desk.exchanges(DAOU, true)).length).toBe(1);
    const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const entry of files) {
      const bytes = fs.readFileSync(path.join(entry.parentPath, entry.name));
      for (const secret of secrets) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${entry.name}`).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64'))), `base64 in ${entry.name}`).toBe(false);
      }
    }
  });
});

describe('sign-in and refresh through the desk', () => {
  it('signs in to Hejhome through its login page and refreshes twice under rotation', async () => {
    const desk = await open();
    const pending = await desk.beginSignIn(HEJHOME);
    expect(pending.authorizeUrl).toContain(`redirect_uri=${desk.getClient(HEJHOME).config.redirectUri}`);
    const { username, password } = sandbox.credentials.hejhome;
    const callback = await playUser(pending.authorizeUrl, { username, password });
    const view = await desk.completeSignIn(HEJHOME, callback);
    expect(view.state).toBe('valid');
    const first = await desk.reveal(HEJHOME, 'refresh');
    await desk.refresh(HEJHOME);
    const second = await desk.reveal(HEJHOME, 'refresh');
    await desk.refresh(HEJHOME);
    const third = await desk.reveal(HEJHOME, 'refresh');
    expect(new Set([first, second, third]).size).toBe(3);
    // The code was single-use: completing again is refused.
    const again = await failure(desk.completeSignIn(HEJHOME, callback));
    expect(again.code).toBe('needs_signin');
  });

  it('announces notices the core clears when a new token is saved', async () => {
    const desk = await open();
    const { username, password } = sandbox.credentials.hejhome;
    const signIn = async () => desk.completeSignIn(HEJHOME, await playUser((await desk.beginSignIn(HEJHOME)).authorizeUrl, { username, password }));
    await signIn();
    // Rotate the refresh token behind the desk's back: the stored one is now stale.
    const stale = await desk.reveal(HEJHOME, 'refresh');
    const { clientId, clientSecret } = sandbox.credentials.hejhome;
    const rotated = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stale }).toString(),
    });
    expect(rotated.status).toBe(200);
    const error = await failure(desk.refresh(HEJHOME));
    expect(error.code).toBe('invalid_grant');
    expect(desk.getClient(HEJHOME).state).toBe('needs_signin');
    expect(desk.notices()).toEqual([expect.objectContaining({ kind: 'needs_signin' })]);
    const events: string[] = [];
    desk.onChange((event) => events.push(event));
    await signIn();
    expect(desk.notices()).toEqual([]);
    expect(events).toContain('notices');
  });

  it('validToken re-issues an expired client-credentials token, once for many callers', async () => {
    const desk = await open();
    sandbox.lifetimes.daouAccess = 1;
    try {
      await desk.issue(DAOU);
      const first = await desk.reveal(DAOU, 'access');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      sandbox.resetCounters();
      const tokens = await Promise.all(Array.from({ length: 20 }, () => desk.validToken(DAOU)));
      expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
      expect(tokens[0]?.accessToken).not.toBe(first);
      expect(sandbox.counters['daou.token']).toBe(1);
    } finally {
      sandbox.lifetimes.daouAccess = 300;
    }
  });
});

describe('clients', () => {
  it('duplicates, exports without secrets unless asked, imports with unique names, and removes', async () => {
    const desk = await open();
    const copy = await desk.duplicateClient(DAOU);
    expect(copy.config.name).toBe(`${DAOU} copy`);
    expect(copy.hasSecret).toBe(true);
    const bare = await desk.exportClients([DAOU], false);
    expect(bare).not.toContain(sandbox.credentials.daouoffice.clientSecret);
    const full = await desk.exportClients([DAOU], true);
    expect(full).toContain(sandbox.credentials.daouoffice.clientSecret);
    const [imported] = await desk.importClients(full);
    expect(imported?.config.name).toBe(`${DAOU} (2)`);
    expect((await desk.issue(imported!.config.id)).state).toBe('valid');
    await desk.removeClient(copy.config.id);
    expect(desk.listClients().some((client) => client.config.id === copy.config.id)).toBe(false);
    const error = await failure(desk.createClient({ name: DAOU, provider: 'daouoffice', clientId: 'x', clientSecret: 'y' }));
    expect(error.message).toBe(`A client named "${DAOU}" already exists: choose another name.`);
  });
});

describe('a corrupt store', () => {
  it('is moved aside as a backup; the core starts and tells the user where it is', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'store.json'), '{"clients": [garbage');
    const desk = await open(dataDir);
    const warning = desk.info().warnings.find((entry) => entry.code === 'store_recovered');
    expect(warning?.path).toBeTruthy();
    expect(fs.readFileSync(warning!.path!, 'utf8')).toBe('{"clients": [garbage');
    expect(desk.listClients().length).toBeGreaterThan(0);
  });
});
