/**
 * Damage stays where it is (issue #11, item 2): rows 2, 3 and 5 of that issue, reproduced on a
 * real data directory, and a fuzz of store.json's clients and tokens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import type { ClientInput } from '../../../main/model/schemas';
import { TokenDeskError } from '../../../main/model/errors';
import type { ClientConfig } from '../../../main/model/types';
import { openKeyring } from '../../../main/tokens/secrets';
import { client, tempDir, tokenSet } from './helpers';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDir('tokendesk-vault-');
  dirs.push(dir);
  return dir;
}

const daou = (name: string, secret = `secret-of-${name}`): ClientInput => ({ name, provider: 'daouoffice', clientId: `id-${name}`, clientSecret: secret });
const storeFile = (dir: string) => path.join(dir, 'store.json');
const readStore = (dir: string) => JSON.parse(fs.readFileSync(storeFile(dir), 'utf8')) as Record<string, Record<string, unknown> & unknown[]>;
const writeStore = (dir: string, doc: unknown) => fs.writeFileSync(storeFile(dir), JSON.stringify(doc), { mode: 0o600 });

async function failure(promise: Promise<unknown>): Promise<TokenDeskError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TokenDeskError);
  return error as TokenDeskError;
}

/** Flips one character of a sealed value's ciphertext (the GCM tag then fails). */
function flipOne(sealed: string): string {
  const parts = sealed.split('.');
  const ct = parts[3]!;
  parts[3] = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
  return parts.join('.');
}

describe('one client with a damaged secret (issue #11, row 2)', () => {
  it('is listed as "client secret unreadable", can be re-entered and removed, and every other client works', async () => {
    const dir = dataDir();
    const first = await TokenDesk.open({ dataDir: dir });
    const a = await first.createClient(daou('A'));
    const b = await first.createClient(daou('B'));
    await first.close();

    const doc = readStore(dir);
    (doc.secrets as Record<string, string>)[a.config.id] = flipOne((doc.secrets as Record<string, string>)[a.config.id]!);
    writeStore(dir, doc);

    // A new process, as the CLI's status would be: it opens, lists and shows every client.
    const desk = await TokenDesk.open({ dataDir: dir });
    const views = desk.listClients();
    expect(views.map((view) => [view.config.name, view.state])).toEqual([['A', 'damaged'], ['B', 'none']]);
    expect(views[0]!.damage).toMatchObject({ kind: 'secret', message: 'The client secret of "A" is unreadable: enter it again in the client\'s settings.', text: { code: 'damage_secret', params: { name: 'A' } } });
    expect(views[0]!.hasSecret).toBe(false);
    expect(views[1]).toMatchObject({ hasSecret: true, damage: null });
    expect(desk.getClient('A').state).toBe('damaged');
    expect(JSON.parse(await desk.exportClients(undefined, true)).clients.map((c: ClientInput) => [c.name, c.clientSecret])).toEqual([['A', undefined], ['B', 'secret-of-B']]);
    // Using the damaged one says what is wrong; it is not a crash and it touches nothing else.
    expect(await failure(desk.issue('A'))).toMatchObject({ code: 'needs_signin', message: expect.stringContaining('client secret of "A" is unreadable') });

    const repaired = await desk.updateClient('A', { ...daou('A'), clientSecret: 'entered-again' });
    expect(repaired).toMatchObject({ state: 'none', hasSecret: true, damage: null });
    await desk.removeClient('A');
    expect(desk.listClients().map((view) => view.config.name)).toEqual(['B']);
    expect(desk.getClient(b.config.id).hasSecret).toBe(true);
    await desk.close();
  });
});

describe('a store whose key is gone (issue #11, row 3)', () => {
  it('is not given a new key: it says the key is gone, keeps the store, and starts over only when asked, with the old store moved aside', async () => {
    const dir = dataDir();
    const first = await TokenDesk.open({ dataDir: dir });
    await first.createClient(daou('A'));
    await first.close();
    const before = fs.readFileSync(storeFile(dir));
    fs.rmSync(path.join(dir, 'key.json'));

    const error = await failure(TokenDesk.open({ dataDir: dir }));
    expect(error.code).toBe('storage');
    expect(error.text).toEqual({ code: 'key_missing', params: { keyPath: path.join(dir, 'key.json') } });
    expect(error.message).toMatch(/is gone, while the store still holds secrets sealed with it.*start over \(`tokendesk start-over`, or Start over in the app\): the old store is then moved aside, not deleted/);
    expect(fs.existsSync(path.join(dir, 'key.json'))).toBe(false);
    expect(fs.readFileSync(storeFile(dir)).equals(before)).toBe(true);

    const fresh = await TokenDesk.open({ dataDir: dir, startOver: true });
    expect(fresh.listClients()).toEqual([]);
    const kept = fs.readdirSync(dir).filter((name) => /^store\.keyless-.*\.json$/.test(name));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, kept[0]!)).equals(before)).toBe(true);
    expect(fresh.info().warnings).toContainEqual(expect.objectContaining({ code: 'started_over', path: path.join(dir, kept[0]!), text: { code: 'started_over', params: { path: path.join(dir, kept[0]!) } } }));
    await fresh.createClient(daou('B'));
    await fresh.close();

    // With its key in place, asking to start over changes nothing.
    const again = await TokenDesk.open({ dataDir: dir, startOver: true });
    expect(again.listClients().map((view) => view.config.name)).toEqual(['B']);
    expect(again.info().warnings.map((warning) => warning.code)).not.toContain('started_over');
    await again.close();
    expect(fs.readdirSync(dir).filter((name) => name.includes('keyless'))).toHaveLength(1);
  });

  it('a directory without sealed values still gets its first key', async () => {
    const dir = dataDir();
    const desk = await TokenDesk.open({ dataDir: dir });
    await desk.close();
    fs.rmSync(path.join(dir, 'key.json'));
    await (await TokenDesk.open({ dataDir: dir })).close();
    expect(fs.existsSync(path.join(dir, 'key.json'))).toBe(true);
  });
});

describe('a client whose stored settings are wrong (issue #11, row 5)', () => {
  it('provider "nosuch" and baseUrl 12345 are that client\'s damage: listed, shown, edited and removed, while the good client works', async () => {
    const dir = dataDir();
    const first = await TokenDesk.open({ dataDir: dir });
    const good = await first.createClient(daou('Good'));
    await first.close();
    const doc = readStore(dir);
    const clients = doc.clients as unknown as ClientConfig[];
    clients.push({ ...clients[0]!, id: 'nosuch-provider', name: 'Nosuch', provider: 'nosuch' as ClientConfig['provider'] });
    clients.push({ ...clients[0]!, id: 'numeric-base', name: 'Numeric', baseUrl: 12345 as unknown as string });
    writeStore(dir, doc);

    const desk = await TokenDesk.open({ dataDir: dir });
    const views = desk.listClients();
    expect(views.map((view) => [view.config.name, view.state, view.damage?.kind ?? null])).toEqual([
      ['Good', 'none', null],
      ['Nosuch', 'damaged', 'settings'],
      ['Numeric', 'damaged', 'settings'],
    ]);
    expect(views[1]!.damage!.message).toMatch(/^The stored settings of "Nosuch" cannot be read \(provider: .*\): edit the client to fix them, or remove it\.$/);
    expect(views[2]!.damage!.message).toMatch(/\(baseUrl: /);
    expect(views[1]!.capabilities.issue).toBe(false);
    expect(await failure(desk.issue('Nosuch'))).toMatchObject({ code: 'storage', text: { code: 'damage_settings' } });
    expect(await failure(desk.validToken('Numeric'))).toMatchObject({ code: 'storage' });

    await desk.updateClient('Numeric', daou('Numeric'));
    expect(desk.getClient('Numeric')).toMatchObject({ state: 'none', damage: null, config: { baseUrl: 'https://api.daouoffice.com', provider: 'daouoffice' } });
    await desk.removeClient('Nosuch');
    expect(desk.listClients().map((view) => view.config.name)).toEqual(['Good', 'Numeric']);
    expect(desk.getClient(good.config.id).hasSecret).toBe(true);
    await desk.close();
  });
});

/** A small deterministic PRNG (mulberry32): the same malformed values on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz: store.json clients and tokens', () => {
  it('thousands of random and malformed values: no crash, no unhandled rejection, the good client unaffected', async () => {
    const random = prng(20261129);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const weird = (): unknown =>
      pick([
        () => null,
        () => undefined,
        () => random() * 1e21 - 5e20,
        () => pick([0, -1, 1e20, Number.MAX_SAFE_INTEGER, 8.64e15 + 1, 0.5]),
        () => pick(['', 'x'.repeat(5000), '\u0000\u001b[31m', 'v1.a.b.c', 'v1...', '🙂', 'https://', '2026-13-45']),
        () => pick([true, false]),
        () => [weird(), weird()],
        () => ({ [pick(['id', 'name', 'a', '__proto__', 'constructor'])]: weird() }),
      ])();

    const dir = dataDir();
    const setupDesk = await TokenDesk.open({ dataDir: dir });
    const good = (await setupDesk.createClient({ name: 'Good', provider: 'oauth2', clientId: 'cid', clientSecret: 's', generic: {
      grant: 'client_credentials', authorizationUrl: null, tokenUrl: 'https://auth.example.test/token', refreshUrl: null, revocationUrl: null,
      clientAuth: 'basic', paramsIn: 'body', pkce: false, extraParams: {}, responseFields: {}, username: null,
    } })).config;
    await setupDesk.close();
    const keyring = await openKeyring({ dataDir: dir });
    const goodToken = tokenSet({ accessToken: 'good-access', expiresAt: Date.now() + 86_400_000 });
    const base = readStore(dir);
    (base.tokens as Record<string, string>)[good.id] = keyring.seal(JSON.stringify(goodToken));

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let values = 0;
    try {
      for (let round = 0; round < 126; round++) {
        const doc = structuredClone(base);
        const clients = doc.clients as unknown as unknown[];
        const tokens = doc.tokens as Record<string, unknown>;
        const secrets = doc.secrets as Record<string, unknown>;
        for (let n = 0; n < 8; n++) {
          const id = `fuzz-${round}-${n}`;
          // A valid client with one field replaced, or something that is not a client at all.
          const field = pick(Object.keys(client('x')) as (keyof ClientConfig)[]);
          clients.push(random() < 0.7 ? { ...client(id, { name: `F${round}-${n}` }), [field]: weird() } : weird());
          tokens[id] = pick([
            () => weird(),
            () => flipOne(keyring.seal(JSON.stringify(goodToken))),
            () => keyring.seal(JSON.stringify({ ...goodToken, [pick(Object.keys(goodToken))]: weird() })),
            () => keyring.seal(JSON.stringify(weird()) ?? 'null'),
          ])();
          if (random() < 0.5) secrets[id] = pick([() => weird(), () => keyring.seal(JSON.stringify(weird()) ?? 'null')])();
          values += 3;
        }
        writeStore(dir, doc);

        const desk = await TokenDesk.open({ dataDir: dir });
        try {
          const views = desk.listClients();
          expect(views.length).toBeGreaterThan(0);
          const mine = views.find((view) => view.config.id === good.id);
          expect(mine).toMatchObject({ state: 'valid', damage: null, hasSecret: true, token: { expiresAt: goodToken.expiresAt } });
          expect((await desk.validToken(good.id)).accessToken).toBe('good-access');
          for (const view of views) {
            expect(desk.getClient(view.config.id).config.id).toBe(view.config.id);
            await desk.tokenDetail(view.config.id, false).catch((error: unknown) => expect(error).toBeInstanceOf(TokenDeskError));
          }
          const victim = pick(views.filter((view) => view.config.id !== good.id));
          await desk.removeClient(victim.config.id);
          expect(desk.listClients().some((view) => view.config.id === victim.config.id)).toBe(false);
        } finally {
          await desk.close();
        }
      }
      // Rejections from fire-and-forget work land a tick later.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(values).toBeGreaterThanOrEqual(3000);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
