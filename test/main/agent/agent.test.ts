/**
 * The agent socket itself: who can open it, what it accepts, how it treats a stale socket, and
 * what crosses it. A real TokenDesk (on a temp data directory) behind a real socket.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentDesk, connectAgent } from '../../../main/agent/client';
import { AGENT_PROTOCOL_VERSION, defaultSocketPath } from '../../../main/agent/protocol';
import { startAgentServer, type AgentServer } from '../../../main/agent/server';
import { TokenDesk } from '../../../main/core/desk';
import { TokenDeskError } from '../../../main/model/errors';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { ensureCliBuilt, removeTempDataDirs, runCli, tempDataDir } from '../../helpers/cli';

const unix = process.platform !== 'win32';
let sandbox: Sandbox;
let dataDir: string;
let desk: TokenDesk;
let server: AgentServer;

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox();
}, 120_000);
afterAll(async () => {
  await sandbox.close();
  removeTempDataDirs();
});

beforeEach(async () => {
  dataDir = tempDataDir();
  desk = await TokenDesk.open({ dataDir });
  server = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
});
afterEach(async () => {
  await server.close();
  await desk.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** One raw request line → one parsed response line. */
function rawRequest(socketPath: string, line: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\n')) {
        socket.end();
        resolve(JSON.parse(data.slice(0, data.indexOf('\n'))));
      }
    });
    socket.on('error', reject);
    socket.write(`${line}\n`);
  });
}

describe('agent socket', () => {
  it.runIf(unix)('lives in a 0700 directory inside the data directory, as a 0600 socket', () => {
    expect(server.socketPath).toBe(path.join(dataDir, 'agent', 'tokendesk.sock'));
    expect(fs.statSync(server.socketPath).isSocket()).toBe(true);
    expect(fs.statSync(server.socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(server.socketPath)).mode & 0o777).toBe(0o700);
  });

  it.runIf(unix)('moves to XDG_RUNTIME_DIR (or the temp dir) when the data directory path is too long for a socket', () => {
    const deep = path.join('/tmp', 'x'.repeat(120));
    const inRuntime = defaultSocketPath(deep, { XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(inRuntime).toMatch(/^\/run\/user\/1000\/tokendesk\/[0-9a-f]{16}\.sock$/);
    expect(defaultSocketPath(deep, {})).toMatch(new RegExp(`^${os.tmpdir()}/tokendesk-\\d+/[0-9a-f]{16}\\.sock$`));
    expect(defaultSocketPath(deep, {})).toBe(defaultSocketPath(`${deep}/`, {}));
  });

  it('checks the protocol version before anything else', async () => {
    expect(await rawRequest(server.socketPath, JSON.stringify({ id: 7, method: 'hello', params: { version: AGENT_PROTOCOL_VERSION + 1 } }))).toEqual({
      id: 7,
      ok: false,
      error: {
        code: 'unsupported',
        message: `The TokenDesk app speaks agent protocol ${AGENT_PROTOCOL_VERSION}, the command line ${AGENT_PROTOCOL_VERSION + 1}: update both to the same version.`,
      },
    });
  });

  it('answers the operations the agent door serves, with checked inputs', async () => {
    const call = (line: unknown) => rawRequest(server.socketPath, JSON.stringify(line));
    expect(await call({ id: 1, method: 'auth:signIn', params: { clientId: 'x' } })).toEqual({
      id: 1,
      ok: false,
      error: { code: 'unsupported', message: expect.stringMatching(/^auth:signIn is not offered here: the command line signs in through its own browser/) },
    });
    expect(await call({ id: 2, method: 'clients:get', params: { clientId: 42 } })).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/^Invalid input for clients:get: clientId: /) },
    });
    expect(await call({ id: 3, method: 'clients:get', params: { clientId: 'nobody' } })).toEqual({
      id: 3,
      ok: false,
      error: {
        code: 'not_found',
        message: 'No client named "nobody". See the list of clients (tokendesk clients list).',
        text: { code: 'client_not_found', params: { ref: 'nobody' } },
      },
    });
    expect(await rawRequest(server.socketPath, 'not json')).toMatchObject({ id: 0, ok: false, error: { code: 'bad_request', message: 'The request is not JSON.' } });
    expect(await call({ id: 4, method: 'clients:list' })).toEqual({ id: 4, ok: true, value: [] });
    expect(await call({ id: 5, method: 'constructor', params: {} })).toMatchObject({ id: 5, ok: false, error: { code: 'bad_request', message: 'Unknown channel: constructor' } });
  });

  it('hands the token to the command line without the provider’s raw response', async () => {
    await desk.createClient({
      name: 'daou',
      provider: 'daouoffice',
      baseUrl: sandbox.url,
      clientId: SANDBOX_CREDENTIALS.daouoffice.clientId,
      clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret,
    });
    const connection = await connectAgent(server.socketPath);
    expect(connection?.hello).toEqual({ version: AGENT_PROTOCOL_VERSION, pid: process.pid, app: 'TokenDesk' });
    const remote = agentDesk(connection!);
    try {
      const token = await remote.validToken('daou');
      expect(token.accessToken).toMatch(/^eyJ/);
      expect(token.raw).toBeNull();
      expect(token.cookies).toBeNull();
      await expect(remote.refresh('nobody')).rejects.toMatchObject({ name: 'TokenDeskError', code: 'not_found' });
    } finally {
      await remote.close();
    }
  });

  it('replaces a socket file left by a crashed app, and refuses to start beside a live one', async () => {
    await expect(startAgentServer(desk, { socketPath: server.socketPath })).rejects.toThrow(
      new TokenDeskError('conflict', `Another TokenDesk (pid ${process.pid}) already answers on ${server.socketPath}.`),
    );
    if (!unix) return;
    const stalePath = path.join(dataDir, 'stale', 'tokendesk.sock');
    fs.mkdirSync(path.dirname(stalePath), { mode: 0o700 });
    // A listener killed with SIGKILL leaves its socket file behind.
    const crashed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(stalePath)}, () => console.log('up'))`]);
    await new Promise((resolve) => crashed.stdout.once('data', resolve));
    crashed.kill('SIGKILL');
    await new Promise((resolve) => crashed.once('exit', resolve));
    expect(fs.statSync(stalePath).isSocket()).toBe(true);
    const second = await startAgentServer(desk, { socketPath: stalePath });
    expect(await connectAgent(stalePath)).not.toBeNull();
    await second.close();
    expect(fs.existsSync(stalePath)).toBe(false);
  });

  // How long it takes is printed by `npm run bench` (test/bench/timing.bench.ts).
  it('connectAgent resolves null where nothing listens', async () => {
    expect(await connectAgent(path.join(dataDir, 'nothing.sock'))).toBeNull();
  });

  it('the command line follows TOKENDESK_AGENT_SOCKET, as ssh does SSH_AUTH_SOCK', async () => {
    await desk.createClient({ name: 'here', provider: 'daouoffice', baseUrl: sandbox.url, clientId: 'x', clientSecret: 'y' });
    // Another data directory on the command line, but the override points at this desk's socket.
    const result = await runCli(['status', '--json'], { dataDir: tempDataDir(), env: { TOKENDESK_AGENT_SOCKET: server.socketPath } });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject([{ client: 'here' }]);
  });
});
