/**
 * One table, three doors (issue #10 item 4): IPC, the browser door of `tokendesk ui` and the agent
 * socket serve the operations of main/model/operations.ts through their real transports, each
 * exactly the table minus the exceptions it lists, and each checks every payload before the desk.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../../main/agent/server';
import { TokenDesk } from '../../../main/core/desk';
import { DOORS, notServedBecause, operations, servedOn, type Door, type OperationName } from '../../../main/model/operations';
import { SignInCoordinator } from '../../../main/core/signin';
import { IPC_CHANNELS, type IpcResult } from '../../../main/ipc/contract';
import { registerIpc, type IpcMainLike } from '../../../main/ipc/handle';
import { createHandlers } from '../../../main/ipc/handlers';
import { startWebDoor, type WebDoor } from '../../../main/web/door';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../../main/sandbox';

const APP_URL = 'file:///opt/TokenDesk/out/renderer/index.html';
const names = Object.keys(operations) as OperationName[];
/** The exceptions as the table lists them, door by door. */
const listed = (door: Door) => names.filter((name) => notServedBecause(door, name) !== undefined);

let root: string;
let desk: TokenDesk;
let agent: AgentServer;
let web: WebDoor;
const ipcHandlers = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
let cookie = '';

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-doors-'));
  desk = await TokenDesk.open({ dataDir: path.join(root, 'app') });
  const signIn = new SignInCoordinator(desk, {
    window: null,
    listenLoopback: () => Promise.reject(new Error('not in this test')),
    openExternal: async () => undefined,
    awaitingPaste: () => undefined,
  });
  registerIpc(
    { handle: (channel, listener) => ipcHandlers.set(channel, listener), removeHandler: (channel) => ipcHandlers.delete(channel) },
    createHandlers(desk, { copy: () => undefined }, signIn),
    APP_URL,
  );
  agent = await startAgentServer(desk, { socketPath: defaultSocketPath(path.join(root, 'app')) });
  // The source index.html carries the CSP the server needs; no page is loaded here.
  web = await startWebDoor({ dataDir: path.join(root, 'web'), rendererDir: path.resolve('renderer'), version: 'test', port: 0, idleMs: 60_000, onIdle: () => undefined });
  const session = await fetch(new URL('/api/session', web.url), {
    method: 'POST',
    headers: { origin: `http://127.0.0.1:${web.port}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token: new URLSearchParams(new URL(web.url).hash.slice(1)).get('token') }),
  });
  cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await web?.close();
  await desk?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** One request through a door's own transport: ipcMain's handler, an HTTP POST, a socket line. */
async function through(door: Door, name: string, payload: unknown): Promise<IpcResult<unknown>> {
  if (door === 'ipc') {
    const handler = ipcHandlers.get(name);
    // Electron rejects invoke() on a channel nobody handles: the renderer cannot reach it at all.
    return handler ? handler({ senderFrame: { url: APP_URL, parent: null } }, payload) : { ok: false, error: { code: 'unsupported', message: `No handler registered for '${name}'` } };
  }
  if (door === 'web') {
    const response = await fetch(new URL(`/api/call/${encodeURIComponent(name)}`, web.url), {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${web.port}`, 'content-type': 'application/json', cookie },
      body: JSON.stringify(payload),
    });
    return (await response.json()) as IpcResult<unknown>;
  }
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(agent.socketPath);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (!data.includes('\n')) return;
      socket.end();
      const { id: _id, ...result } = JSON.parse(data.slice(0, data.indexOf('\n'))) as IpcResult<unknown> & { id: number };
      resolve(result);
    });
    socket.on('error', reject);
    socket.write(`${JSON.stringify({ id: 1, method: name, params: payload })}\n`);
  });
}

describe('the operations table', () => {
  it('IPC registers exactly the channels the ipc door serves', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(servedOn('ipc').sort());
    expect([...IPC_CHANNELS].sort()).toEqual(servedOn('ipc').sort());
  });

  it('lists the exceptions, each with its reason', () => {
    expect(Object.fromEntries(DOORS.map((door) => [door, listed(door)]))).toEqual({
      ipc: ['token:copyText', 'auth:begin', 'auth:finish'],
      web: ['token:copy', 'auth:reopen', 'auth:begin', 'auth:finish'],
      agent: ['token:copy', 'token:copyText', 'auth:signIn', 'auth:complete', 'auth:cancel', 'auth:reconsent', 'auth:copyLink', 'auth:reopen'],
    });
    for (const door of DOORS) {
      for (const name of listed(door)) expect(notServedBecause(door, name)).toMatch(/^[a-z].{30,}[^.]$/);
    }
  });

  it.each(DOORS)('the %s door serves every operation but its exceptions, and checks every payload first', async (door) => {
    const outcomes: Record<string, string> = {};
    // 42 fits no operation's schema: a served one answers bad_request without reaching the desk.
    for (const name of names) {
      const result = await through(door, name, 42);
      expect(result.ok).toBe(false);
      if (!result.ok) outcomes[name] = result.error.code;
    }
    const expected = Object.fromEntries(names.map((name) => [name, listed(door).includes(name) ? 'unsupported' : 'bad_request']));
    expect(outcomes).toEqual(expected);
    for (const name of ['__proto__', 'constructor', 'fs:readFile']) expect((await through(door, name, {})).ok).toBe(false);
  });

  it.each(DOORS)('the %s door answers the same operation with the same value', async (door) => {
    expect(await through(door, 'providers:list', undefined)).toEqual({ ok: true, value: desk.providers() });
    expect(await through(door, 'clients:get', { clientId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not_found', text: { code: 'client_not_found' } } });
  });

  it('the browser door stops a body over 11 MB before parsing it, and says where a big import goes', async () => {
    const response = await fetch(new URL('/api/call/import:preview', web.url), {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${web.port}`, 'content-type': 'application/json', cookie },
      body: JSON.stringify({ files: [{ path: 'big.json', text: 'x'.repeat(12 * 1024 * 1024) }] }),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('The request is larger than tokendesk ui accepts (11 MB): import it in the desktop app or with tokendesk import.');
  });

  it('an exception names its reason to the caller', async () => {
    expect(await through('agent', 'token:copy', { clientId: 'x', format: 'header' })).toEqual({
      ok: false,
      error: { code: 'unsupported', message: `token:copy is not offered here: ${operations['token:copy'].not.agent}.` },
    });
  });
});

describe('operations that reached the window', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('token:valid, token:headers and the sinks work through IPC; the provider’s raw response stays in main', async () => {
    const created = await through('ipc', 'clients:create', {
      name: 'daou',
      provider: 'daouoffice',
      baseUrl: sandbox.url,
      clientId: SANDBOX_CREDENTIALS.daouoffice.clientId,
      clientSecret: SANDBOX_CREDENTIALS.daouoffice.clientSecret,
    });
    expect(created.ok).toBe(true);
    const valid = await through('ipc', 'token:valid', { clientId: 'daou', minValidMs: 60_000 });
    expect(valid).toMatchObject({ ok: true, value: { accessToken: expect.stringMatching(/^eyJ/), raw: null, cookies: null } });
    const access = (valid as { value: { accessToken: string } }).value.accessToken;
    expect(await through('ipc', 'token:headers', { clientId: 'daou' })).toEqual({ ok: true, value: [`Authorization: Bearer ${access}`] });

    const file = path.join(root, 'daou.env');
    const added = await through('ipc', 'sinks:add', { clientId: 'daou', sink: { kind: 'dotenv', path: file, key: 'DAOU_TOKEN' } });
    expect(added).toMatchObject({ ok: true, value: { written: true, error: null } });
    expect(fs.readFileSync(file, 'utf8')).toBe(`DAOU_TOKEN='${access}'\n`);
    const sinkId = (added as { value: { sink: { id: string } } }).value.sink.id;
    const removed = await through('ipc', 'sinks:remove', { clientId: 'daou', sinkId });
    expect(removed).toMatchObject({ ok: true, value: { config: { name: 'daou' } } });
    expect((removed as { value: { config: { sinks?: unknown[] } } }).value.config.sinks ?? []).toEqual([]);
  });
});
