/**
 * `tokendesk ui` as a command: its flags, Ctrl-C, the desktop app already running, and the cold
 * start of `tokendesk token` (the web server is a chunk only `ui` loads). The browser side is
 * test/e2e/web-ui.test.ts.
 */
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../../main/agent/server';
import { rawRequest, startUi } from '../../helpers/ui-process';
import { ensureCliBuilt, removeTempDataDirs, ROOT, runCli, tempDataDir } from '../../helpers/cli';

const SLOW = 90_000;

beforeAll(async () => {
  await ensureCliBuilt();
}, SLOW);
afterAll(() => removeTempDataDirs());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tokendesk ui', () => {
  it('serves on the --port asked, and Ctrl-C stops it cleanly', async () => {
    const port = await freePort();
    const ui = await startUi(['--port', String(port)]);
    try {
      expect(ui.port).toBe(port);
      expect((await rawRequest(port, { path: '/', headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
      ui.child.kill('SIGINT');
      expect(await ui.exited).toBe(0);
      expect(ui.stdout()).toContain('TokenDesk ui stopped (Ctrl-C).');
      await expect(rawRequest(port, { path: '/', headers: { host: `127.0.0.1:${port}` } })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await ui.stop();
    }
  }, SLOW);

  it('refuses a port that is not a port, with the range in the message', async () => {
    const result = await runCli(['ui', '--no-open', '--port', '70000'], { dataDir: tempDataDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535 (got "70000").');
  }, SLOW);

  it('a port in use is a clear error, and nothing is left running', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await runCli(['ui', '--no-open', '--port', String(port)], { dataDir: tempDataDir() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is in use: choose another with --port N, or leave --port out for a free one.`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, SLOW);

  describe('when the desktop app already answers on the agent socket', () => {
    let dataDir: string;
    let desk: TokenDesk;
    let agent: AgentServer;

    beforeAll(async () => {
      dataDir = tempDataDir();
      desk = await TokenDesk.open({ dataDir, version: 'test' });
      agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
    });
    afterAll(async () => {
      await agent?.close();
      await desk?.close();
    });

    it('says so and serves nothing; without a display it says why the window cannot come forward', async () => {
      const result = await runCli(['ui', '--no-open'], { dataDir });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`The TokenDesk app is already running (pid ${process.pid}) on ${dataDir}.`);
      expect(result.stdout).toContain('Its window cannot be shown from here (no display). To use a browser tab anyway, run: tokendesk --standalone ui');
      expect(result.stdout).not.toContain('http://');
    }, SLOW);

    it('--standalone serves a browser tab anyway, on the same data directory', async () => {
      const ui = await startUi(['--idle-timeout', '1'], { dataDir, standalone: true });
      try {
        expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
      } finally {
        await ui.stop();
      }
    }, SLOW);
  });
});

describe('cold start', () => {
  it('`tokendesk token` never loads the web server: it is reached only by dynamic import', () => {
    const dir = path.join(ROOT, 'out', 'cli');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/^import\s[^;]*?from\s*"(\.[^"]+)"/gm)) visit(path.resolve(path.dirname(file), match[1]!));
    };
    visit(path.join(dir, 'index.mjs'));
    const statics = [...seen].map((file) => fs.readFileSync(file, 'utf8'));
    expect(statics.some((source) => source.includes('startWebServer'))).toBe(false);
    expect(statics.some((source) => source.includes('function runUi'))).toBe(false);
    // …and it is in the bundle, behind import().
    const chunks = fs.readdirSync(path.join(dir, 'chunks')).map((name) => fs.readFileSync(path.join(dir, 'chunks', name), 'utf8'));
    expect(chunks.some((source) => source.includes('startWebServer'))).toBe(true);
  });
});
