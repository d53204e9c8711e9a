/**
 * Several processes on one data directory. The children are plain Node 24 running the project's
 * TypeScript directly: Node strips the types, and ../../helpers/ts-hooks.mjs adds the `.ts` extension
 * that the project's extensionless imports (moduleResolution "bundler") leave out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSet } from '../../../main/model/types';
import { openKeyring } from '../../../main/tokens/secrets';
import { TokenStore } from '../../../main/tokens/store';
import { client, setup, tempDir, tokenSet } from './helpers';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function runChild(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', path.join(fixtures, '..', '..', '..', 'helpers', 'ts-hooks.mjs'), path.join(fixtures, script)], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves once `child` has printed `line` on stdout; rejects if it exits first. */
function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk) => {
      seen += chunk;
      if (seen.split('\n').includes(line)) resolve();
    });
    child.once('exit', () => reject(new Error(`the child exited before printing ${line}`)));
  });
}

async function output(child: ChildProcess): Promise<{ stdout: string; stderr: string; code: number | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { stdout, stderr, code };
}

describe('two processes on one data directory', () => {
  /** A token endpoint that rotates refresh tokens and rejects a stale one; it answers once `gate` opens. */
  const server = { requests: 0, calls: 0, stale: 0, current: 'rt-0', url: '', gate: Promise.resolve() as Promise<unknown>, http: http.createServer() };

  beforeAll(async () => {
    server.http.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        server.requests++;
        const presented = new URLSearchParams(body).get('refresh_token');
        const answer = () => {
          res.setHeader('content-type', 'application/json');
          if (presented !== server.current) {
            server.stale++;
            res.statusCode = 400;
            res.end(JSON.stringify({ error: 'invalid_grant', error_description: `stale refresh token ${presented}` }));
            return;
          }
          server.calls++;
          server.current = `rt-${server.calls}`;
          res.end(JSON.stringify({ access_token: `at-${server.calls}`, token_type: 'bearer', expires_in: 3600, refresh_token: server.current }));
        };
        void server.gate.then(answer, () => res.destroy());
      });
    });
    server.http.listen(0, '127.0.0.1');
    await once(server.http, 'listening');
    server.url = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}/oauth/token`;
  });

  afterAll(() => {
    server.http.close();
  });

  it('refresh once between them, and both end with the same valid token', async () => {
    const { dataDir, manager } = await setup([client('shared', { provider: 'hejhome' })]);
    await manager.saveToken('shared', tokenSet({ refreshToken: 'rt-0', issuedAt: Date.now() - 7_200_000, expiresAt: Date.now() - 3_600_000 }));
    const env = { DATA_DIR: dataDir, SERVER_URL: server.url };
    const children = [runChild('race-child.ts', env), runChild('race-child.ts', env)];
    const finished = Promise.all(children.map(output));
    const ready = Promise.all(children.map((child) => printed(child, 'ready')));
    // The barrier: the provider answers only once both children are inside validToken with the
    // expired token read, so neither can finish before the other has started; the overlap is
    // certain, not a matter of timing.
    server.gate = Promise.all(children.map((child) => printed(child, 'inside')));
    let results: Awaited<typeof finished>;
    try {
      await ready;
      for (const child of children) child.stdin!.end('go\n');
      results = await finished;
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    }

    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const answers = results.map((result) => JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ok: boolean; token: TokenSet });
    expect(answers.map((answer) => answer.ok)).toEqual([true, true]);
    // One provider call: the second process waited for the first one's refresh instead of
    // presenting the refresh token the first had just used.
    expect(server.requests).toBe(1);
    expect(server.calls).toBe(1);
    expect(server.stale).toBe(0);
    expect(answers[0]!.token).toEqual(answers[1]!.token);
    expect(answers[0]!.token).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });
    // The refresh token the provider now expects is the one on disk.
    expect(manager.token('shared')?.refreshToken).toBe(server.current);
  }, 30_000);
});

describe('a writer killed at random moments', () => {
  it('leaves a store that always opens and holds every acknowledged write', async () => {
    const dataDir = tempDir();
    const keyring = await openKeyring({ dataDir });
    TokenStore.open({ dataDir });
    const kills = 30;
    let next = 0;
    let acknowledged = 0;
    for (let round = 0; round < kills; round++) {
      const child = runChild('writer-child.ts', { DATA_DIR: dataDir, FIRST: String(next) });
      const acks: number[] = [];
      let buffered = '';
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = once(child, 'exit');
      await new Promise<void>((resolve, reject) => {
        let armed = false;
        child.on('exit', () => reject(new Error(`the writer exited on its own: ${stderr}`)));
        child.stdout!.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) acks.push(Number(line.slice('ack '.length)));
          if (acks.length > 0 && !armed) {
            armed = true;
            setTimeout(resolve, Math.random() * 80);
          }
        });
      });
      child.kill('SIGKILL');
      await exited;
      // Acks still in the pipe were written before the kill.
      for (const line of buffered.split('\n')) if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));

      const store = TokenStore.open({ dataDir });
      expect(store.recovered, `round ${round}`).toBeNull();
      const stored = Object.fromEntries(
        Object.entries(store.document.tokens).map(([id, sealed]) => [id, (JSON.parse(keyring.open(sealed)) as { n: number }).n]),
      );
      const last = Math.max(...Object.values(stored));
      expect(last, `round ${round}`).toBeGreaterThanOrEqual(Math.max(...acks));
      for (const n of acks) {
        // Every acknowledged write is there, or a later write to the same client replaced it.
        expect(stored[`c${n % 3}`]!, `ack ${n} in round ${round}`).toBeGreaterThanOrEqual(n);
      }
      acknowledged += acks.length;
      next = last + 1;
    }
    expect(acknowledged).toBeGreaterThan(kills);
    expect(fs.readdirSync(dataDir).filter((name) => name.includes('corrupt'))).toEqual([]);
  }, 180_000);
});
