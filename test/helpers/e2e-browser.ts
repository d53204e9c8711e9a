/**
 * The browser half of the e2e harness: the BUILT renderer (out/renderer) in headless Chromium,
 * served over 127.0.0.1 with the app's CSP, `window.tokendesk` bridged to any dispatch function.
 * No core import here: the renderer bench runs this with a stand-in dispatch on plain Node.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { apiName, IPC_CHANNELS, type EventName, type Events, type IpcResult } from '../../main/ipc/contract';
import { ensureRendererBuilt, ROOT } from './e2e-build';
import { findBrowser, removeChromiumScratch } from './find-browser';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The renderer's CSP (renderer/index.html's meta), sent as a header as well. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SCREENSHOT_DIR = join(ROOT, 'test-results/screenshots');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A tiny static server for out/renderer: same-origin 'self' for scripts and styles, and the CSP header. */
export async function serveRenderer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = normalize(join(dir, path === '/' ? 'index.html' : path));
      if (!file.startsWith(dir + sep) && file !== join(dir, 'index.html')) {
        res.writeHead(403).end();
        return;
      }
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
        res.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        res.end(await readFile(file));
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Any `dispatch(channel, input)` the page can call: the real core, or a bench's stand-in. */
export type Dispatch = (channel: string, input: unknown) => Promise<IpcResult<unknown>>;

export interface LaunchOptions {
  /** 'en-US' (default) or 'ko-KR': navigator.language and Intl follow it. */
  locale?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

export interface BrowserHarness {
  page: Page;
  context: BrowserContext;
  appUrl: string;
  /** Pushes a main → renderer event into the page. */
  emit<E extends EventName>(event: E, payload: Events[E]): Promise<void>;
  /** CSP violations and console errors seen by the page. */
  problems(): Promise<{ csp: string[]; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Launches Chromium on the built renderer with `window.tokendesk` wired to `dispatch`. Used by
 * startHarness (the real core) and by the renderer bench (a stand-in with 1,000 clients).
 */
export async function launchRenderer(dispatchCall: Dispatch, options: LaunchOptions = {}): Promise<BrowserHarness> {
  // First: with no browser to be found, the test fails with what to install, before anything is started.
  const browser = findBrowser();
  const dir = await ensureRendererBuilt();
  const server = await serveRenderer(dir);
  const userDataDir = await mkdtemp(join(tmpdir(), 'tokendesk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: CHROMIUM_ARGS,
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1360, height: 900 },
    timezoneId: 'Asia/Seoul',
  });
  await context.exposeBinding('__tokendesk', (_source, channel: string, input: unknown) => dispatchCall(channel, input));
  await context.addInitScript(
    ({ names }) => {
      type Listener = (payload: unknown) => void;
      const listeners = new Map<string, Set<Listener>>();
      // This function runs in the page; the Node tsconfig has no DOM types, hence the casts.
      const win = globalThis as unknown as {
        __tokendesk: (channel: string, input: unknown) => Promise<unknown>;
        document: { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void };
      };
      const binding = win.__tokendesk;
      const api: Record<string, unknown> = {
        on(event: string, listener: Listener) {
          let set = listeners.get(event);
          if (!set) listeners.set(event, (set = new Set()));
          set.add(listener);
          return () => set.delete(listener);
        },
      };
      for (const [channel, name] of names) api[name] = (input?: unknown) => binding(channel, input);
      // The bench times the first render from the moment the client list reaches the page.
      const list = api['clientsList'] as () => Promise<unknown>;
      api['clientsList'] = () =>
        list().then((result) => {
          performance.mark('tokendesk:clients-arrived');
          return result;
        });
      Object.defineProperty(win, 'tokendesk', { value: Object.freeze(api) });
      Object.defineProperty(win, '__tokendeskEmit', {
        value: (event: string, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload)),
      });
      const problems = { csp: [] as string[], errors: [] as string[] };
      Object.defineProperty(win, '__problems', { value: problems });
      win.document.addEventListener('securitypolicyviolation', (event) => problems.csp.push(`${event.violatedDirective}: ${event.blockedURI}`));
    },
    { names: IPC_CHANNELS.map((channel) => [channel, apiName(channel)] as const) },
  );
  const errors: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);

  return {
    page,
    context,
    appUrl: server.url,
    async emit(event, payload) {
      for (const open of context.pages()) {
        if (open.isClosed() || !open.url().startsWith(server.url)) continue;
        await open
          .evaluate(([name, value]) => (globalThis as unknown as { __tokendeskEmit(e: string, p: unknown): void }).__tokendeskEmit(name, value), [event, payload] as const)
          .catch(() => undefined);
      }
    },
    async problems() {
      const seen = await page.evaluate(() => (globalThis as unknown as { __problems: { csp: string[]; errors: string[] } }).__problems);
      return { csp: seen.csp, errors: [...seen.errors, ...errors] };
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      await rm(userDataDir, { recursive: true, force: true });
      removeChromiumScratch();
    },
  };
}

/** axe-core in the page; returns the serious and critical violations (id: help, targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  // page.addScriptTag would inject an inline <script>, which the CSP (rightly) blocks: evaluate instead.
  const source = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const inPage = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await inPage.axe.run(inPage.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
