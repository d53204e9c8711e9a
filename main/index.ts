/**
 * The Electron shell: app lifecycle, the window, IPC registration, the tray, and handing the
 * platform's services to the plain-Node core (main/core/desk.ts). Kept thin on purpose: everything
 * it wires is tested under Node; this file is the part that only runs inside Electron.
 */
import { app, BrowserWindow, ipcMain, powerMonitor } from 'electron';
import ElectronStore from 'electron-store';
import { TokenDesk } from './core/desk';
import { SIGN_IN_TIMEOUT_MS, SignInCoordinator } from './core/signin';
import type { EventName, Events } from './ipc/contract';
import { registerIpc } from './ipc/handle';
import { createHandlers } from './ipc/handlers';
import { startAgentServer, defaultSocketPath } from './agent/server';
import { resolveDataDir } from './model/paths';
import { startLoopbackListener } from './oauth/signin';
import { clearPartition, openAuthWindow } from './shell/auth-window';
import { copyToClipboard, electronKeychain, openExternal, showNotification } from './shell/services';
import { createTray } from './shell/tray';
import { applySecurityBaseline, createMainWindow, rendererUrl } from './shell/window';
import { startSandbox } from './sandbox';

// Two copies must never write one store: the second one just brings the first to the front.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((error: unknown) => {
    console.error(`TokenDesk could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    app.exit(1);
  });
}

async function main(): Promise<void> {
  const background = process.argv.includes('--background');
  let window: BrowserWindow | null = null;
  let quitting = false;

  await app.whenReady();
  applySecurityBaseline();

  // The same directory the command line uses, whatever name a packaged build gives the app.
  const dataDir = resolveDataDir(null);
  const sandbox = await startSandbox();
  const desk = await TokenDesk.open({
    dataDir,
    keychain: await electronKeychain(),
    storeFactory: (options) => new ElectronStore(options),
    sandboxUrl: sandbox.url,
    background: true,
    version: app.getVersion(),
    notify: (notice) => showNotification('TokenDesk', notice.message, showWindow),
  });

  const tray = createTray({ onOpen: showWindow, onQuit: () => app.quit() });
  tray.update(desk.listClients());
  // The tray's "next expiry in …" counts down too; once a minute is enough for a tooltip.
  const trayClock = setInterval(() => tray.update(desk.listClients()), 60_000);

  const send = <E extends EventName>(event: E, payload: Events[E]) => window?.webContents.send(event, payload);
  const signIn = new SignInCoordinator(desk, {
    window: (pending) => openAuthWindow(pending, { timeoutMs: SIGN_IN_TIMEOUT_MS }),
    listenLoopback: startLoopbackListener,
    openExternal,
    awaitingPaste: (event) => send('auth:awaitingPaste', event),
  });
  registerIpc(ipcMain, createHandlers(desk, { copy: copyToClipboard }, signIn), rendererUrl());
  desk.onChange((what) => {
    if (what === 'clients') send('clients:changed', desk.listClients());
    else send('notices:changed', desk.notices());
    tray.update(desk.listClients());
  });
  desk.onSignOut((clientId) =>
    clearPartition(clientId).catch((error: unknown) => console.warn(`TokenDesk: the sign-in session could not be cleared: ${String(error)}`)),
  );

  const agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });

  // Sleep and wall-clock jumps: re-evaluate every due time at once.
  powerMonitor.on('resume', () => desk.resume());
  powerMonitor.on('unlock-screen', () => desk.resume());

  function showWindow(): void {
    if (!window || window.isDestroyed()) {
      window = createMainWindow();
      window.on('close', (event) => {
        // Closing the window keeps TokenDesk refreshing in the tray (a setting).
        if (!quitting && desk.getSettings().closeToTray) {
          event.preventDefault();
          window?.hide();
        }
      });
    }
    window.show();
    window.focus();
  }

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (!desk.getSettings().closeToTray) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    event.preventDefault();
    clearInterval(trayClock);
    void Promise.allSettled([agent.close(), desk.close(), sandbox.close()]).then(() => app.exit(0));
  });

  if (!background) showWindow();
}
