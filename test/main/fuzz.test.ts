/**
 * Issue #11's fuzz test: a few thousand random and malformed token responses (parsed directly and
 * over real loopback HTTP into a real TokenDesk), agent socket lines and IPC payloads. Nothing may
 * crash, every failure is a TokenDeskError (or a bad_request result), no promise is left rejected
 * (test/helpers/no-unhandled.ts fails the test otherwise), and the other client keeps working.
 * Seeded, so a failure is reproducible.
 */
import { createServer, type Server } from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../main/agent/server';
import { statusTable } from '../../main/cli/output';
import { DEFAULT_GENERIC } from '../../main/model/defaults';
import { isoInstant, isValidInstant } from '../../main/model/dates';
import { TokenDesk } from '../../main/core/desk';
import { TokenDeskError } from '../../main/model/errors';
import { SignInCoordinator } from '../../main/core/signin';
import { IPC_CHANNELS } from '../../main/ipc/contract';
import { createHandlers } from '../../main/ipc/handlers';
import { processCookieTokenResponse, processTokenResponse } from '../../main/oauth/normalize';
import { errorFromResponse } from '../../main/oauth/provider-errors';

/** mulberry32: small, seeded, good enough to shake inputs. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(0x11_2026);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const NUMBERS = [0, -1, 1, 59, 3600, 1e20, -1e20, 1e308, 2 ** 53, 0.5, 316_224_001, Number.MAX_SAFE_INTEGER];
const STRINGS = ['', ' ', 'Bearer', 'a.b.c', '86400', '-5', '1e20', 'NaN', 'Infinity', '\u0000', '\u001b[31m', '한국어', '<html><body>x</body></html>', '{"a":', 'x'.repeat(5000)];
const KEYS = ['access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_expires_in', 'scope', 'error', 'error_description', 'message', 'messageDetail', 'code', 'flag', 'title', 'body', '__proto__', 'constructor'];

function value(depth = 0): unknown {
  switch (int(depth > 2 ? 4 : 7)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return pick(STRINGS);
    case 2:
      return pick([true, false, null]);
    case 3:
      return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x3000)));
    case 4:
      return Array.from({ length: int(4) }, () => value(depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(KEYS), value(depth + 1)]));
  }
}

/** A token response body: mostly token-shaped JSON, sometimes broken text. */
function body(): string {
  const roll = int(10);
  if (roll === 0) return String.fromCharCode(...Array.from({ length: int(200) }, () => int(256)));
  if (roll === 1) return JSON.stringify(value()).slice(0, int(100));
  const token: Record<string, unknown> = { access_token: random() < 0.8 ? pick(STRINGS.slice(1)) : value() };
  for (const key of KEYS) if (random() < 0.4) token[key] = value(1);
  return JSON.stringify(token);
}

interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}
function response(): FuzzResponse {
  const headers: Record<string, string | string[]> = {};
  if (random() < 0.8) headers['content-type'] = pick(['application/json', 'text/html', 'text/plain', 'application/json; charset=euc-kr']);
  if (random() < 0.2) headers['set-cookie'] = [`access=${pick(STRINGS)}; Max-Age=${pick(NUMBERS)}`, `refresh=${pick(STRINGS)}`];
  return { status: pick([200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 503]), headers, body: body() };
}

function checkToken(token: { expiresAt: number | null; refreshExpiresAt: number | null } | null): void {
  if (!token) return;
  for (const at of [token.expiresAt, token.refreshExpiresAt]) {
    if (at !== null) expect(isValidInstant(at), `expiry ${at}`).toBe(true);
  }
}

describe('fuzz (issue #11)', { timeout: 240_000 }, () => {
  it('3,000 random token responses: a TokenSet with sane expiries or a TokenDeskError, nothing else', () => {
    const ctx = { provider: 'Fuzz', action: 'refresh' as const };
    for (let i = 0; i < 3000; i++) {
      const res = response();
      for (const run of [
        () => checkToken(processTokenResponse(res, ctx, { now: Date.UTC(2026, 0, 1) })),
        () => checkToken(processCookieTokenResponse(res, ctx, { now: Date.UTC(2026, 0, 1) })),
        () => {
          throw errorFromResponse(res, ctx);
        },
      ]) {
        try {
          run();
        } catch (error) {
          if (!(error instanceof TokenDeskError)) throw new Error(`case ${i}: ${String(error)} for ${JSON.stringify(res).slice(0, 300)}`, { cause: error });
          expect((error.rawBody ?? '').length).toBeLessThanOrEqual(64 * 1024 + 40);
        }
      }
    }
  });

  describe('into a running TokenDesk', () => {
    let server: Server;
    let base: string;
    let next: FuzzResponse = response();
    let dataDir: string;
    let desk: TokenDesk;
    let agent: AgentServer;
    let clock = Date.now();

    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"fine","expires_in":3600}');
        const answer = next;
        const headers = { ...answer.headers };
        let payload: Buffer = Buffer.from(answer.body, 'latin1');
        // Now and then, a body that lies about its encoding or its length.
        if (random() < 0.1) {
          headers['content-encoding'] = 'gzip';
          payload = random() < 0.5 ? zlib.gzipSync(payload) : payload;
        }
        if (random() < 0.05) headers['content-length'] = String(payload.length + int(10) - 5);
        try {
          res.writeHead(answer.status, headers);
          res.end(payload);
        } catch {
          res.destroy();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-fuzz-'));
      // A clock that jumps a minute per call, so the per-client call ceiling (refresh-guard.ts) never
      // turns the fuzz into 300 'rate_limited' answers.
      desk = await TokenDesk.open({ dataDir, httpTimeoutMs: 2_000, now: () => (clock += 61_000) });
      for (const [name, route] of [['good', '/ok'], ['fuzz', '/fuzz']] as const) {
        await desk.createClient({
          name,
          provider: 'oauth2',
          clientId: 'id',
          clientSecret: 'secret',
          generic: { ...DEFAULT_GENERIC, grant: 'client_credentials', pkce: false, tokenUrl: `${base}${route}` },
        });
      }
      agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
    });

    afterAll(async () => {
      await agent?.close();
      await desk?.close();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function goodStillWorks(): Promise<void> {
      await expect(desk.issue('good')).resolves.toMatchObject({ config: { name: 'good' }, token: { accessTokenMasked: expect.any(String) } });
      const views = desk.listClients();
      expect(views.map((view) => view.config.name).sort()).toEqual(['fuzz', 'good']);
      expect(() => statusTable(views, Date.now())).not.toThrow();
      for (const view of views) checkToken(view.token);
      for (const view of views) for (const at of [view.token?.expiresAt, view.nextRefreshAt]) expect(typeof isoInstant(at)).not.toBe('undefined');
    }

    it('300 random responses over HTTP: each issue resolves or fails with a TokenDeskError; the other client is unaffected', async () => {
      const codes = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        next = response();
        try {
          await desk.issue('fuzz');
          codes.set('ok', (codes.get('ok') ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof TokenDeskError)) throw new Error(`case ${i}: ${String(error)} for ${JSON.stringify(next).slice(0, 300)}`, { cause: error });
          codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
        }
      }
      // The fuzz reached both outcomes, not only one kind of failure.
      expect(codes.get('ok') ?? 0).toBeGreaterThan(0);
      expect(codes.size).toBeGreaterThan(2);
      await goodStillWorks();
    });

    it('2,000 random agent lines: each answered or the connection closed; valid requests still answered', async () => {
      const methods = ['hello', 'app:info', 'clients:list', 'clients:get', 'clients:create', 'token:issue', 'token:refresh', 'token:valid', 'token:reveal', 'exchanges:list', 'auth:signIn', 'nosuch', '__proto__'];
      const socket = net.createConnection(agent.socketPath);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      let buffered = '';
      const lines: string[] = [];
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) !== -1) {
          lines.push(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
        }
      });
      let sent = 0;
      for (let i = 0; i < 2000; i++) {
        const roll = int(10);
        const line =
          roll === 0
            ? String(value()).replace(/\n/g, ' ')
            : JSON.stringify(roll === 1 ? value() : { id: i, method: pick(methods), params: random() < 0.2 ? value() : { clientId: pick(['', 'x'.repeat(300), 'nobody', String(value())]), ...(value(1) as object) } });
        socket.write(`${line.replace(/\n/g, ' ')}\n`);
        sent++;
      }
      socket.write(`${JSON.stringify({ id: 99_999, method: 'clients:list' })}\n`);
      const deadline = Date.now() + 60_000;
      while (!lines.some((line) => line.includes('"id":99999')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      socket.end();
      // Blank lines are skipped, every other line is answered.
      expect(lines.length).toBeGreaterThan(sent * 0.8);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      const last = JSON.parse(lines.find((line) => line.includes('"id":99999'))!) as { ok: boolean; value: { config: { name: string } }[] };
      expect(last.ok).toBe(true);
      expect(last.value.map((view) => view.config.name).sort()).toEqual(['fuzz', 'good']);
      await goodStillWorks();
    });

    it('2,000 random IPC payloads: every one gets an IpcResult, never a throw', async () => {
      const signIn = new SignInCoordinator(desk, {
        window: async () => {
          throw new TokenDeskError('cancelled', 'no window in a test');
        },
        listenLoopback: async () => {
          throw new TokenDeskError('unsupported', 'no loopback in a test');
        },
        openExternal: async () => undefined,
        awaitingPaste: () => undefined,
      });
      const dispatch = createHandlers(desk, { copy: () => undefined }, signIn);
      const names = [...IPC_CHANNELS, 'nosuch:channel', '__proto__'];
      for (let i = 0; i < 2000; i++) {
        const channel = pick(names);
        // Keep the fuzz from deleting or renaming the two clients this test watches.
        if (channel === 'clients:remove' || channel === 'clients:update' || channel === 'auth:signOut' || channel === 'token:revoke') continue;
        const result = await dispatch(channel, random() < 0.5 ? value() : { clientId: pick(['', 'x'.repeat(300), String(value())]), ...(value(1) as object) });
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(typeof result.error.message).toBe('string');
      }
      await goodStillWorks();
    });
  });
});
