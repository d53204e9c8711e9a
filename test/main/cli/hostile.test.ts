/**
 * Issue #11, tried as an unlucky or hostile user would: the real command line (standalone, and the
 * agent where the row is about it) against a loopback provider that answers too much, too slowly or
 * with nonsense. Each test reproduces a row of the table and checks the clear error, that
 * nothing was lost, and that other clients still work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSocketPath, startAgentServer } from '../../../main/agent/server';
import { TokenDesk } from '../../../main/core/desk';
import { ensureCliBuilt, removeTempDataDirs, runCli, spawnCli, tempDataDir } from '../../helpers/cli';

let server: Server;
let base: string;
const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));

beforeAll(async () => {
  await ensureCliBuilt();
  server = createServer((req, res) => {
    req.resume();
    const json = { 'content-type': 'application/json' };
    if (req.url === '/ok') return void res.writeHead(200, json).end('{"access_token":"fine","token_type":"Bearer","expires_in":3600}');
    if (req.url === '/e20') return void res.writeHead(200, json).end('{"access_token":"x","token_type":"Bearer","expires_in":1e20}');
    if (req.url === '/bomb') return void res.writeHead(200, { ...json, 'content-encoding': 'gzip' }).end(bomb);
    if (req.url === '/huge') {
      res.writeHead(200, json);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = 50 * 1000 * 1000;
      const pump = (): void => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (left = 0));
      return pump();
    }
    if (req.url === '/trickle') {
      res.writeHead(200, json);
      const timer = setInterval(() => res.write(' '), 100);
      timer.unref();
      return void res.on('close', () => clearInterval(timer));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  removeTempDataDirs();
});

/** A client_credentials client whose token URL is `route` on the loopback provider. */
async function addClient(dataDir: string, name: string, route: string, expectedStderr = ''): Promise<void> {
  const added = await runCli(
    ['clients', 'add', name, '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', `${base}${route}`, '--client-id', 'id', '--client-secret-stdin'],
    { dataDir, standalone: true, stdin: 'secret\n' },
  );
  expect(added.stderr).toBe(expectedStderr);
  expect(added.code).toBe(0);
}

/** After a failure: the good client still issues, and status lists every client. */
async function othersUnaffected(dataDir: string, count: number): Promise<void> {
  const issued = await runCli(['issue', 'good', '--json'], { dataDir, standalone: true });
  expect(issued.code, issued.stderr).toBe(0);
  expect(JSON.parse(issued.stdout)).toMatchObject({ client: 'good', access_token: 'fine' });
  const status = await runCli(['status', '--json'], { dataDir, standalone: true });
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout)).toHaveLength(count);
}

describe('a hostile provider (issue #11)', { timeout: 300_000 }, () => {
  it('row 4: expires_in 1e20 is the provider error it is, quoting the value; every client still lists', async () => {
    const dataDir = tempDataDir();
    await addClient(dataDir, 'good', '/ok');
    await addClient(dataDir, 'silly', '/e20');
    const issued = await runCli(['issue', 'silly'], { dataDir, standalone: true });
    expect(issued.code).toBe(3);
    expect(issued.stderr).toContain(
      `answered the token request with "expires_in": 100000000000000000000, which is not a lifetime TokenDesk can use (it must be more than 0 seconds and at most 10 years).`,
    );
    // Before: stored, then `status` and `clients list` failed with "Invalid time value" for every client.
    await othersUnaffected(dataDir, 2);
    const list = await runCli(['clients', 'list'], { dataDir, standalone: true });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/silly\s+oauth2\s+error/);
  });

  it('rows 6 and 7: a 50 MB response and a gzip bomb stop at 1 MiB; store.json stays small and status quick', async () => {
    const dataDir = tempDataDir();
    await addClient(dataDir, 'good', '/ok');
    await addClient(dataDir, 'huge', '/huge');
    await addClient(dataDir, 'bomb', '/bomb');
    const huge = await runCli(['issue', 'huge'], { dataDir, standalone: true });
    expect(huge.code).toBe(3);
    expect(huge.stderr).toContain('sent a response larger than 1 MiB; TokenDesk stopped reading it.');
    const bombed = await runCli(['issue', 'bomb'], { dataDir, standalone: true });
    expect(bombed.code).toBe(3);
    expect(bombed.stderr).toContain('sent a response that decompresses to more than 1 MiB; TokenDesk stopped reading it.');
    // Before: lastError.rawBody made store.json 104 MB and the exchange log 70 MB.
    // Now 64 KiB of each body at most (a bomb's zeros are six characters each once escaped as JSON).
    expect(fs.statSync(path.join(dataDir, 'store.json')).size).toBeLessThan(1024 * 1024);
    for (const file of fs.readdirSync(path.join(dataDir, 'exchanges'))) {
      expect(fs.statSync(path.join(dataDir, 'exchanges', file)).size, file).toBeLessThan(1024 * 1024);
    }
    await othersUnaffected(dataDir, 3);
  });

  it('row 8: a body that trickles forever ends at the request deadline (a setting)', async () => {
    const dataDir = tempDataDir();
    await addClient(dataDir, 'good', '/ok');
    await addClient(dataDir, 'slow', '/trickle');
    const desk = await TokenDesk.open({ dataDir });
    await desk.setSettings({ requestTimeoutSeconds: 1 });
    await desk.close();
    const slow = await runCli(['issue', 'slow'], { dataDir, standalone: true });
    // Before: still hanging at 150 s, holding the data-directory lock. Now the deadline ends it.
    expect(slow.code).toBe(4);
    expect(slow.stderr).toMatch(/did not answer within 1 s\. Check your connection or try again later\./);
    await othersUnaffected(dataDir, 2);
  });
});

describe('hostile input (issue #11)', { timeout: 300_000 }, () => {
  it('row 9: 200 MB on stdin without a newline stops at 64 KiB with a clear error', async () => {
    const dataDir = tempDataDir();
    const child = spawnCli(['clients', 'add', 'x', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', `${base}/ok`, '--client-id', 'id', '--client-secret-stdin'], {
      dataDir,
      standalone: true,
    });
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 's');
    const flood = new Readable({
      read() {
        sent += chunk.length;
        this.push(sent > 200 * 1024 * 1024 ? null : chunk);
      },
    });
    child.stdin!.on('error', () => flood.destroy());
    flood.pipe(child.stdin!);
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    flood.destroy();
    const result = { code, stderr };
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'tokendesk: stdin held more than 64 KiB before the first line ended; TokenDesk stopped reading it. Pipe only what was asked for, one value a line.\n',
    );
    // Before: still reading at 120 s, 1.28 GB. Now it stops after a few chunks at most.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    const list = await runCli(['clients', 'list', '--json'], { dataDir, standalone: true });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('row 10: cleartext http:// to another host needs --allow-insecure-http, and shows that it has it', async () => {
    const dataDir = tempDataDir();
    const args = ['clients', 'add', 'plain', '--provider', 'daouoffice', '--base-url', 'http://192.0.2.2', '--client-id', 'id', '--client-secret-stdin'];
    const refused = await runCli(args, { dataDir, standalone: true, stdin: 'secret\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'tokendesk: Base URL http://192.0.2.2 uses cleartext http:// to a host other than this computer, so the client secret and tokens could be read on the way. Use https://, or allow insecure HTTP for this client (--allow-insecure-http) if you really mean it.\n',
    );
    const allowed = await runCli([...args, '--allow-insecure-http'], { dataDir, standalone: true, stdin: 'secret\n' });
    expect(allowed.code, allowed.stderr).toBe(0);
    const shown = JSON.parse((await runCli(['clients', 'show', 'plain', '--json'], { dataDir, standalone: true })).stdout);
    expect(shown).toMatchObject({ base_url: 'http://192.0.2.2', insecure_http: true });
  });

  it('row 11: an existing 1777 data directory keeps its mode, with a warning, for status as for writes', async () => {
    const dataDir = tempDataDir();
    fs.chmodSync(dataDir, 0o1777);
    const status = await runCli(['status'], { dataDir, standalone: true });
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(`TokenDesk: warning: other users can reach ${dataDir} (mode 1777).`);
    expect(status.stderr.match(/other users can reach/g)).toHaveLength(1);
    await addClient(dataDir, 'good', '/ok', status.stderr);
    // Before: chmod 0700, the sticky bit lost.
    expect(fs.statSync(dataDir).mode & 0o7777).toBe(0o1777);
    expect(fs.statSync(path.join(dataDir, 'store.json')).mode & 0o777).toBe(0o600);
  });

  it('row 12: names with newlines and ANSI escapes are printed escaped', async () => {
    const dataDir = tempDataDir();
    const name = 'evil\u001b[2J\u001b[31mred\nfake line';
    await addClient(dataDir, name, '/ok');
    const status = await runCli(['status'], { dataDir, standalone: true });
    expect(status.stdout).toContain('evil\\x1b[2J\\x1b[31mred\\nfake line');
    expect(status.stdout).not.toContain('\u001b');
    expect(status.stdout.split('\n')).toHaveLength(3);
    const missing = await runCli(['issue', 'no\u001b]0;title\u0007such'], { dataDir, standalone: true });
    expect([...missing.stderr.slice(0, -1)].filter((char) => char < ' ')).toEqual([]);
    // JSON keeps the name exactly (JSON.stringify escapes it).
    expect(JSON.parse((await runCli(['status', '--json'], { dataDir, standalone: true })).stdout)[0].client).toBe(name);
  });

  it('row 13: a 10,000-character name or a 5,000-character secret is refused the same way standalone and through the agent', async () => {
    const dataDir = tempDataDir();
    const desk = await TokenDesk.open({ dataDir });
    const agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
    try {
      for (const standalone of [true, false]) {
        const longName = await runCli(['clients', 'add', 'n'.repeat(10_000), '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', `${base}/ok`, '--client-id', 'id'], {
          dataDir,
          standalone,
        });
        expect(longName.code).toBe(1);
        expect(longName.stderr).toBe('tokendesk: The name is longer than 100 characters; nothing was saved.\n');
        const longSecret = await runCli(['clients', 'add', 'ok', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', `${base}/ok`, '--client-id', 'id', '--client-secret-stdin'], {
          dataDir,
          standalone,
          stdin: `${'s'.repeat(5_000)}\n`,
        });
        expect(longSecret.code).toBe(1);
        expect(longSecret.stderr).toBe('tokendesk: The client secret is longer than 4000 characters; nothing was saved.\n');
      }
      expect(desk.listClients()).toEqual([]);
    } finally {
      await agent.close();
      await desk.close();
    }
  });

  it('row 14: a file: token URL is refused with a message that says which addresses are accepted', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(['clients', 'add', 'f', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', 'file:///etc/passwd', '--client-id', 'id'], {
      dataDir,
      standalone: true,
    });
    expect(result.code).toBe(1);
    // Before: "Base URL is not a valid address: null".
    expect(result.stderr).toBe('tokendesk: Token URL must be an http:// or https:// address; "file:" addresses are not accepted: file:///etc/passwd\n');
  });
});
