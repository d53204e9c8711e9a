/**
 * Wall-clock and memory figures that used to be budgets inside unit tests (issue #10 item 7). The
 * unit tests keep the behaviour (the answer, the error, its message); how long it took, or how
 * much memory, on this machine is printed here, beside the budget the test once asserted.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import lockfile from 'proper-lockfile';
import { connectAgent } from '../../main/agent/client';
import { findAppLaunch } from '../../main/cli/app-launcher';
import { createHttpClient } from '../../main/oauth/http';
import { LOCK_NAME, withLock } from '../../main/tokens/lock';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface TimingBench {
  runs: number;
  /** findAppLaunch on this repository (a few stat calls), median. Old unit budget: 50 ms. */
  appLaunchDecisionMs: number;
  /** connectAgent where nothing listens resolves null, median. Old unit budget: 500 ms. */
  agentAbsentMs: number;
  /** withLock gives up after waitMs 300 while another process holds the lock. Old budget: 290–2,000 ms. */
  lockGiveUpMs: number;
  /** A body trickling one byte per 50 ms, ended by a 400 ms overall deadline. Old budget: 5,000 ms. */
  trickleDeadlineMs: number;
  /** RSS growth while a 64 MiB gzip bomb is refused at the 1 MiB limit. Old budget: 48 MB. */
  gzipBombRssMB: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function trickleDeadline(): Promise<number> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trickle`;
  try {
    const client = createHttpClient({ onExchange: () => undefined, timeoutMs: 400 });
    return await timed(() => client.send({ clientId: 'bench', method: 'POST', url }).then(
      () => Promise.reject(new Error('The trickling body was read to its end: the deadline did not fire.')),
      (error: unknown) => error,
    ));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function gzipBombRss(): Promise<number> {
  const MiB = 1024 * 1024;
  const bomb = zlib.gzipSync(Buffer.alloc(64 * MiB));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(bomb);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bomb`;
  try {
    const client = createHttpClient({ onExchange: () => undefined });
    const before = process.memoryUsage().rss;
    await client.send({ clientId: 'bench', method: 'GET', url }).then(
      () => Promise.reject(new Error('The gzip bomb was read whole.')),
      (error: unknown) => error,
    );
    return (process.memoryUsage().rss - before) / MiB;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function benchTiming(runs = 20): Promise<TimingBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-bench-timing-'));
  try {
    const display = { DISPLAY: ':0' };
    const decisions: number[] = [];
    for (let i = 0; i < runs; i++) decisions.push(await timed(() => findAppLaunch(ROOT, display)));

    const absent: number[] = [];
    for (let i = 0; i < runs; i++) {
      absent.push(await timed(async () => {
        if ((await connectAgent(path.join(dir, 'nothing.sock'))) !== null) throw new Error('Something answered on an absent socket.');
      }));
    }

    const release = await lockfile.lock(dir, { lockfilePath: path.join(dir, LOCK_NAME), realpath: false });
    let lockGiveUpMs: number;
    try {
      lockGiveUpMs = await timed(() => withLock(dir, () => 'never', { waitMs: 300 }).then(
        () => Promise.reject(new Error('withLock ran beside a held lock.')),
        (error: unknown) => error,
      ));
    } finally {
      await release();
    }

    return {
      runs,
      appLaunchDecisionMs: round(median(decisions)),
      agentAbsentMs: round(median(absent)),
      lockGiveUpMs: round(lockGiveUpMs),
      trickleDeadlineMs: round(await trickleDeadline()),
      gzipBombRssMB: round(await gzipBombRss()),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
