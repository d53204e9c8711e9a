/**
 * Sinks with real files: after an issue and a refresh against the sandbox, each file holds the new
 * token, every other line, comment and value as it was, and mode 0600; a sink that cannot be
 * written leaves the refresh successful and says so in a notice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { setDotenvVariable, setJsonPointer, setPostmanVariable } from '../../../main/sinks/writers';
import { ensureCliBuilt, runCli } from '../../helpers/cli';

const ENV_FILE = [
  '# API settings — keep this comment',
  'export BASE_URL=https://api.example.com',
  'MULTI="line one',
  'API_TOKEN=not-this-one (inside MULTI)',
  'line three"',
  '',
  "SINGLE='it''s $HOME'",
  'API_TOKEN=old-token # refreshed by TokenDesk',
  'AFTER=1',
  '',
].join('\n');

const JSON_FILE = `{\n    "name": "demo",\n    "auth": {\n        "token": "old",\n        "type": "bearer"\n    },\n    "list": [1, 2]\n}\n`;

const POSTMAN_ENV = JSON.stringify(
  {
    id: '5e0a3a8c-0000-4000-8000-000000000001',
    name: 'Daou sandbox',
    values: [
      { key: 'baseUrl', value: 'http://127.0.0.1', type: 'default', enabled: true },
      { key: 'accessToken', value: 'old', type: 'secret', enabled: true },
    ],
    _postman_variable_scope: 'environment',
    _postman_exported_using: 'Postman/11.0.0',
  },
  null,
  '\t',
);

let sandbox: Sandbox;
let root: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'td-sinks-'));
});
afterAll(async () => {
  await sandbox?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('writers keep everything but their one value', () => {
  it('.env: the assignment, not a line inside another quoted value; comments, order and export kept', () => {
    const out = setDotenvVariable(ENV_FILE, 'API_TOKEN', 'new$token');
    expect(out).toBe(ENV_FILE.replace("API_TOKEN=old-token # refreshed", "API_TOKEN='new$token' # refreshed"));
    expect(parseEnv(out)).toMatchObject({ API_TOKEN: 'new$token', MULTI: 'line one\nAPI_TOKEN=not-this-one (inside MULTI)\nline three', AFTER: '1' });
    expect(setDotenvVariable('A=1', 'B', 'x')).toBe("A=1\nB='x'\n");
    expect(setDotenvVariable('A=1\r\nB=2\r\n', 'B', 'y')).toBe("A=1\r\nB='y'\r\n");
    expect(setDotenvVariable('export  TOKEN = "old"\n', 'TOKEN', 'n')).toBe("export  TOKEN = 'n'\n");
  });

  it('JSON: the pointer only, with the file\'s own indentation; Postman: one variable', () => {
    expect(setJsonPointer(JSON_FILE, '/auth/token', 'new')).toBe(JSON_FILE.replace('"old"', '"new"'));
    expect(JSON.parse(setJsonPointer(null, '/a~1b/c', 't'))).toEqual({ 'a/b': { c: 't' } });
    expect(() => setJsonPointer('{"a": 1}', '/a/b', 't', 'x.json')).toThrow('x.json: /a/b goes through a value that is not an object.');
    expect(() => setJsonPointer('{oops', '/a', 't', 'x.json')).toThrow(/^x\.json is not valid JSON/);
    const postman = setPostmanVariable(POSTMAN_ENV, 'accessToken', 'new');
    expect(postman).toBe(POSTMAN_ENV.replace('"value": "old"', '"value": "new"'));
    expect(JSON.parse(setPostmanVariable(POSTMAN_ENV, 'other', 'v')).values.at(-1)).toEqual({ key: 'other', value: 'v', type: 'secret', enabled: true });
  });
});

describe('sinks on issue and refresh', () => {
  let desk: TokenDesk;
  let dir: string;

  beforeEach(async (context) => {
    dir = fs.mkdtempSync(path.join(root, 'case-'));
    desk = await TokenDesk.open({ dataDir: path.join(dir, 'data') });
    context.onTestFinished(() => desk.close());
    await desk.createClient({
      name: 'daou',
      provider: 'daouoffice',
      baseUrl: sandbox.url,
      clientId: SANDBOX_CREDENTIALS.daouoffice.clientId,
      clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret,
    });
  });

  it('every kind of sink holds the new token after a refresh, keeps every other line, and is 0600', async () => {
    const files = { env: path.join(dir, '.env'), json: path.join(dir, 'config.json'), postman: path.join(dir, 'daou.postman_environment.json'), file: path.join(dir, 'token') };
    fs.writeFileSync(files.env, ENV_FILE, { mode: 0o644 });
    fs.writeFileSync(files.json, JSON_FILE, { mode: 0o644 });
    fs.writeFileSync(files.postman, POSTMAN_ENV, { mode: 0o644 });
    await desk.addSink('daou', { kind: 'dotenv', path: files.env, key: 'API_TOKEN' });
    await desk.addSink('daou', { kind: 'json', path: files.json, key: '/auth/token' });
    await desk.addSink('daou', { kind: 'postman', path: files.postman, key: 'accessToken' });
    await desk.addSink('daou', { kind: 'file', path: files.file });

    await desk.issue('daou');
    const issued = await desk.reveal('daou', 'access');
    await desk.refresh('daou');
    const refreshed = await desk.reveal('daou', 'access');
    expect(refreshed).not.toBe(issued);

    const quoted = `'${refreshed}'`;
    expect(fs.readFileSync(files.env, 'utf8')).toBe(ENV_FILE.replace('old-token', quoted));
    expect(fs.readFileSync(files.json, 'utf8')).toBe(JSON_FILE.replace('"old"', JSON.stringify(refreshed)));
    expect(fs.readFileSync(files.postman, 'utf8')).toBe(POSTMAN_ENV.replace('"value": "old"', `"value": ${JSON.stringify(refreshed)}`));
    expect(fs.readFileSync(files.file, 'utf8')).toBe(refreshed);
    for (const file of Object.values(files)) expect(mode(file), file).toBe(0o600);
    // No temp file is left beside them.
    expect(fs.readdirSync(dir).sort()).toEqual(['.env', 'config.json', 'daou.postman_environment.json', 'data', 'token']);
    expect(desk.notices()).toEqual([]);
  });

  it('a sink that cannot be written leaves the refresh successful, with a notice naming it; the next good write clears it', async () => {
    const good = path.join(dir, 'token');
    const missing = path.join(dir, 'no-such-folder', 'token');
    await desk.addSink('daou', { kind: 'file', path: missing });
    await desk.addSink('daou', { kind: 'file', path: good });

    const view = await desk.issue('daou');
    expect(view.state).toBe('valid');
    expect(fs.readFileSync(good, 'utf8')).toBe(await desk.reveal('daou', 'access'));
    const [notice] = desk.notices();
    expect(notice).toMatchObject({ kind: 'sink_failed', clientId: view.config.id });
    expect(notice!.message).toContain(`The token of "daou" was refreshed, but a sink could not be written — ${missing} (token file): its folder does not exist (ENOENT).`);

    fs.mkdirSync(path.dirname(missing));
    await desk.refresh('daou');
    expect(fs.readFileSync(missing, 'utf8')).toBe(await desk.reveal('daou', 'access'));
    expect(desk.notices()).toEqual([]);
  });

  it('a JSON sink whose file is not JSON is left untouched and reported', async () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, '{ "auth": { "token": "old" }, oops');
    await desk.addSink('daou', { kind: 'json', path: file, key: '/auth/token' });
    expect((await desk.issue('daou')).state).toBe('valid');
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "auth": { "token": "old" }, oops');
    expect(desk.notices()[0]?.message).toContain(`${file} (JSON /auth/token): ${file} is not valid JSON (`);
  });

  it('rejects a sink that could never work', async () => {
    await expect(desk.addSink('daou', { kind: 'dotenv', path: 'relative/.env', key: 'A' })).rejects.toThrow('A sink\'s file must be an absolute path (got "relative/.env").');
    await expect(desk.addSink('daou', { kind: 'dotenv', path: '/tmp/x.env', key: 'not a name' })).rejects.toThrow('A .env sink needs a variable name');
    await expect(desk.addSink('daou', { kind: 'json', path: '/tmp/x.json', key: 'auth.token' })).rejects.toThrow('A JSON path is a JSON Pointer such as /auth/token (got "auth.token").');
  });
});

describe('tokendesk sinks', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('add writes the current token at once; list shows it; remove stops it', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'cli-'));
    const dataDir = path.join(dir, 'data');
    const cli = (args: string[], stdin?: string) => runCli(args, { dataDir, standalone: true, ...(stdin === undefined ? {} : { stdin }) });
    await cli(['clients', 'add', 'daou', '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', SANDBOX_CREDENTIALS.daouoffice.clientId, '--client-secret-stdin'], `${SANDBOX_CREDENTIALS.daouoffice.clientSecret}\n`);
    await cli(['issue', 'daou']);
    const env = path.join(dir, 'app.env');
    fs.writeFileSync(env, '# mine\nPORT=3000\n');

    const added = await runCli(['sinks', 'add', 'daou', 'dotenv', 'app.env', 'DAOU_TOKEN'], { dataDir, standalone: true, cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`^daou: sink ${env.replace(/[.]/g, '\\.')} \\(\\.env variable DAOU_TOKEN\\) added \\([0-9a-f-]{36}\\), token written\\.\\n$`));
    const token = (await cli(['token', 'daou'])).stdout.trim();
    expect(parseEnv(fs.readFileSync(env, 'utf8'))).toEqual({ PORT: '3000', DAOU_TOKEN: token });

    const listed = JSON.parse((await cli(['sinks', 'list', '--json'])).stdout) as { client: string; kind: string; path: string; key: string }[];
    expect(listed).toMatchObject([{ client: 'daou', kind: 'dotenv', path: env, key: 'DAOU_TOKEN' }]);

    const bad = await cli(['sinks', 'add', 'daou', 'yaml', env, 'X']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('tokendesk: A sink is one of dotenv, json, postman, file (got "yaml").\n');

    expect((await cli(['sinks', 'remove', 'daou', env])).stdout).toBe('daou: sink removed.\n');
    expect((await cli(['sinks', 'list'])).stdout).toBe('No sinks. Add one with "tokendesk sinks add NAME dotenv FILE VAR".\n');
  }, 120_000);
});
