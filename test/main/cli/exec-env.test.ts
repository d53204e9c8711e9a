/**
 * `tokendesk exec` and `tokendesk env` as real processes: the token reaches CMD's environment and
 * works against the sandbox, CMD's exit code and signals pass through, and every env format reads
 * back exactly — through a real sh, fish's and PowerShell's quoting rules, and Node's dotenv parser —
 * even for a token holding $, quotes and backslashes.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { collect, ensureCliBuilt, removeTempDataDirs, runCli, spawnCli, tempDataDir } from '../../helpers/cli';

/** A token no shell or parser would read back unchanged without quoting: $, both quotes, a backslash, a #. */
const TRICKY = `tr$ICKY'one"with\\back #hash`;

let sandbox: Sandbox;
let tokenServer: Server;
let tokenUrl: string;
let dataDir: string;

const ok = async (args: string[], stdin?: string): Promise<string> => {
  const result = await runCli(args, { dataDir, standalone: true, ...(stdin === undefined ? {} : { stdin }) });
  expect(result.code, `tokendesk ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox();
  // A token endpoint of our own (RFC 6749 §4.4) that issues the tricky token.
  tokenServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ access_token: TRICKY, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as { port: number }).port}/token`;
  dataDir = tempDataDir();
  await ok(['clients', 'add', 'Daou', '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', SANDBOX_CREDENTIALS.daouoffice.clientId, '--client-secret-stdin'], `${SANDBOX_CREDENTIALS.daouoffice.clientSecret}\n`);
  await ok(['clients', 'add', 'odd one', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', tokenUrl, '--client-id', 'c', '--client-secret-stdin', '--env-prefix', 'ODD'], 's\n');
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => tokenServer?.close(resolve));
  removeTempDataDirs();
});

const node = (source: string): string[] => [process.execPath, '-e', source];

describe('tokendesk exec', () => {
  it('runs CMD with the token and the Authorization value, which the sandbox accepts; its exit code is ours', async () => {
    const source = `
      const token = process.env.TOKENDESK_DAOU_TOKEN, header = process.env.TOKENDESK_DAOU_AUTHORIZATION;
      fetch(process.argv[1] + '/public/v1/me', { headers: { authorization: header } }).then(async (res) => {
        process.stdout.write(JSON.stringify({ token, header, status: res.status, odd: process.env.ODD_TOKEN }));
        process.exit(7);
      });`;
    const result = await runCli(['exec', 'Daou', 'odd one', '--', ...node(source), sandbox.url], { dataDir, standalone: true });
    expect(result.code, result.stderr).toBe(7);
    const seen = JSON.parse(result.stdout) as { token: string; header: string; status: number; odd: string };
    expect(seen.token).toMatch(/^eyJ/);
    expect(seen.header).toBe(`Bearer ${seen.token}`);
    expect(seen.status).toBe(200);
    expect(seen.odd).toBe(TRICKY);
    expect((await ok(['token', 'Daou'])).trim()).toBe(seen.token);
  });

  it('forwards SIGTERM to CMD and passes on the code CMD exits with', async () => {
    const child = spawnCli(
      ['exec', 'Daou', '--', ...node(`process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);`)],
      { dataDir, standalone: true },
    );
    const ready = new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
    const done = collect(child, undefined, 30_000);
    await ready;
    child.kill('SIGTERM');
    const result = await done;
    expect(result.stdout).toContain('got SIGTERM');
    expect(result.code).toBe(42);
  });

  it('exits 128 + the signal number when a signal ends CMD, and 127 when CMD does not exist', async () => {
    const killed = await runCli(['exec', 'Daou', '--', ...node('process.kill(process.pid, "SIGTERM")')], { dataDir, standalone: true });
    expect(killed.code).toBe(143);
    const missing = await runCli(['exec', 'Daou', '--', 'no-such-command-tokendesk'], { dataDir, standalone: true });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('could not run no-such-command-tokendesk');
  });

  it('says what is wrong with its arguments', async () => {
    const noCommand = await runCli(['exec', 'Daou'], { dataDir, standalone: true });
    expect(noCommand.code).toBe(1);
    expect(noCommand.stderr).toContain('"exec" needs a command to run after "--"');
    const badDuration = await runCli(['exec', 'Daou', '--min-valid', 'soon', '--', 'true'], { dataDir, standalone: true });
    expect(badDuration.code).toBe(1);
    expect(badDuration.stderr).toContain('--min-valid: "soon" is not a duration');
    const tooLong = await runCli(['exec', 'odd one', '--min-valid', '2h', '--', 'true'], { dataDir, standalone: true });
    expect(tooLong.code).toBe(3);
    expect(tooLong.stderr).toMatch(/odd one: even a fresh token is valid for .* only, less than --min-valid 2h/);
  });
});

/** fish's single quotes (fish-doc "Quotes"): \\ and \' are the only escapes. */
function readFish(line: string): [string, string] {
  const match = /^set -gx (\w+) '((?:\\.|[^'\\])*)'$/.exec(line);
  if (!match) throw new Error(`not a fish line: ${line}`);
  return [match[1]!, match[2]!.replace(/\\([\\'])|\\/g, (all, escaped: string | undefined) => escaped ?? all)];
}

/** PowerShell's verbatim strings: '' is a quote (about_Quoting_Rules). */
function readPowershell(line: string): [string, string] {
  const match = /^\$env:(\w+) = '((?:''|[^'])*)'$/.exec(line);
  if (!match) throw new Error(`not a PowerShell line: ${line}`);
  return [match[1]!, match[2]!.replace(/''/g, "'")];
}

describe('tokendesk env', () => {
  const expected = { ODD_TOKEN: TRICKY, ODD_AUTHORIZATION: `Bearer ${TRICKY}` };

  it('sh: eval in a real sh gives back the exact values', async () => {
    const script = await ok(['env', 'odd one']);
    const printed = execFileSync('sh', ['-c', 'eval "$1"; printf "%s\\0%s" "$ODD_TOKEN" "$ODD_AUTHORIZATION"', 'sh', script], { encoding: 'utf8' });
    expect(printed.split('\0')).toEqual([expected.ODD_TOKEN, expected.ODD_AUTHORIZATION]);
  });

  it('fish and PowerShell: their quoting rules give back the exact values', async () => {
    const fish = (await ok(['env', 'odd one', '--format', 'fish'])).trim().split('\n').map(readFish);
    expect(Object.fromEntries(fish)).toEqual(expected);
    const powershell = (await ok(['env', 'odd one', '--format', 'powershell'])).trim().split('\n').map(readPowershell);
    expect(Object.fromEntries(powershell)).toEqual(expected);
  });

  it('dotenv and json: parsed back exactly, beside a real JWT of another client', async () => {
    const dotenv = parseEnv(await ok(['env', 'odd one', 'Daou', '--format', 'dotenv']));
    expect(dotenv).toMatchObject(expected);
    expect(dotenv['TOKENDESK_DAOU_TOKEN']).toMatch(/^eyJ/);
    expect(JSON.parse(await ok(['env', 'odd one', '--format', 'json']))).toEqual(expected);
  });

  it('refuses two clients that would set the same variable', async () => {
    await ok(['clients', 'add', 'odd two', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', tokenUrl, '--client-id', 'c', '--client-secret-stdin', '--env-prefix', 'ODD'], 's\n');
    const result = await runCli(['env', 'odd one', 'odd two'], { dataDir, standalone: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('odd one and odd two both use the variable ODD_TOKEN: give one of them its own prefix (--env-prefix).');
  });
});
