/**
 * Import from hand-written files in each tool's real export format (test/fixtures/import/): the
 * preview lists the expected clients and what it skipped, the clients are created with their
 * secrets sealed, and their tokens are issued by the sandbox and accepted by it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import type { ImportFile } from '../../../main/import/types';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { ensureCliBuilt, runCli } from '../../helpers/cli';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/import');
const FIXTURE_ORIGIN = 'http://127.0.0.1:47999';

let sandbox: Sandbox;
let root: string;
let desk: TokenDesk;

/** The fixtures as a user would have them, pointing at this run's sandbox. */
function copyFixtures(): string {
  const dir = fs.mkdtempSync(path.join(root, 'fixtures-'));
  fs.cpSync(FIXTURES, dir, { recursive: true });
  const rewrite = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) rewrite(full);
      else fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replaceAll(FIXTURE_ORIGIN, sandbox.url));
    }
  };
  rewrite(dir);
  return dir;
}

const file = (dir: string, name: string): ImportFile => ({ path: name, text: fs.readFileSync(path.join(dir, name), 'utf8') });
const brunoFiles = (dir: string): ImportFile[] =>
  (fs.readdirSync(path.join(dir, 'bruno'), { recursive: true }) as string[])
    .filter((name) => name.endsWith('.bru') || name === 'bruno.json')
    .map((name) => ({ path: name.split(path.sep).join('/'), text: fs.readFileSync(path.join(dir, 'bruno', name), 'utf8') }));

/** The sandbox accepts the token on its API (Daou's /public/v1/me, the generic userinfo, POD's orders). */
async function tokenWorks(name: string): Promise<void> {
  const view = desk.getClient(name);
  await desk.issue(name);
  const token = await desk.reveal(name, 'access');
  const apiPath = { daouoffice: '/public/v1/me', oauth2: '/oauth2/userinfo', podshop: '/ac/ext/v1/me', hejhome: '', itcode: '' }[view.config.provider];
  const response = await fetch(`${sandbox.url}${apiPath}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, `${name}: ${await response.text()}`).toBe(200);
}

let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'td-import-'));
});
afterAll(async () => {
  await sandbox?.close();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(async (context) => {
  dir = copyFixtures();
  desk = await TokenDesk.open({ dataDir: path.join(dir, 'data') });
  context.onTestFinished(() => desk.close());
});

describe('import', () => {
  it('Postman v2.1 + environment: folder and request auth, variables resolved, duplicates merged, implicit skipped', async () => {
    const preview = await desk.previewImport({
      files: [file(dir, 'postman/sandbox-apis.postman_collection.json')],
      environment: file(dir, 'postman/sandbox.postman_environment.json'),
    });
    expect(preview.format).toBe('Postman collection');
    expect(preview.clients.map((c) => [c.input.name, c.input.provider, c.hasSecret, c.needsSecret])).toEqual([
      ['Daou', 'daouoffice', true, false],
      ['Generic (read)', 'oauth2', true, false],
      ['Public app', 'oauth2', false, false],
    ]);
    expect(preview.clients[1]!.sources).toEqual(['Postman › Sandbox APIs › Generic › Userinfo', 'Postman › Sandbox APIs › Generic › Userinfo again']);
    expect(preview.clients[1]!.input.generic).toMatchObject({ grant: 'client_credentials', tokenUrl: `${sandbox.url}/oauth2/token`, clientAuth: 'body' });
    expect(preview.clients[2]!.input.generic).toMatchObject({ grant: 'authorization_code', clientAuth: 'none', pkce: true, authorizationUrl: `${sandbox.url}/oauth2/authorize` });
    // No secret crosses to the preview.
    expect(JSON.stringify(preview)).not.toContain('sandbox-daou-secret');
    expect(preview.skipped).toEqual([{ source: 'Postman › Sandbox APIs › Generic › Old implicit', reason: expect.stringContaining('The implicit grant is not supported'), text: { code: 'skip_implicit', params: {} } }]);
    expect(desk.listClients()).toEqual([]);

    const created = await desk.applyImport(preview.id);
    expect(created.map((view) => view.hasSecret)).toEqual([true, true, false]);
    // Sealed at once: the store holds no secret in the clear.
    expect(fs.readFileSync(path.join(dir, 'data', 'store.json'), 'utf8')).not.toContain('sandbox-oauth2-secret');
    await tokenWorks('Daou');
    await tokenWorks('Generic (read)');
  });

  it('a Postman variable nothing defines skips that auth and says how to fix it', async () => {
    const preview = await desk.previewImport({ files: [file(dir, 'postman/sandbox-apis.postman_collection.json')] });
    expect(preview.clients).toEqual([]);
    expect(preview.skipped[0]).toEqual({
      source: 'Postman › Sandbox APIs › Daou Office',
      reason: 'uses {{baseUrl}}, {{daouClientSecret}}, which nothing defines: import it together with an environment (--env FILE).',
      // The app translates the reason by its code.
      text: { code: 'skip_unresolved_env_file', params: { names: '{{baseUrl}}, {{daouClientSecret}}' } },
    });
  });

  it('Insomnia v4: password grant in a folder, client credentials with its audience, nested environment values', async () => {
    const preview = await desk.previewImport({ files: [file(dir, 'insomnia/sandbox-v4.json')] });
    expect(preview.clients.map((c) => [c.input.name, c.input.generic?.grant, c.input.generic?.clientAuth, c.hasPassword])).toEqual([
      ['Who am I', 'password', 'basic', true],
      ['Service account', 'client_credentials', 'body', false],
    ]);
    expect(preview.clients[0]!.sources).toEqual(['Insomnia › Sandbox › Resource owner › Who am I']);
    expect(preview.clients[0]!.input.generic?.username).toBe('sandbox-user');
    expect(preview.clients[1]!.input.generic?.extraParams).toEqual({ audience: 'https://api.example.com' });
    await desk.applyImport(preview.id);
    await tokenWorks('Who am I');
    await tokenWorks('Service account');
  });

  it('Insomnia v5 (YAML): a POD Shop token URL becomes the POD Shop preset; an authorization code client keeps PKCE', async () => {
    const preview = await desk.previewImport({ files: [file(dir, 'insomnia/sandbox-v5.yaml')] });
    expect(preview.format).toBe('Insomnia v5');
    expect(preview.clients.map((c) => [c.input.name, c.input.provider, c.input.baseUrl])).toEqual([
      ['POD Shop', 'podshop', sandbox.url],
      ['Sign in with PKCE', 'oauth2', sandbox.url],
    ]);
    expect(preview.clients[1]!.input).toMatchObject({ redirectUri: 'http://127.0.0.1/oauth2/callback', generic: { grant: 'authorization_code', pkce: true, clientAuth: 'none' } });
    await desk.applyImport(preview.id);
    await tokenWorks('POD Shop');
  });

  it('Bruno folder, read by @usebruno/lang: collection auth with a secret Bruno keeps out of its files, asked for; request auth to Daou', async () => {
    const preview = await desk.previewImport({ files: brunoFiles(dir) });
    expect(preview.format).toBe('Bruno (environment Sandbox)');
    expect(preview.clients.map((c) => [c.input.name, c.input.provider, c.needsSecret])).toEqual([
      ['Sandbox in Bruno', 'oauth2', true],
      ['Daou me', 'daouoffice', false],
    ]);
    expect(preview.clients[0]!.sources).toEqual(['Bruno › Sandbox in Bruno']);
    expect(preview.clients[1]!.sources).toEqual(['Bruno › Sandbox in Bruno › requests › daou']);
    await expect(desk.applyImport(preview.id)).rejects.toThrow('Sandbox in Bruno needs its client secret: enter it to import.');
    expect(desk.listClients()).toEqual([]);
    await desk.applyImport(preview.id, { secrets: { '0': { clientSecret: SANDBOX_CREDENTIALS.oauth2.clientSecret } } });
    await tokenWorks('Daou me');
    await tokenWorks('Sandbox in Bruno');
  });

  it('three curl commands: Basic with -u, client_secret in the body, a Basic header with the password grant', async () => {
    const preview = await desk.previewImport({ files: [file(dir, 'curl/token-requests.sh')] });
    const host = new URL(sandbox.url).host;
    expect(preview.clients.map((c) => [c.input.name, c.input.provider, c.input.generic?.grant ?? null, c.input.generic?.clientAuth ?? null])).toEqual([
      [`${host} sandbox-daou-client`, 'daouoffice', null, null],
      [`${host} sandbox-oauth2-client`, 'oauth2', 'client_credentials', 'body'],
      [`${host} sandbox-oauth2-client (2)`, 'oauth2', 'password', 'basic'],
    ]);
    expect(preview.clients[2]!.input).toMatchObject({ scope: 'read write', generic: { username: 'sandbox-user' } });
    const created = await desk.applyImport(preview.id);
    for (const view of created) await tokenWorks(view.config.name);
  });

  it('export without secrets, then import: the secrets are asked for, and the clients work', async () => {
    await desk.createClient({ name: 'daou', provider: 'daouoffice', baseUrl: sandbox.url, clientId: SANDBOX_CREDENTIALS.daouoffice.clientId, clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret });
    const exported = await desk.exportClients(undefined, false);
    expect(exported).not.toContain(SANDBOX_CREDENTIALS.daouoffice.clientSecret);
    const other = await TokenDesk.open({ dataDir: path.join(dir, 'colleague') });
    try {
      const preview = await other.previewImport({ files: [{ path: 'daou.json', text: exported }] });
      expect(preview.clients.map((c) => [c.input.name, c.needsSecret])).toEqual([['daou', true]]);
      await expect(other.applyImport(preview.id)).rejects.toThrow('daou needs its client secret');
      const [view] = await other.applyImport(preview.id, { secrets: { '0': { clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret } } });
      expect((await other.issue(view!.config.id)).state).toBe('valid');
    } finally {
      await other.close();
    }
  });

  it('says what it cannot read', async () => {
    await expect(desk.previewImport({ files: [{ path: 'notes.txt', text: 'hello' }] })).rejects.toThrow('notes.txt is not a file TokenDesk imports');
    await expect(desk.previewImport({ files: [{ path: 'x.json', text: '{"a":' }] })).rejects.toThrow(/x\.json is neither JSON nor YAML/);
    await expect(desk.applyImport('nope')).rejects.toThrow('This import preview is gone');
  });
});

describe('tokendesk import and clients export', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('prints the preview; --dry-run saves nothing; missing secrets come from stdin; the round trip through export works', async () => {
    const dataDir = path.join(dir, 'cli-data');
    const cli = (args: string[], stdin?: string) => runCli(args, { dataDir, standalone: true, cwd: dir, ...(stdin === undefined ? {} : { stdin }) });
    const dry = await cli(['import', 'bruno', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Bruno (environment Sandbox): 2 clients to create\n  1. Sandbox in Bruno (oauth2 client_credentials, ');
    expect(dry.stdout).toContain('  2. Daou me (daouoffice, ');
    expect(dry.stdout).toContain('client secret not in the file: asked for');
    expect((await cli(['clients', 'list', '--json'])).stdout).toBe('[]\n');

    const missing = await cli(['import', 'bruno']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Client secret of Sandbox in Bruno is needed');

    const done = await cli(['import', 'bruno'], `${SANDBOX_CREDENTIALS.oauth2.clientSecret}\n`);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Imported 2: Sandbox in Bruno, Daou me\.\n$/);
    expect((await cli(['issue', 'Sandbox in Bruno'])).code).toBe(0);

    const exported = await cli(['clients', 'export', 'Daou me']);
    expect(exported.stdout).not.toContain('sandbox-daou-secret');
    fs.writeFileSync(path.join(dir, 'export.json'), exported.stdout);
    const again = await cli(['import', 'export.json'], 'sandbox-daou-secret\n');
    expect(again.stdout).toContain('Imported 1: Daou me (2).');
    expect((await cli(['issue', 'Daou me (2)'])).code).toBe(0);
  }, 180_000);
});
