/**
 * The command line's end of the agent socket: connect to the running app, check the protocol
 * version, then forward DeskApi calls as operations of the table (main/model/operations.ts, types
 * only here). node:net only, so `tokendesk token` can use it without loading the core.
 */
import net from 'node:net';
import type { DeskApi } from '../core/desk-api';
import type { OperationInput, OperationName } from '../model/operations';
import { TokenDeskError } from '../model/errors';
import type { ErrorInfo } from '../model/types';
import {
  AGENT_METHODS,
  AGENT_PROTOCOL_VERSION,
  lineSplitter,
  type AgentHello,
  type AgentMethod,
  type AgentRequest,
  type AgentResponse,
} from './protocol';

/** The DeskApi methods the agent forwards, every one of them async (it crosses a socket). */
export type CliDesk = {
  [M in AgentMethod]: (...args: Parameters<DeskApi[M]>) => Promise<Awaited<ReturnType<DeskApi[M]>>>;
} & { close(): Promise<void> };

/** Responses can carry every recorded exchange of a client: allow far more than a request. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Longer than any single provider request the core makes (30 s timeout, plus a retry). */
const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/** RFC 8628 device codes live minutes (oidc-provider: 10, most servers 5-30): wait up to half an hour. */
const DEVICE_SIGN_IN_TIMEOUT_MS = 30 * 60_000;

/** Errors that mean "nobody listens there": the app is not running (or a stale socket is left). */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ECONNRESET', 'EPIPE']);

export interface AgentConnection {
  readonly hello: AgentHello;
  call(operation: OperationName, input: unknown, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

/**
 * Connects to the agent at `socketPath`. Resolves null when nothing listens there (quickly: a
 * missing socket fails at once); rejects with TokenDeskError for a listener that does not speak
 * the protocol or does not answer within `timeoutMs`.
 */
export async function connectAgent(socketPath: string, opts: { timeoutMs?: number } = {}): Promise<AgentConnection | null> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const socket = await new Promise<net.Socket | null>((resolve, reject) => {
    const candidate = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      candidate.destroy();
      reject(agentError('timeout', `The TokenDesk app did not accept a connection on ${socketPath} within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    candidate.once('connect', () => {
      clearTimeout(timer);
      resolve(candidate);
    });
    candidate.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      candidate.destroy();
      if (NOT_LISTENING.has(error.code ?? '')) resolve(null);
      else reject(agentError('storage', `Could not connect to the TokenDesk app on ${socketPath}: ${error.message}`));
    });
  });
  if (!socket) return null;

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let closedError: TokenDeskError | null = null;

  const failAll = (error: TokenDeskError): void => {
    closedError ??= error;
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      call.reject(error);
      pending.delete(id);
    }
  };

  socket.on(
    'data',
    lineSplitter(
      (line) => {
        let response: AgentResponse;
        try {
          response = JSON.parse(line) as AgentResponse;
        } catch {
          failAll(agentError('internal', 'The TokenDesk app sent an answer that is not JSON.'));
          socket.destroy();
          return;
        }
        const call = pending.get(response.id);
        if (!call) return;
        pending.delete(response.id);
        clearTimeout(call.timer);
        if (response.ok) call.resolve(response.value);
        else call.reject(fromErrorInfo(response.error));
      },
      MAX_RESPONSE_BYTES,
      () => {
        failAll(agentError('internal', 'The TokenDesk app sent an answer larger than the command line accepts.'));
        socket.destroy();
      },
    ),
  );
  socket.on('error', () => undefined);
  socket.on('close', () => failAll(agentError('network', 'The TokenDesk app closed the connection before answering.')));

  const call = (method: AgentRequest['method'], params: unknown, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<unknown> => {
    if (closedError) return Promise.reject(closedError);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(agentError('timeout', `The TokenDesk app did not answer "${method}" within ${Math.round(callTimeoutMs / 1000)} s.`));
      }, callTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      socket.write(`${JSON.stringify({ id, method, params } as AgentRequest)}\n`);
    });
  };

  let hello: AgentHello;
  try {
    hello = (await call('hello', { version: AGENT_PROTOCOL_VERSION }, timeoutMs)) as AgentHello;
  } catch (error) {
    socket.destroy();
    throw error;
  }
  return {
    hello,
    call: (method, params, callTimeoutMs) => call(method, params, callTimeoutMs),
    close: () => {
      socket.end();
      socket.unref();
    },
  };
}

/** One operation and its input. */
type Call = { [N in OperationName]: [N, OperationInput<N>] }[OperationName];

/** Each DeskApi method the command line uses, as the operation that serves it. */
const CALLS: { [M in AgentMethod]: (...args: Parameters<DeskApi[M]>) => Call } = {
  info: () => ['app:info', undefined],
  listClients: () => ['clients:list', undefined],
  getClient: (ref) => ['clients:get', { clientId: ref }],
  createClient: (input) => ['clients:create', input],
  removeClient: (ref) => ['clients:remove', { clientId: ref }],
  issue: (ref) => ['token:issue', { clientId: ref }],
  beginSignIn: (ref, opts = {}) => ['auth:begin', { clientId: ref, ...opts }],
  completeSignIn: (ref, callbackUrl) => ['auth:finish', { clientId: ref, callbackUrl }],
  refresh: (ref) => ['token:refresh', { clientId: ref }],
  validToken: (ref, opts = {}) => ['token:valid', { clientId: ref, ...opts }],
  revoke: (ref) => ['token:revoke', { clientId: ref }],
  signOut: (ref) => ['auth:signOut', { clientId: ref }],
  userInfo: (ref) => ['auth:userInfo', { clientId: ref }],
  reveal: (ref, which) => ['token:reveal', { clientId: ref, which }],
  exchanges: (ref, reveal) => ['exchanges:list', { clientId: ref, reveal }],
  discover: (issuer, network = {}) => ['clients:discover', { issuer, ...network }],
  requestHeaders: (ref, request) => ['token:headers', { clientId: ref, ...request }],
  beginDeviceSignIn: (ref) => ['auth:deviceBegin', { clientId: ref }],
  completeDeviceSignIn: (ref) => ['auth:deviceComplete', { clientId: ref }],
  introspect: (ref, which) => ['token:introspect', { clientId: ref, ...(which ? { which } : {}) }],
  addSink: (ref, sink) => ['sinks:add', { clientId: ref, sink }],
  removeSink: (ref, sinkId) => ['sinks:remove', { clientId: ref, sinkId }],
  previewImport: (source) => ['import:preview', source],
  applyImport: (id, options = {}) => ['import:apply', { id, ...options }],
  exportClients: (refs, includeSecrets) => ['clients:export', { ...(refs ? { clientIds: refs } : {}), includeSecrets }],
};

/** A CliDesk that forwards every call to the app. */
export function agentDesk(connection: AgentConnection): CliDesk {
  const desk: Record<string, unknown> = {
    close: async () => connection.close(),
  };
  for (const method of AGENT_METHODS) {
    // A device sign-in waits for a person on another device, up to the code's lifetime.
    const timeoutMs = method === 'completeDeviceSignIn' ? DEVICE_SIGN_IN_TIMEOUT_MS : undefined;
    const toCall = CALLS[method] as (...args: unknown[]) => Call;
    desk[method] = (...args: unknown[]) => {
      const [operation, input] = toCall(...args);
      return connection.call(operation, input, timeoutMs);
    };
  }
  return desk as CliDesk;
}

/** The core's error, rebuilt on this side of the socket so exit codes and messages stay the same. */
export function fromErrorInfo(info: ErrorInfo): TokenDeskError {
  const details: { providerMessage?: string; status?: number; rawBody?: string } = {};
  if (info.providerMessage !== undefined) details.providerMessage = info.providerMessage;
  if (info.status !== undefined) details.status = info.status;
  if (info.rawBody !== undefined) details.rawBody = info.rawBody;
  return new TokenDeskError(info.code, info.message, details);
}

function agentError(code: ErrorInfo['code'], message: string): TokenDeskError {
  return new TokenDeskError(code, message);
}
