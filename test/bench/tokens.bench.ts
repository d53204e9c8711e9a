/**
 * Benchmark pieces for the token layer; test/bench/run.ts calls these and prints
 * the figures. Each returns plain numbers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_REFRESH_POLICY } from '../../main/model/defaults';
import type { ClientConfig, Exchange, TokenSet } from '../../main/model/types';
import { TokenManager } from '../../main/tokens/manager';
import { Vault } from '../../main/tokens/vault';
import { RefreshScheduler, realClock, type SchedulerClock } from '../../main/tokens/scheduler';
import { openKeyring } from '../../main/tokens/secrets';
import { EXCHANGE_HISTORY_LIMIT, ExchangeLog } from '../../main/tokens/exchange-log';
import { TokenStore } from '../../main/tokens/store';

const DAY = 86_400_000;

export interface SchedulerBench {
  tokens: number;
  /** Timers armed at once after scheduling every token: must be 1. */
  liveTimers: number;
  scheduleAllMs: number;
  heapUsedMB: number;
  heapDeltaMB: number;
}

export async function benchScheduler(tokens = 10_000): Promise<SchedulerBench> {
  const live = new Set<unknown>();
  const clock: SchedulerClock = {
    now: realClock.now,
    setTimeout(fn, ms) {
      const handle = realClock.setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      realClock.clearTimeout(handle);
    },
  };
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const scheduler = new RefreshScheduler({ clock, onDue: () => undefined });
  const now = Date.now();
  const started = performance.now();
  // Lifetimes from one hour to 400 days (Hejhome's 180/360-day tokens included).
  for (let i = 0; i < tokens; i++) scheduler.schedule(`client-${i}`, now + 3_600_000 + ((i * 7919) % tokens) * ((400 * DAY) / tokens));
  const scheduleAllMs = performance.now() - started;
  const heapUsed = process.memoryUsage().heapUsed;
  const result = {
    tokens,
    liveTimers: live.size,
    scheduleAllMs: round(scheduleAllMs),
    heapUsedMB: round(heapUsed / 2 ** 20),
    heapDeltaMB: round((heapUsed - heapBefore) / 2 ** 20),
  };
  scheduler.stop();
  return result;
}

export interface StoreBench {
  clients: number;
  exchangesPerClient: number;
  storeFileMB: number;
  writes: number;
  /** One saveToken: lock, reload check, seal, whole-document atomic write, directory fsync. */
  medianMs: number;
  p95Ms: number;
}

export async function benchStore(clients = 1000, writes = 40, exchangesPerClient = EXCHANGE_HISTORY_LIMIT): Promise<StoreBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-bench-'));
  try {
    const keyring = await openKeyring({ dataDir });
    const store = TokenStore.open({ dataDir });
    const token = (i: number): TokenSet => ({
      accessToken: `eyJhbGciOiJIUzI1NiJ9.${'a'.repeat(300)}.${i}`,
      tokenType: 'bearer',
      expiresAt: Date.now() + 180 * DAY,
      issuedAt: Date.now(),
      refreshToken: `rt-${'r'.repeat(40)}-${i}`,
      refreshExpiresAt: Date.now() + 360 * DAY,
      scope: 'openapi',
      cookies: null,
      raw: { access_token: 'x'.repeat(300), token_type: 'bearer', expires_in: 15551999, refresh_token: 'y'.repeat(40), scope: 'openapi' },
    });
    // A typical recorded refresh: ~1.3 kB of JSON before sealing.
    const exchange = (clientId: string, n: number): Exchange => ({
      id: `${clientId}-${n}`,
      clientId,
      startedAt: Date.now(),
      durationMs: 120,
      method: 'POST',
      url: 'https://goqual.io/oauth/token',
      requestHeaders: { authorization: `Basic ${'b'.repeat(60)}`, 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: `grant_type=refresh_token&refresh_token=${'r'.repeat(40)}`,
      status: 200,
      responseHeaders: { 'content-type': 'application/json', date: new Date().toUTCString(), 'set-cookie': ['a=b; Path=/'] },
      responseBody: JSON.stringify(token(n).raw),
      error: null,
    });
    const log = new ExchangeLog(dataDir);
    store.update((doc) => {
      for (let i = 0; i < clients; i++) {
        const id = `client-${i}`;
        doc.clients.push(benchClient(id));
        doc.tokens[id] = keyring.seal(JSON.stringify(token(i)));
        for (let n = 0; n < exchangesPerClient; n++) log.append(id, keyring.seal(JSON.stringify(exchange(id, n))));
      }
    });
    const manager = new TokenManager({ vault: new Vault({ dataDir, store, keyring }), refresher: () => Promise.reject(new Error('not used')) });
    const times: number[] = [];
    for (let w = 0; w < writes; w++) {
      const started = performance.now();
      await manager.saveToken(`client-${(w * 37) % clients}`, token(w));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      clients,
      exchangesPerClient,
      storeFileMB: round(fs.statSync(store.path).size / 2 ** 20),
      writes,
      medianMs: round(times[Math.floor(times.length / 2)]!),
      p95Ms: round(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!),
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function benchClient(id: string): ClientConfig {
  return {
    id,
    name: id,
    provider: 'hejhome',
    baseUrl: 'https://goqual.io',
    clientId: `cid-${id}`,
    redirectUri: 'http://127.0.0.1:8765/callback',
    scope: 'openapi',
    env: null,
    platform: null,
    podRefreshForm: 'body',
    generic: null,
    autoRefresh: true,
    refreshPolicy: DEFAULT_REFRESH_POLICY,
    sandbox: false,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
}

const round = (n: number): number => Math.round(n * 100) / 100;
