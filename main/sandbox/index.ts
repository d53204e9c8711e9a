/**
 * The built-in sandbox: one local HTTP server (node:http, 127.0.0.1 only) that emulates the four
 * provider APIs of docs/providers.md and a generic RFC 6749 server, as strictly as their documents.
 * It is the app's first-run default server and the server every integration test talks to.
 * It never logs: requests carry secrets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  DEFAULT_SANDBOX_LIFETIMES,
  defaultSandboxConfig,
  SANDBOX_CREDENTIALS,
  type SandboxConfig,
  type SandboxLifetimes,
} from './credentials';
import { daouRoutes } from './daou';
import { faultResponse, SandboxFaults, type FaultInjector } from './faults';
import { genericRoutes } from './generic';
import { hejhomeRoutes } from './hejhome';
import { itcodeRoutes } from './itcode';
import { JwtSigner } from './jwt';
import { podshopRoutes } from './podshop';
import { json, type ProviderContext, type Route, type SandboxResponse } from './util';

export {
  DEFAULT_SANDBOX_LIFETIMES,
  SANDBOX_API_PATHS,
  SANDBOX_CREDENTIALS,
  SANDBOX_CUSTOM_FIELDS,
  SANDBOX_OAUTH2_PATHS,
  type SandboxConfig,
  type SandboxLifetimes,
} from './credentials';
export { DAOU_ERRORS } from './daou';
export { FAULT_KINDS, MALFORMED_JSON_BODY, type FaultInjector, type FaultKind, type FaultOptions } from './faults';
export { sandboxClientPresets, type SandboxClientPreset } from './presets';

export interface SandboxOptions {
  /** Default 0: a random free port. The server always binds 127.0.0.1. */
  port?: number;
  /** Seconds; defaults (DEFAULT_SANDBOX_LIFETIMES) are a few minutes so expiry shows in the UI. */
  lifetimes?: Partial<SandboxLifetimes>;
  /** Clock in epoch ms, for tests with fake time: token `exp` and every server-side expiry follow it. */
  now?: () => number;
  config?: Partial<SandboxConfig>;
}

/** One request as received, kept in memory (never written anywhere) so tests can inspect it. */
export interface RecordedRequest {
  key: string;
  method: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  headers: Record<string, string>;
  body: string;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT — the base URL of every preset: one server serves all APIs. */
  readonly url: string;
  close(): Promise<void>;
  /** Mutable at runtime. */
  lifetimes: SandboxLifetimes;
  faults: FaultInjector;
  credentials: typeof SANDBOX_CREDENTIALS;
  /** Requests per endpoint key (SANDBOX_ENDPOINT_KEYS; 'unmatched' for unknown routes). */
  counters: Record<string, number>;
  /** Mutable at runtime. */
  config: SandboxConfig;
  /** The last RECORDED_REQUESTS_LIMIT requests, oldest first. */
  requests: RecordedRequest[];
  /** Zeroes the counters and forgets the recorded requests. */
  resetCounters(): void;
}

/** Every endpoint key used by `counters` and `faults.set`. */
export const SANDBOX_ENDPOINT_KEYS = [
  'daou.token',
  'daou.api',
  'hejhome.authorize',
  'hejhome.login',
  'hejhome.token',
  'hejhome.api',
  'pod.token',
  'pod.refresh',
  'pod.refresh.query',
  'pod.api',
  'itcode.loginUrl',
  'itcode.auto',
  'itcode.login',
  'itcode.reconsent',
  'itcode.logout',
  'itcode.revoke',
  'itcode.userinfo',
  'itcode.platform.authorize',
  'itcode.platform.consent',
  'oauth2.metadata',
  'oauth2.authorize',
  'oauth2.login',
  'oauth2.token',
  'oauth2.quirky.query.token',
  'oauth2.quirky.fields.token',
  'oauth2.revoke',
  'oauth2.userinfo',
  'oauth2.device_authorization',
  'oauth2.device',
] as const;

export const RECORDED_REQUESTS_LIMIT = 200;
const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute extends Route {
  segments: string[];
}

function compile(route: Route): CompiledRoute {
  return { ...route, segments: route.pattern.split('/') };
}

function match(route: CompiledRoute, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const parts = path.split('/');
  if (parts.length !== route.segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (part === '') return null;
      params[segment.slice(1)] = decodeURIComponent(part);
    } else if (segment !== part) {
      return null;
    }
  }
  return params;
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const body = response.body ?? '';
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Connection reset: a TCP RST where the platform allows it, else a plain destroy. */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? Date.now;
  const lifetimes: SandboxLifetimes = { ...DEFAULT_SANDBOX_LIFETIMES, ...opts.lifetimes };
  const config: SandboxConfig = { ...defaultSandboxConfig(), ...opts.config };
  const faults = new SandboxFaults();
  const counters: Record<string, number> = {};
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let url = '';

  const sandbox: Sandbox = {
    get url() {
      return url;
    },
    close,
    lifetimes,
    faults,
    credentials: SANDBOX_CREDENTIALS,
    counters,
    config,
    requests,
    resetCounters() {
      for (const key of Object.keys(counters)) delete counters[key];
      requests.length = 0;
    },
  };

  // Providers read lifetimes and config through the sandbox object, so reassigning them works too.
  const ctx: ProviderContext = {
    now: () => now(),
    get lifetimes() {
      return sandbox.lifetimes;
    },
    get config() {
      return sandbox.config;
    },
    signer: new JwtSigner(),
    baseUrl: () => url,
  };
  const routes = [...daouRoutes(ctx), ...hejhomeRoutes(ctx), ...podshopRoutes(ctx), ...itcodeRoutes(ctx), ...genericRoutes(ctx)].map(compile);

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === null) {
      send(res, json(413, { error: 'invalid_request', error_description: 'Request body too large' }));
      return;
    }
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const parsed = new URL(`http://127.0.0.1${rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`}`);
    const method = req.method ?? 'GET';

    let found: { route: CompiledRoute; params: Record<string, string> } | null = null;
    for (const route of routes) {
      const params = match(route, method, parsed.pathname);
      if (params) {
        found = { route, params };
        break;
      }
    }
    const key = found?.route.key ?? 'unmatched';
    counters[key] = (counters[key] ?? 0) + 1;
    requests.push({ key, method, path: parsed.pathname, query: rawQuery, headers: flatHeaders(req), body });
    if (requests.length > RECORDED_REQUESTS_LIMIT) requests.shift();

    const fault = faults.take(key, parsed.pathname);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'latency') await delay(fault.ms);
    if (fault?.kind === 'reset' && !fault.afterHandler) {
      resetSocket(req.socket);
      return;
    }
    if (fault && !fault.afterHandler) {
      const replaced = faultResponse(fault, key);
      if (replaced) {
        send(res, replaced);
        return;
      }
    }

    const response = found
      ? await found.route.handle({ method, url: parsed, rawQuery, headers: req.headers, body, params: found.params })
      : json(404, { error: 'not_found', error_description: `The sandbox has no endpoint ${method} ${parsed.pathname}` });

    if (fault?.afterHandler) {
      if (fault.kind === 'reset') {
        resetSocket(req.socket);
        return;
      }
      const replaced = faultResponse(fault, key);
      if (replaced) {
        send(res, replaced);
        return;
      }
    }
    send(res, response);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      send(res, json(500, { error: 'server_error', error_description: error instanceof Error ? error.message : 'Sandbox error' }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      // Hung requests ('hang' faults) and keep-alive sockets would hold close() forever.
      server.closeAllConnections();
    });
    return closing;
  }

  return sandbox;
}
