import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import type { Exchange } from '../../../main/model/types';
import { createHttpClient } from '../../../main/oauth/http';

const MiB = 1024 * 1024;
/** 1 MiB of zeros gzip to about 1 KiB: 64 MiB decompressed fit in about 64 KiB on the wire. */
const bomb = zlib.gzipSync(Buffer.alloc(64 * MiB));
const fourMiB = zlib.gzipSync(Buffer.alloc(4 * MiB));

let server: Server;
let base: string;
/** Called when a client hangs up on /trickle. */
let trickleLeft = (): void => undefined;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/huge') {
      // 50 MB with no Content-Length: the limit has to be enforced while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 50 * 1000 * 1000) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      return pump();
    }
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * MiB) });
      return void res.end('{}');
    }
    if (req.url === '/bomb') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return void res.end(bomb);
    }
    if (req.url === '/four') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return void res.end(fourMiB);
    }
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return void res.end(zlib.gzipSync('{"access_token":"zipped"}'));
    }
    if (req.url === '/br') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      return void res.end(zlib.brotliCompressSync('{"access_token":"brotli"}'));
    }
    if (req.url === '/trickle') {
      // One byte every 50 ms, forever: only an overall deadline ends it. Stops when the client leaves.
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      timer.unref();
      return void res.on('close', () => {
        clearInterval(timer);
        trickleLeft();
      });
    }
    if (req.url === '/big-error') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return void res.end('x'.repeat(200 * 1024));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(extra: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  const exchanges: Exchange[] = [];
  return { exchanges, http: createHttpClient({ onExchange: (ex) => exchanges.push(ex), ...extra }) };
}

describe('http client limits', () => {
  it('stops reading a 50 MB response at 1 MiB and keeps only 64 KiB of it', async () => {
    const { http, exchanges } = client();
    const error = await http.send({ clientId: 'c', method: 'POST', url: `${base}/huge` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenDeskError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      message: `127.0.0.1:${new URL(base).port} sent a response larger than 1 MiB; TokenDesk stopped reading it. A token response is a few kilobytes: check the URL, or raise the response size limit in the settings if this provider really needs more.`,
    });
    const raw = (error as TokenDeskError).rawBody ?? '';
    expect(raw.slice(0, 64 * 1024) === 'a'.repeat(64 * 1024)).toBe(true);
    expect(raw.slice(64 * 1024)).toMatch(/^… \d+ bytes more$/);
    expect(raw.length).toBeLessThan(64 * 1024 + 40);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.status).toBe(200);
    expect(exchanges[0]!.responseBody!.length).toBeLessThan(64 * 1024 + 40);
  });

  it('refuses a response whose Content-Length is over the limit before reading it', async () => {
    const { http } = client();
    await expect(http.send({ clientId: 'c', method: 'GET', url: `${base}/declared` })).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('announced a response larger than 1 MiB'),
    });
  });

  it('stops a gzip bomb once it decompresses past the limit', async () => {
    const { http } = client();
    // The old client inflated all 64 MiB (1 GB in the original report) before looking at it; the
    // memory it takes now is printed by `npm run bench` (test/bench/timing.bench.ts).
    await expect(http.send({ clientId: 'c', method: 'GET', url: `${base}/bomb` })).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('decompresses to more than 1 MiB'),
    });
  });

  it('honours a larger limit when the setting asks for one', async () => {
    await expect(client().http.send({ clientId: 'c', method: 'GET', url: `${base}/four` })).rejects.toMatchObject({ code: 'invalid_response' });
    const { http } = client({ maxResponseBytes: 5 * MiB });
    const res = await http.send({ clientId: 'c', method: 'GET', url: `${base}/four` });
    expect(res.body.length).toBe(4 * MiB);
    expect(res.exchange.responseBody!.slice(64 * 1024)).toBe(`… ${4 * MiB - 64 * 1024} bytes more`);
  });

  it('decompresses gzip and brotli bodies', async () => {
    const { http } = client();
    expect((await http.send({ clientId: 'c', method: 'GET', url: `${base}/gzip` })).body).toBe('{"access_token":"zipped"}');
    expect((await http.send({ clientId: 'c', method: 'GET', url: `${base}/br` })).body).toBe('{"access_token":"brotli"}');
  });

  it('ends a body that trickles forever at the overall deadline', async () => {
    const { http, exchanges } = client({ timeoutMs: 400 });
    const hungUp = new Promise<void>((resolve) => (trickleLeft = resolve));
    await expect(http.send({ clientId: 'c', method: 'POST', url: `${base}/trickle` })).rejects.toMatchObject({
      code: 'timeout',
      message: `127.0.0.1:${new URL(base).port} did not answer within 400 ms. Check your connection or try again later.`,
    });
    // Each byte arrives well inside any idle timeout; only the deadline can end this, and the client
    // hangs up rather than leaving the body running (how long it took: `npm run bench`).
    await hungUp;
    expect(exchanges[0]).toMatchObject({ status: 200, error: expect.stringContaining('did not answer') });
  });

  it('keeps 64 KiB of a large error body in the exchange record', async () => {
    const { http } = client();
    const res = await http.send({ clientId: 'c', method: 'GET', url: `${base}/big-error` });
    expect(res.body.length).toBe(200 * 1024);
    expect(res.exchange.responseBody!.slice(0, 64 * 1024)).toBe('x'.repeat(64 * 1024));
    expect(res.exchange.responseBody!.slice(64 * 1024)).toBe(`… ${136 * 1024} bytes more`);
  });
});

describe('http client schemes (issue #11, rows 10 and 14)', () => {
  it('sends nothing to a file: URL and says which addresses are accepted', async () => {
    const { http, exchanges } = client();
    await expect(http.send({ clientId: 'c', method: 'POST', url: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: 'bad_request',
      message: "Only http:// and https:// addresses are accepted; TokenDesk sent nothing to file:///etc/passwd. Check the client's URLs.",
    });
    expect(exchanges[0]).toMatchObject({ status: null, error: expect.stringContaining('Only http:// and https://') });
  });

  it('warns each time credentials go out over cleartext to another host, and never for loopback', async () => {
    // The "other host" is reached through a loopback proxy, so nothing leaves this machine.
    const proxy = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t"}');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const previous = process.env['http_proxy'];
    process.env['http_proxy'] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const warnings: string[] = [];
      const http = createHttpClient({ onExchange: () => {}, onCleartext: (message) => warnings.push(message) });
      const form = { clientId: 'c', method: 'POST' as const, body: 'grant_type=client_credentials&client_secret=s' };
      await http.send({ ...form, url: 'http://192.0.2.2/token?x=1' });
      await http.send({ ...form, url: 'http://192.0.2.2/token' });
      await http.send({ ...form, url: `${base}/gzip` });
      await http.send({ clientId: 'c', method: 'GET', url: 'http://192.0.2.2/public' });
      expect(warnings).toEqual([
        'warning: sending credentials to http://192.0.2.2/token over cleartext http:// (this client allows insecure HTTP); anyone on the network path can read them.',
        'warning: sending credentials to http://192.0.2.2/token over cleartext http:// (this client allows insecure HTTP); anyone on the network path can read them.',
      ]);
    } finally {
      if (previous === undefined) delete process.env['http_proxy'];
      else process.env['http_proxy'] = previous;
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('TokenDeskError', () => {
  it('caps the raw body it carries at 64 KiB with a marker', () => {
    const error = new TokenDeskError('invalid_response', 'bad', { rawBody: 'é'.repeat(70_000) });
    expect(error.rawBody!.slice(65_536)).toBe(`… ${(70_000 - 65_536) * 2} bytes more`);
    // Rebuilt from ErrorInfo (the agent socket), a capped body stays as it was.
    expect(new TokenDeskError('invalid_response', 'bad', { rawBody: error.toInfo().rawBody! }).rawBody === error.rawBody).toBe(true);
  });
});
