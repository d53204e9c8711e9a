/**
 * The per-client refresh lease (issue #11, item 3): no provider call holds the data directory lock.
 * Two TokenDesks on one data directory stand for two processes (the lease and the lock work the
 * same within a process); the provider of one client answers only when the test lets it (a
 * barrier), so every overlap below is proven, not timed.
 */
import { createServer, type Server } from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import { LEASE_DIR } from '../../../main/tokens/lease';

let server: Server;
let base: string;
const calls = { slow: 0, quick: 0 };
let release: () => void = () => undefined;
let arrived: () => void = () => undefined;
const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
const slowReleased = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const answer = (token: string) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    if (req.url === '/slow') {
      calls.slow++;
      arrived();
      void slowReleased.then(() => answer(`slow-${calls.slow}`));
      return;
    }
    calls.quick++;
    answer(`quick-${calls.quick}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  release();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('refresh lease across processes (issue #11)', () => {
  it('while one process waits on a slow provider, another reads, issues for other clients, and gets the same refresh without a second call', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-lease-'));
    const first = await TokenDesk.open({ dataDir });
    const second = await TokenDesk.open({ dataDir });
    try {
      for (const name of ['slow', 'quick']) {
        await first.createClient({
          name,
          provider: 'oauth2',
          clientId: 'id',
          clientSecret: 'secret',
          generic: { ...DEFAULT_GENERIC, grant: 'client_credentials', pkce: false, tokenUrl: `${base}/${name}` },
        });
      }
      const slowIssue = first.refresh('slow');
      await slowArrived;
      // The first process is inside its provider call now, holding the client's lease only.
      expect(fs.readdirSync(path.join(dataDir, LEASE_DIR))).toEqual([`${first.getClient('slow').config.id}.json`]);

      // Before: the lock was held across the provider call, so these waited for it (or 30 s).
      expect(second.listClients().map((view) => view.config.name).sort()).toEqual(['quick', 'slow']);
      const quick = await second.issue('quick');
      expect(quick.token?.accessTokenMasked).toBeDefined();

      // The same client from the second process: it waits for the first one's answer.
      const secondSlow = second.refresh('slow');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls.slow).toBe(1);
      release();
      const [a, b] = await Promise.all([slowIssue, secondSlow]);
      expect(calls.slow).toBe(1);
      expect((await first.validToken('slow')).accessToken).toBe('slow-1');
      expect((await second.validToken('slow')).accessToken).toBe('slow-1');
      expect(a.token?.accessTokenMasked).toBe(b.token?.accessTokenMasked);
      // The lease is given back once the token is written.
      expect(fs.readdirSync(path.join(dataDir, LEASE_DIR))).toEqual([]);
    } finally {
      release();
      await first.close();
      await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
