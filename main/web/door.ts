/**
 * The browser door, composed: what main/index.ts does for the desktop window (the sandbox, the
 * core on the data directory, the sign-in drivers, the operations table served on 'web', the
 * events), with a web server in place of Electron. What only a desktop has is replaced honestly:
 * no OAuth window (sign-in goes to the browser, loopback or paste), no tray, no OS notifications
 * (the page shows the notices), and the clipboard is the page's own (token:copyText).
 */
import { TokenDesk } from '../core/desk';
import { serve } from '../core/serve';
import { SignInCoordinator } from '../core/signin';
import type { AppWarning } from '../model/types';
import { startLoopbackListener } from '../oauth/signin';
import { startSandbox } from '../sandbox';
import { sandboxClientPresets } from '../sandbox/presets';
import { startWebServer } from './server';

export interface WebDoorOptions {
  dataDir: string;
  rendererDir: string;
  version: string;
  port: number;
  idleMs: number;
  /** The last tab has been closed for idleMs. */
  onIdle(): void;
}

export interface WebDoor {
  /** The address to open, with its one-time token. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Shown in the page's banner (the renderer translates it by its code). */
export const BROWSER_DOOR_WARNING: AppWarning = {
  code: 'browser_door',
  message:
    'TokenDesk is running in a browser tab (tokendesk ui): no tray and no system notifications (notices appear on this page), and sign-in happens in this browser.',
};

export async function startWebDoor(opts: WebDoorOptions): Promise<WebDoor> {
  const sandbox = await startSandbox();
  let desk: TokenDesk;
  try {
    // background: like the app, this door keeps tokens fresh while it runs.
    desk = await TokenDesk.open({ dataDir: opts.dataDir, sandboxUrl: sandbox.url, sandboxSeeds: sandboxClientPresets(sandbox.url), background: true, version: opts.version });
  } catch (error) {
    await sandbox.close();
    throw error;
  }

  let emit: ((event: 'auth:awaitingPaste', payload: { clientId: string; authorizeUrl: string }) => void) | null = null;
  const signIn = new SignInCoordinator(desk, {
    window: null,
    listenLoopback: startLoopbackListener,
    // The page itself offers the authorize URL as a link (auth:awaitingPaste): the browser the
    // user reads this in is the one to sign in with, and it may not be on this machine.
    openExternal: async () => undefined,
    awaitingPaste: (event) => emit?.('auth:awaitingPaste', event),
  });
  const dispatch = serve('web', { desk, signIn, warnings: [BROWSER_DOOR_WARNING] });

  let server;
  try {
    server = await startWebServer({
      rendererDir: opts.rendererDir,
      port: opts.port,
      idleMs: opts.idleMs,
      onIdle: opts.onIdle,
      dispatch,
    });
  } catch (error) {
    await desk.close();
    await sandbox.close();
    throw error;
  }
  const web = server;
  emit = (event, payload) => web.emit(event, payload);
  const offChange = desk.onChange((what) => {
    if (what === 'clients') web.emit('clients:changed', desk.listClients());
    else if (what === 'notices') web.emit('notices:changed', desk.notices());
  });
  const offInterval = desk.onDeviceInterval((event) => web.emit('auth:deviceInterval', event));

  return {
    url: web.url,
    port: web.port,
    async close() {
      offChange();
      offInterval();
      await web.close();
      await desk.close();
      await sandbox.close();
    },
  };
}
