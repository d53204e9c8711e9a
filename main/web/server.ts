/**
 * The browser door's HTTP server: the built renderer (out/renderer) and the same operations as
 * IPC, on 127.0.0.1 only. Calls are `POST /api/call/<channel>` with the channel's input as JSON
 * (checked by the same dispatch and zod schemas as IPC); main → renderer events travel as one
 * Server-Sent Events stream per tab, which doubles as the heartbeat: once a tab has been open and
 * the last stream has been closed for `idleMs`, the server says so (onIdle) and its owner stops.
 * Before the first tab only Ctrl-C stops it (copying the address over SSH takes a while). Every
 * request passes guard.ts first; no CORS header is ever sent, so other origins cannot read answers.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { EventName, Events, IpcResult } from '../ipc/contract';
import { checkRequest, SessionKeeper } from './guard';

export type Dispatch = (channel: string, payload: unknown) => Promise<IpcResult<unknown>>;

export interface WebServerOptions {
  rendererDir: string;
  dispatch: Dispatch;
  /** 0: any free port. */
  port: number;
  idleMs: number;
  onIdle(): void;
}

export interface WebServer {
  readonly port: number;
  /** The address to open: the one-time token rides in the fragment, which never reaches a server. */
  readonly url: string;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  close(): Promise<void>;
}

/** clients:import's 10 MB export fits; a larger import:preview (a big Bruno folder) goes through the app or `tokendesk import`. */
const MAX_BODY_BYTES = 11 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The app's own CSP (the meta tag of the built index.html), with the one change this door needs:
 * the page talks to main by fetch and EventSource to its own origin ('self'), where the desktop
 * uses IPC and allows no connection at all. frame-ancestors only works as a header.
 */
export function webCsp(indexHtml: string): string {
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1];
  if (!meta || !meta.includes("connect-src 'none'")) throw new Error("out/renderer/index.html has no CSP with connect-src 'none'");
  return `${meta.replace("connect-src 'none'", "connect-src 'self'")}; frame-ancestors 'none'`;
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const indexHtml = await readFile(join(opts.rendererDir, 'index.html'), 'utf8');
  const csp = webCsp(indexHtml);
  const page = indexHtml.replace("connect-src 'none'", "connect-src 'self'");
  const keeper = new SessionKeeper();
  const streams = new Set<ServerResponse>();
  let idleTimer: NodeJS.Timeout | null = null;
  let port = 0;

  const baseHeaders = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', more: Record<string, string> = {}) => {
    res.writeHead(status, { ...baseHeaders, 'content-type': type, ...more }).end(body);
  };
  const sendJson = (res: ServerResponse, value: unknown, more: Record<string, string> = {}) =>
    send(res, 200, JSON.stringify(value), 'application/json; charset=utf-8', more);

  let closed = false;
  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = streams.size === 0 && !closed ? setTimeout(opts.onIdle, opts.idleMs) : null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://door').pathname;
    const method = req.method ?? 'GET';
    const post = method === 'POST';
    if (!post && method !== 'GET' && method !== 'HEAD') return send(res, 405, 'Method not allowed', undefined, { allow: 'GET, HEAD, POST' });
    const verdict = checkRequest(req.headers, port, { stateChanging: post });
    if (!verdict.ok) return send(res, verdict.status, `Refused: ${verdict.reason}.`);

    if (!path.startsWith('/api/')) return post ? send(res, 405, 'Method not allowed') : serveFile(res, path);
    if (path === '/api/session' && post) return openSession(req, res);
    if (!keeper.isSession(req.headers.cookie)) return send(res, 401, 'Refused: no session. Open the address `tokendesk ui` printed.');
    if (path === '/api/events' && !post) return openStream(req, res);
    if (!post) return send(res, 405, 'Method not allowed');
    const body = await readJson(req);
    if (body === TOO_LARGE) return send(res, 413, `The request is larger than tokendesk ui accepts (${MAX_BODY_BYTES / 1024 / 1024} MB): import it in the desktop app or with tokendesk import.`);
    if (body === NOT_JSON) return sendJson(res, { ok: false, error: { code: 'bad_request', message: 'The request body is not JSON.' } });
    if (path.startsWith('/api/call/')) return sendJson(res, await opts.dispatch(decodeURIComponent(path.slice('/api/call/'.length)), body));
    return send(res, 404, 'Not found');
  };

  const openSession = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A reload of a tab that already holds the session: nothing to trade.
    if (keeper.isSession(req.headers.cookie)) return send(res, 204, '');
    const body = await readJson(req);
    const token = typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string' ? (body as { token: string }).token : '';
    const session = keeper.exchange(token);
    if (!session) return send(res, 403, 'Refused: this address was already used or is wrong. Run `tokendesk ui` again for a new one.');
    send(res, 204, '', undefined, { 'set-cookie': SessionKeeper.cookie(session) });
  };

  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...baseHeaders, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    armIdle();
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.socket.setKeepAlive(true);
    res.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
      armIdle();
    });
  };

  const serveFile = async (res: ServerResponse, path: string): Promise<void> => {
    if (path === '/' || path === '/index.html') return send(res, 200, page, MIME['.html']);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return send(res, 400, 'Bad path');
    }
    const file = normalize(join(opts.rendererDir, decoded));
    if (!file.startsWith(opts.rendererDir + sep)) return send(res, 404, 'Not found');
    try {
      if (!(await stat(file)).isFile()) return send(res, 404, 'Not found');
      send(res, 200, await readFile(file), MIME[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'Not found');
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      console.error('[ui] request failed:', error instanceof Error ? error.message : error);
    });
  });
  // Loopback only, whatever the port: the door is for the user on this machine (or their SSH tunnel).
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/#token=${keeper.urlToken}`,
    emit(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const TOO_LARGE = Symbol('too large');
const NOT_JSON = Symbol('not JSON');

/** The JSON body; an empty body is `undefined` (the input of channels that take none). */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
