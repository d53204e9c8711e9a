import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../../main/model/types';
import { createHttpClient } from '../../../main/oauth/http';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:1/cb?code=x' }).end();
      if (req.url === '/broken') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"a":1,}');
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['access=a; Path=/', 'refresh=r; Path=/'] });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('http client', () => {
  it('sends the body as given, reads text, and records the whole exchange', async () => {
    const exchanges: Exchange[] = [];
    const http = createHttpClient({ onExchange: (ex) => exchanges.push(ex) });
    const res = await http.send({
      clientId: 'c1',
      method: 'POST',
      url: `${base}/echo`,
      headers: { authorization: 'Basic eDp5', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ method: 'POST', body: 'grant_type=client_credentials', auth: 'Basic eDp5' });
    expect(res.headers['set-cookie']).toEqual(['access=a; Path=/', 'refresh=r; Path=/']);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      clientId: 'c1',
      method: 'POST',
      url: `${base}/echo`,
      requestHeaders: { authorization: 'Basic eDp5' },
      requestBody: 'grant_type=client_credentials',
      status: 200,
      responseBody: res.body,
      error: null,
    });
  });

  it('never throws on a status and keeps a malformed body raw', async () => {
    const http = createHttpClient({ onExchange: () => {} });
    const res = await http.send({ clientId: 'c', method: 'GET', url: `${base}/broken` });
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"a":1,}');
  });

  it('does not follow redirects', async () => {
    const http = createHttpClient({ onExchange: () => {} });
    const res = await http.send({ clientId: 'c', method: 'GET', url: `${base}/redirect` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://127.0.0.1:1/cb?code=x');
  });

  it('survives a recorder that throws', async () => {
    const http = createHttpClient({
      onExchange: () => {
        throw new Error('disk full');
      },
    });
    await expect(http.send({ clientId: 'c', method: 'GET', url: `${base}/echo` })).resolves.toMatchObject({ status: 200 });
  });

  it('reports an invalid URL as a network error', async () => {
    const exchanges: Exchange[] = [];
    const http = createHttpClient({ onExchange: (ex) => exchanges.push(ex) });
    await expect(http.send({ clientId: 'c', method: 'GET', url: 'not a url' })).rejects.toMatchObject({ code: 'network' });
    expect(exchanges[0]).toMatchObject({ status: null, error: expect.any(String) });
  });
});
