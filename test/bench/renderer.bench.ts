/**
 * Renderer bench: N clients (1,000 by default) in the client list of the built renderer in headless Chromium.
 * - first render: from the moment the client list reaches the page to the list holding all the
 *   clients (the rows in view rendered; the list is virtual) (budget 150 ms), and to the next
 *   frame (style and layout included, reported, not budgeted);
 * - one countdown tick: scripting time of one tick of the shared clock, read from Chromium's
 *   Performance domain (ScriptDuration) between two ticks (budget 8 ms). run.ts measures it at 20
 *   and at 1,000 clients: the tick must not cost more for clients out of view (ratio < 1.5).
 * Every row's countdown changes on every tick (tokens under an hour): the worst case.
 */
import type { ClientView } from '../../main/model/types';
import type { IpcResult } from '../../main/ipc/contract';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RENDERER_OUT } from '../helpers/e2e-build';
import { launchRenderer } from '../helpers/e2e-browser';

/** The renderer's JavaScript as shipped, gzipped (level 9), in KB. */
export async function rendererJsGzipKB(dir = RENDERER_OUT): Promise<number> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js'));
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(dir, file)), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

export interface RendererBenchResult {
  clients: number;
  firstRenderMs: number;
  firstFrameMs: number;
  /**
   * Main-thread scripting from the release of the client list to the next frame, in Chromium's
   * thread time: what the first render costs the renderer, whatever else the machine is doing.
   */
  firstRenderScriptMs: number;
  /** Rows in the DOM (the virtual list renders those in view). */
  renderedRows: number;
  /** Scripting time of one tick, the median of the samples. */
  tickMs: number;
  tickScriptMs: { median: number; max: number; samples: number[] };
  /** Every .js file of out/renderer, gzipped (budget 150 KB). */
  jsGzipKB: number;
  tickLayoutMs: number;
  budgets: { firstRenderMs: number; tickMs: number; jsGzipKB: number };
  withinBudget: boolean;
}

const PROVIDERS = ['daouoffice', 'hejhome', 'podshop', 'itcode', 'oauth2'] as const;
const STATES = ['valid', 'valid', 'valid', 'expiring', 'refreshing', 'expired', 'needs_signin', 'error'] as const;

export function fakeClients(count: number, now = Date.now()): ClientView[] {
  return Array.from({ length: count }, (_, i) => {
    const provider = PROVIDERS[i % PROVIDERS.length]!;
    const state = STATES[i % STATES.length]!;
    const hasRefresh = i % 2 === 0;
    const expiresAt = now + 10 * 60_000 + ((i * 7919) % 50) * 60_000;
    return {
      config: {
        id: `client-${i}`,
        name: `Client ${String(i).padStart(4, '0')} ${provider}`,
        provider,
        baseUrl: `https://api${i}.example.com`,
        clientId: `id-${i}`,
        redirectUri: null,
        scope: null,
        env: provider === 'podshop' ? (i % 2 ? 'dev' : 'prod') : null,
        platform: provider === 'itcode' ? 'naver' : null,
        podRefreshForm: 'body',
        generic: null,
        autoRefresh: true,
        refreshPolicy: { leadFraction: 0.1, maxLeadSeconds: 300 },
        sandbox: i % 10 === 0,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      },
      hasSecret: true,
      state,
      token:
        state === 'needs_signin'
          ? null
          : {
              accessTokenMasked: 'eyJh…abcd',
              tokenType: 'bearer',
              expiresAt,
              issuedAt: now - 5 * 60_000,
              hasRefreshToken: hasRefresh,
              refreshTokenMasked: hasRefresh ? 'rt…wxyz' : null,
              refreshExpiresAt: hasRefresh ? expiresAt + 30 * 60_000 : null,
              scope: 'openapi',
              isJwt: true,
            },
      nextRefreshAt: expiresAt - 5 * 60_000,
      expiringAt: expiresAt - 5 * 60_000,
      lastError: state === 'error' ? { code: 'provider_rejected', message: 'The provider rejected the request.', providerMessage: '연동ID(clientId)를 확인하세요', status: 401 } : null,
      capabilities: {
        issue: provider === 'daouoffice' || provider === 'podshop',
        signIn: provider === 'hejhome' || provider === 'itcode' || provider === 'oauth2',
        refresh: true,
        revoke: provider === 'itcode',
        signOut: provider === 'itcode',
        userInfo: provider === 'itcode',
        reconsent: false,
        basicHeader: provider === 'podshop',
        device: false,
        introspect: false,
      },
      damage: null,
    };
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const round = (value: number) => Math.round(value * 100) / 100;

export async function benchRenderer(options: { clients?: number; ticks?: number } = {}): Promise<RendererBenchResult> {
  const count = options.clients ?? 1000;
  const clients = fakeClients(count);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));

  const dispatch = async (channel: string): Promise<IpcResult<unknown>> => {
    switch (channel) {
      case 'app:info':
        return { ok: true, value: { version: 'bench', keyProtection: 'keychain', warnings: [], sandboxUrl: null, platform: 'linux' } };
      case 'providers:list':
      case 'notices:list':
      case 'exchanges:list':
        return { ok: true, value: [] };
      case 'settings:get':
        return {
          ok: true,
          value: {
            language: 'en',
            theme: 'system',
            closeToTray: true,
            clipboardClearSeconds: 30,
            notifications: { needsSignIn: true, refreshFailing: true, refreshTokenExpiring: true, refreshTokenWarnDays: 7 },
          },
        };
      case 'clients:list':
        await gate;
        return { ok: true, value: clients };
      default:
        return { ok: false, error: { code: 'unsupported', message: `bench: ${channel}` } };
    }
  };

  const browser = await launchRenderer(dispatch, { viewport: { width: 1360, height: 900 } });
  try {
    const { page, context } = browser;
    await page.locator('[aria-busy="true"]').first().waitFor();
    await page.evaluate((expected) => {
      const win = globalThis as unknown as {
        __bench: { rendered?: number; frame?: number };
        document: { querySelector(selector: string): unknown; body: unknown };
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
        requestAnimationFrame(callback: () => void): void;
      };
      win.__bench = {};
      const observer = new win.MutationObserver(() => {
        // The list announces all clients (data-list-size); the rows in view are in the DOM.
        if (win.__bench.rendered === undefined && win.document.querySelector(`[data-list-size="${expected}"] [data-client-id]`)) {
          win.__bench.rendered = performance.now();
          observer.disconnect();
          win.requestAnimationFrame(() => setTimeout(() => (win.__bench.frame = performance.now()), 0));
        }
      });
      observer.observe(win.document.body, { childList: true, subtree: true });
    }, count);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => {
      const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const get = (name: string) => list.find((m) => m.name === name)?.value ?? 0;
      return { script: get('ScriptDuration'), layout: get('LayoutDuration') + get('RecalcStyleDuration') };
    };
    const beforeRender = await metrics();
    release();
    await page.waitForFunction(() => (globalThis as unknown as { __bench: { frame?: number } }).__bench.frame !== undefined, undefined, { timeout: 30_000 });
    const afterRender = await metrics();
    const first = await page.evaluate(() => {
      const arrived = performance.getEntriesByName('tokendesk:clients-arrived')[0]?.startTime ?? NaN;
      const bench = (globalThis as unknown as { __bench: { rendered: number; frame: number } }).__bench;
      return { firstRenderMs: bench.rendered - arrived, firstFrameMs: bench.frame - arrived };
    });
    const renderedRows = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document;
      return doc.querySelectorAll('[data-client-id]').length;
    });

    // Ticks land on the second (+5 ms): sample half-way between two of them.
    const toMidSecond = () => new Promise((resolve) => setTimeout(resolve, 1500 - (Date.now() % 1000)));
    await toMidSecond();
    const samples: number[] = [];
    const layouts: number[] = [];
    for (let i = 0; i < (options.ticks ?? 7); i++) {
      const before = await metrics();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const after = await metrics();
      samples.push(round((after.script - before.script) * 1000));
      layouts.push((after.layout - before.layout) * 1000);
    }
    const tickScriptMs = { median: round(median(samples)), max: round(Math.max(...samples)), samples };
    const result: RendererBenchResult = {
      clients: count,
      firstRenderMs: round(first.firstRenderMs),
      firstFrameMs: round(first.firstFrameMs),
      firstRenderScriptMs: round((afterRender.script - beforeRender.script) * 1000),
      renderedRows,
      tickMs: tickScriptMs.median,
      tickScriptMs,
      jsGzipKB: await rendererJsGzipKB(),
      tickLayoutMs: round(median(layouts)),
      budgets: { firstRenderMs: 150, tickMs: 8, jsGzipKB: 150 },
      withinBudget: false,
    };
    result.withinBudget = result.firstRenderMs <= 150 && result.tickMs <= 8 && result.jsGzipKB <= 150;
    return result;
  } finally {
    await browser.close();
  }
}
