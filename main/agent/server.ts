/**
 * The app's end of the agent socket: plain Node (node:net), hosted by the Electron shell and by
 * tests alike. Only the user can reach it: a Unix socket 0600 inside a 0700 directory, or on
 * Windows a named pipe (whose default DACL gives other accounts read access only, which is not
 * enough to send a request). Every request is an operation of the table every door serves
 * (main/model/operations.ts), checked against its schema before it reaches the core.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { DeskApi } from '../core/desk-api';
import { serve, type Dispatch } from '../core/serve';
import { TokenDeskError } from '../model/errors';
import { connectAgent } from './client';
import { AGENT_PROTOCOL_VERSION, lineSplitter, MAX_REQUEST_BYTES, type AgentHello, type AgentResponse } from './protocol';

export { defaultSocketPath } from './protocol';

export interface AgentServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** The envelope; params are checked by the operation's own schema (serve()). */
const requestSchema = z.object({ id: z.number().int(), method: z.string().max(100), params: z.unknown().optional() });
const helloSchema = z.object({ version: z.number().int() });

export async function startAgentServer(desk: DeskApi, opts: { socketPath: string; appName?: string }): Promise<AgentServer> {
  const { socketPath } = opts;
  const dispatch = serve('agent', { desk });
  const hello: AgentHello = { version: AGENT_PROTOCOL_VERSION, pid: process.pid, app: opts.appName ?? 'TokenDesk' };
  if (process.platform !== 'win32') await prepareUnixSocket(socketPath);

  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const reply = (response: AgentResponse): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
    };
    socket.on(
      'data',
      lineSplitter(
        (line) => void answer(dispatch, hello, line).then(reply),
        MAX_REQUEST_BYTES,
        () => socket.destroy(),
      ),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);

  return {
    socketPath,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      });
      if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
    },
  };
}

async function answer(dispatch: Dispatch, hello: AgentHello, line: string): Promise<AgentResponse> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { id: 0, ok: false, error: { code: 'bad_request', message: 'The request is not JSON.' } };
  }
  const parsed = requestSchema.safeParse(raw);
  const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : 0;
  if (!parsed.success) {
    return { id, ok: false, error: { code: 'bad_request', message: `Not a TokenDesk agent request: ${parsed.error.issues[0]?.message ?? 'invalid'}.` } };
  }
  const request = parsed.data;
  if (request.method !== 'hello') return { id, ...(await dispatch(request.method, request.params)) };
  const version = helloSchema.safeParse(request.params);
  if (!version.success || version.data.version !== AGENT_PROTOCOL_VERSION) {
    const theirs = version.success ? version.data.version : 'unknown';
    return {
      id,
      ok: false,
      error: {
        code: 'unsupported',
        message: `The TokenDesk app speaks agent protocol ${AGENT_PROTOCOL_VERSION}, the command line ${theirs}: update both to the same version.`,
      },
    };
  }
  return { id, ok: true, value: hello };
}

/**
 * The socket's directory must be ours and private before we listen: `listen()` creates the socket
 * with the umask's mode, and the directory is what keeps others out until chmod. A socket file left
 * by a crashed app is removed; one another live app answers on is an error.
 */
async function prepareUnixSocket(socketPath: string): Promise<void> {
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) {
    throw new TokenDeskError('storage', `The agent socket directory ${dir} is not a directory owned by you; remove it and start TokenDesk again.`);
  }
  // Writable by others: someone else could swap the socket for theirs (tmux refuses such a directory too).
  if ((stat.mode & 0o022) !== 0) {
    throw new TokenDeskError(
      'storage',
      `Other users can write to the agent socket directory ${dir} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}), so TokenDesk will not listen there; remove it and start TokenDesk again.`,
    );
  }
  // Ours and only readable by others: narrowing our own directory hides the socket's name.
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);

  let existing: fs.Stats;
  try {
    existing = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!existing.isSocket()) {
    throw new TokenDeskError('storage', `${socketPath} exists and is not a socket; remove it and start TokenDesk again.`);
  }
  const other = await connectAgent(socketPath, { timeoutMs: 1_000 }).catch(() => null);
  if (other) {
    other.close();
    throw new TokenDeskError('conflict', `Another TokenDesk (pid ${other.hello.pid}) already answers on ${socketPath}.`);
  }
  fs.rmSync(socketPath, { force: true });
}
