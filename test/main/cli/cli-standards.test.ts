/**
 * The command line's standards commands (issue #12 item 10) as a subprocess, in both modes:
 * `token --min-valid`, `login --device`, `introspect`.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../../main/agent/server';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { ensureCliBuilt, removeTempDataDirs, runCli, tempDataDir, type CliResult } from './helpers';

const creds = SANDBOX_CREDENTIALS;
let sandbox: Sandbox;

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  removeTempDataDirs();
});

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
  });
});
