/**
 * The command line's standards commands (issue #12 item 10) as a subprocess, in both modes:
 * `token --min-valid`, `login --device`, `introspect`.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../../main/agent/server';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { SANDBOX_OAUTH2_PATHS } from '../../../main/sandbox';
import { startOidcProvider, type OidcProviderHandle } from '../../helpers/oidc-provider';
import { collect, ensureCliBuilt, removeTempDataDirs, runCli, spawnCli, tempDataDir, TOKEN_JSON_KEYS, type CliResult } from '../../helpers/cli';

const creds = SANDBOX_CREDENTIALS;
let sandbox: Sandbox;
let op: OidcProviderHandle;

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox({ lifetimes: { deviceInterval: 1 } });
  op = await startOidcProvider({ clients: [{ client_id: 'svc', client_secret: 'svc-secret', redirect_uris: [], response_types: [], grant_types: ['client_credentials'] }] });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await op?.stop();
  removeTempDataDirs();
});

/** The user at the sandbox's verification page (RFC 8628 §3.3), on another device. */
async function decide(userCode: string, decision: 'allow' | 'deny'): Promise<void> {
  const res = await fetch(`${sandbox.url}${SANDBOX_OAUTH2_PATHS.device}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: userCode, username: creds.oauth2.username, password: creds.oauth2.password, decision }).toString(),
  });
  expect(res.status).toBe(200);
}

describe.each(['standalone', 'agent'] as const)('%s mode', (mode) => {
  let dataDir: string;
  let desk: TokenDesk | null = null;
  let agent: AgentServer | null = null;

  beforeEach(async () => {
    dataDir = tempDataDir();
    if (mode === 'agent') {
      desk = await TokenDesk.open({ dataDir });
      agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
    }
  });

  afterEach(async () => {
    await agent?.close();
    await desk?.close();
    agent = null;
    desk = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[], opts: { stdin?: string } = {}): Promise<CliResult> =>
    runCli(args, { dataDir, standalone: mode === 'standalone', ...opts });

  it('token --min-valid refreshes a token that would expire within the duration, and keeps one that would not', async () => {
    const added = await cli(
      ['clients', 'add', 'daou', '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', creds.daouoffice.clientId, '--client-secret-stdin'],
      { stdin: `${creds.daouoffice.clientSecret}\n` },
    );
    expect(added.code, added.stderr).toBe(0);
    // Daou tokens live 300 s in the sandbox: valid for 1 minute more, not for 10.
    const first = JSON.parse((await cli(['issue', 'daou', '--json'])).stdout).access_token as string;
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const kept = await cli(['token', 'daou', '--min-valid', '1m']);
    expect(kept).toMatchObject({ code: 0, stderr: '' });
    expect(kept.stdout).toBe(`${first}\n`);

    sandbox.resetCounters();
    const refreshed = await cli(['token', 'daou', '--min-valid', '10m']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).not.toBe(`${first}\n`);
    expect(sandbox.counters['daou.token']).toBe(1);
    // Even a fresh Daou token lives only 300 s: printed, with a warning on stderr.
    expect(refreshed.stderr).toMatch(/^tokendesk: warning: daou's token expires in (29\d|300)s, sooner than --min-valid 10m asks\.\n$/);

    const bad = await cli(['token', 'daou', '--min-valid', 'later']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('tokendesk: --min-valid: "later" is not a duration: use a number with s, m, h or d, such as 90s, 10m, 1h30m or 2d.\n');
  }, 60_000);

  it('login --device prints the complete verification URI and the user code on lines of their own, then signs in once approved', async () => {
    const added = await cli(
      [
        'clients', 'add', 'tv', '--provider', 'oauth2', '--grant', 'device_code', '--client-id', creds.oauth2.clientId, '--client-secret-stdin', '--scope', 'read',
        '--token-url', `${sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, '--device-url', `${sandbox.url}${SANDBOX_OAUTH2_PATHS.deviceAuthorization}`,
      ],
      { stdin: `${creds.oauth2.clientSecret}\n` },
    );
    expect(added.code, added.stderr).toBe(0);

    for (const decision of ['deny', 'allow'] as const) {
      const child = spawnCli(['login', 'tv', '--device', '--json'], { dataDir, standalone: mode === 'standalone' });
      let stderr = '';
      const shown = new Promise<{ uri: string; code: string }>((resolve) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const lines = stderr.split('\n');
          const uri = lines.find((line) => /^https?:\/\/\S+$/.test(line));
          const code = lines.find((line) => /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/.test(line));
          if (uri && code) resolve({ uri, code });
        });
      });
      const result = collect(child, undefined, 60_000);
      const { uri, code } = await shown;
      expect(uri).toBe(`${sandbox.url}/oauth2/device?user_code=${code}`);
      await decide(code, decision);
      const done = await result;
      if (decision === 'deny') {
        expect(done.code).toBe(3);
        expect(done.stdout).toBe('');
        expect(done.stderr.trimEnd().split('\n').at(-1)).toBe(
          `tokendesk: The sign-in was denied at ${new URL(sandbox.url).host}: nobody is signed in. Start the device sign-in again to retry.`,
        );
      } else {
        expect(done.code, done.stderr).toBe(0);
        const token = JSON.parse(done.stdout) as Record<string, unknown>;
        expect(Object.keys(token).sort()).toEqual(TOKEN_JSON_KEYS);
        expect(token).toMatchObject({ client: 'tv', token_type: 'Bearer', scope: 'read', refresh_token: expect.any(String) });
      }
    }
    expect((await cli(['token', 'tv'])).code).toBe(0);
    expect(await cli(['login', 'tv', '--device', '--no-browser'])).toMatchObject({
      code: 1,
      stderr: 'tokendesk: --device and --no-browser exclude each other: a device sign-in needs no browser here.\n',
    });
  }, 90_000);

  it('introspect prints the RFC 7662 answer for the current access token', async () => {
    const added = await cli(
      ['clients', 'add', 'svc', '--provider', 'oauth2', '--issuer', op.issuer, '--grant', 'client_credentials', '--client-id', 'svc', '--client-secret-stdin'],
      { stdin: 'svc-secret\n' },
    );
    expect(added.code, added.stderr).toBe(0);
    expect((await cli(['issue', 'svc'])).code).toBe(0);
    const answer = await cli(['introspect', 'svc', '--json']);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toMatchObject({ active: true, client_id: 'svc', token_type: 'Bearer', exp: expect.any(Number) });
    const human = await cli(['introspect', 'svc']);
    expect(human.stdout).toMatch(/^active: true$/m);
    expect(human.stdout).toMatch(/^exp: \d+ \(\d{4}-\d\d-\d\dT/m);
    expect(await cli(['introspect', 'svc', '--refresh'])).toMatchObject({ code: 1, stderr: 'tokendesk: There is no refresh token to introspect.\n' });
  }, 60_000);
});
