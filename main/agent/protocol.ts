/**
 * The agent socket (ssh-agent's idea): the running desktop app answers the command line on a
 * per-user local socket, so the CLI never refreshes behind the app's back. Newline-delimited JSON,
 * one object per line: `{id, method, params}` → `{id, ok: true, value}` | `{id, ok: false, error}`,
 * where method is an operation of main/model/operations.ts and params its input (the same schema
 * as IPC's). Both ends import this file; it stays free of zod and of the core so the CLI's fast
 * path can load it.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { DeskApi } from '../core/desk-api';
import type { OperationName } from '../model/operations';
import type { ErrorInfo } from '../model/types';

/** Bumped when a method changes meaning; the server rejects other versions with a clear error. 2: the operations table. */
export const AGENT_PROTOCOL_VERSION = 2;

/** The DeskApi methods the command line calls, through the agent (client.ts) or standalone. */
export const AGENT_METHODS = [
  'info',
  'listClients',
  'getClient',
  'createClient',
  'removeClient',
  'issue',
  'beginSignIn',
  'completeSignIn',
  'refresh',
  'validToken',
  'revoke',
  'signOut',
  'userInfo',
  'reveal',
  'exchanges',
  'discover',
  'requestHeaders',
  'beginDeviceSignIn',
  'completeDeviceSignIn',
  'introspect',
  'addSink',
  'removeSink',
  'previewImport',
  'applyImport',
  'exportClients',
] as const satisfies readonly (keyof DeskApi)[];
export type AgentMethod = (typeof AGENT_METHODS)[number];

/** `hello` checks the protocol version before any other request. */
export type AgentRequest =
  | { id: number; method: 'hello'; params: { version: number } }
  | { id: number; method: OperationName; params: unknown };

export type AgentResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorInfo };

export interface AgentHello {
  version: number;
  pid: number;
  app: string;
}

/** A request line above this size closes the connection (a client input is a few kB). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Unix socket paths are limited to 104 (macOS) / 108 (Linux) bytes including the terminator.
 * Keep a margin so `path.join` never produces a path `listen()` rejects with EINVAL.
 */
const MAX_UNIX_SOCKET_PATH = 100;

/**
 * Where the agent of a data directory listens. The app and the command line compute it from the
 * same inputs (the data directory and the environment), so no discovery file is needed.
 * - Windows: a named pipe, named after the user and the data directory.
 * - Elsewhere: `<dataDir>/agent/tokendesk.sock` (directory 0700, socket 0600); when that path is
 *   too long for a Unix socket, `$XDG_RUNTIME_DIR/tokendesk/<hash>.sock`, else
 *   `<tmpdir>/tokendesk-<uid>/<hash>.sock`.
 */
export function defaultSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const resolved = path.resolve(dataDir);
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, 16);
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\tokendesk-${safeName(os.userInfo().username)}-${hash}`;
  }
  const inDataDir = path.join(resolved, 'agent', 'tokendesk.sock');
  if (Buffer.byteLength(inDataDir) <= MAX_UNIX_SOCKET_PATH) return inDataDir;
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  if (runtimeDir && path.isAbsolute(runtimeDir)) {
    const candidate = path.join(runtimeDir, 'tokendesk', `${hash}.sock`);
    if (Buffer.byteLength(candidate) <= MAX_UNIX_SOCKET_PATH) return candidate;
  }
  return path.join(os.tmpdir(), `tokendesk-${process.getuid?.() ?? 'user'}`, `${hash}.sock`);
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '_') || 'user';
}

/** Splits a byte stream into lines; `onLine` gets each complete line without its '\n'. */
export function lineSplitter(onLine: (line: string) => void, maxLineBytes: number, onOverflow: () => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return (chunk) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      if (line.trim() !== '') onLine(line);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        onOverflow();
      }
    }
  };
}
