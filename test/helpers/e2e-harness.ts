/**
 * The e2e harness: the built renderer in headless Chromium (e2e-browser.ts) with `window.tokendesk`
 * bridged to the REAL core (TokenDesk + the operations table, as the 'ipc' door serves it) running in the test's Node process
 * against the built-in sandbox. What Electron's preload and ipcMain do in the app, an exposed
 * binding and an init script do here.
 *
 * The shell services are fakes the tests can read: the clipboard records what main wrote, the
 * "system browser" records what it was asked to open, and an OAuth window is a second page whose
 * navigation to the redirect URI is intercepted and handed back to the core.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { TokenDesk } from '../../main/core/desk';
import type { DeskOptions } from '../../main/core/desk-api';
import type { PendingSignInView } from '../../main/core/desk-api';
import { TokenDeskError } from '../../main/model/errors';
import { SignInCoordinator } from '../../main/core/signin';
import { startLoopbackListener } from '../../main/oauth/signin';
import type { EventName, Events, IpcResult } from '../../main/ipc/contract';
import { createHandlers } from '../../main/ipc/handlers';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../main/sandbox';
import { sandboxClientPresets } from '../../main/sandbox/presets';
import { launchRenderer, type BrowserHarness, type LaunchOptions } from './e2e-browser';

export * from './e2e-browser';

/** An OAuth window: the test fills the provider's page; the harness catches the redirect. */
export type AuthWindowDriver = (page: Page, pending: PendingSignInView) => Promise<void>;

export interface HarnessOptions extends LaunchOptions {
  sandbox?: SandboxOptions;
  desk?: Partial<Omit<DeskOptions, 'dataDir'>>;
  /** Drives the provider's login page in the OAuth window (default: none, the page must redirect by itself). */
  authWindow?: AuthWindowDriver;
}

export interface Harness extends BrowserHarness {
  desk: TokenDesk;
  sandbox: Sandbox;
  dataDir: string;
  /** Every text main put on the (fake) clipboard, oldest first. */
  clipboard: string[];
  /** Addresses main asked the system browser to open. */
  opened: string[];
  /** Every OAuth window (a page) the core opened, oldest first; closed ones included. */
  authPages: Page[];
  /** Calls the real dispatch directly (as the renderer would). */
  call(channel: string, input?: unknown): Promise<IpcResult<unknown>>;
}

/** The real thing: sandbox + TokenDesk core + IPC handlers + Chromium on the built renderer. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox(options.sandbox);
  const dataDir = await mkdtemp(join(tmpdir(), 'tokendesk-e2e-'));
  // background: the desktop app keeps tokens fresh (scheduled refreshes, "next refresh" on screen).
  const desk = await TokenDesk.open({ dataDir, sandboxUrl: sandbox.url, sandboxSeeds: sandboxClientPresets(sandbox.url), version: 'e2e', background: true, ...options.desk });
  const clipboard: string[] = [];
  const opened: string[] = [];
  const authPages: Page[] = [];
  let browser: BrowserHarness | null = null;
  const emit = <E extends EventName>(event: E, payload: Events[E]) => browser?.emit(event, payload) ?? Promise.resolve();

  const runAuthWindow = async (pending: PendingSignInView, { signal }: { signal: AbortSignal }): Promise<string> => {
    if (!browser) throw new Error('no browser');
    const page = await browser.context.newPage();
    authPages.push(page);
    const redirect = new URL(pending.redirectUri);
    // As the Electron window does: the coordinator's abort (Cancel, Open again) closes the window.
    const closed = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new TokenDeskError('cancelled', 'Sign-in cancelled.')), { once: true }),
    );
    closed.catch(() => undefined);
    try {
      const isRedirect = (url: URL): boolean => url.origin === redirect.origin && url.pathname === redirect.pathname;
      const caught = new Promise<string>((resolve) => {
        // The redirect never loads: the address is what the sign-in needs (as the Electron OAuth window does).
        void page.route(isRedirect, (route) => {
          resolve(route.request().url());
          void route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Signed in. You can close this window.</p>' });
        });
        // Playwright may call a route only for the first address of a redirect chain (the npm Chromium
        // does so): the request itself is still seen, whether or not anything answers it.
        page.on('request', (request) => {
          if (isRedirect(new URL(request.url()))) resolve(request.url());
        });
      });
      await page.goto(pending.authorizeUrl);
      if (options.authWindow) await Promise.race([options.authWindow(page, pending), closed]);
      return await Promise.race([caught, closed]);
    } finally {
      await page.close().catch(() => undefined);
    }
  };

  const signIn = new SignInCoordinator(desk, {
    window: runAuthWindow,
    listenLoopback: startLoopbackListener,
    openExternal: async (url) => {
      opened.push(url);
    },
    awaitingPaste: (event) => void emit('auth:awaitingPaste', event),
  });
  const dispatch = createHandlers(desk, { copy: (text) => clipboard.push(text) }, signIn);
  const call = (channel: string, input?: unknown) => dispatch(channel, input);
  const offChange = desk.onChange((what) => {
    if (what === 'clients') void emit('clients:changed', desk.listClients());
    else if (what === 'notices') void emit('notices:changed', desk.notices());
  });
  desk.onDeviceInterval((event) => void emit('auth:deviceInterval', event));

  try {
    browser = await launchRenderer(call, options);
  } catch (error) {
    offChange();
    await desk.close();
    await sandbox.close();
    throw error;
  }
  const launched = browser;
  return {
    ...launched,
    desk,
    sandbox,
    dataDir,
    clipboard,
    opened,
    authPages,
    call,
    async close() {
      offChange();
      await launched.close();
      await desk.close();
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

