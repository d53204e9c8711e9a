/**
 * The Electron shell: app lifecycle, the window, IPC registration, the tray, and handing the
 * platform's services to the plain-Node core (main/core/desk.ts). Kept thin on purpose: everything
 * it wires is tested under Node; this file is the part that only runs inside Electron.
 */
import { app, BrowserWindow, ipcMain, powerMonitor } from 'electron';
import ElectronStore from 'electron-store';
import { TokenDesk } from './core/desk';
import type { DeskOptions } from './core/desk-api';
import { SIGN_IN_TIMEOUT_MS, SignInCoordinator } from './core/signin';
import type { EventName, Events } from './ipc/contract';
import { registerIpc } from './ipc/handle';
import { createHandlers } from './ipc/handlers';
import { startAgentServer, defaultSocketPath } from './agent/server';
import { TokenDeskError } from './model/errors';
import { resolveDataDir } from './model/paths';
import { startLoopbackListener } from './oauth/signin';
import { clearPartition, openAuthWindow } from './shell/auth-window';
import { askStartOver, copyToClipboard, electronKeychain, openExternal, showNotification } from './shell/services';
import { BACKGROUND_FLAG, createLoginItem, followLaunchAtLogin } from './shell/login-item';
import { createTray } from './shell/tray';
import { applySecurityBaseline, createMainWindow, rendererUrl } from './shell/window';
import { startSandbox } from './sandbox';
import { sandboxClientPresets } from './sandbox/presets';

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
  let window: BrowserWindow | null = null;
  let quitting = false;

  await app.whenReady();
  applySecurityBaseline();
  // Started at login (the --background flag on Linux and Windows, the login item on macOS): tray only.
  const loginItem = createLoginItem();
  const background = process.argv.includes(BACKGROUND_FLAG) || loginItem.openedAtLogin();

  // The same directory the command line uses, whatever name a packaged build gives the app.
  const dataDir = resolveDataDir(null);
  const sandbox = await startSandbox();
  const options: DeskOptions = {
    dataDir,
    keychain: await electronKeychain(),
    storeFactory: (storeOptions) => new ElectronStore(storeOptions),
    sandboxUrl: sandbox.url,
    sandboxSeeds: sandboxClientPresets(sandbox.url),
    background: true,
    version: app.getVersion(),
    notify: (notice) => showNotification('TokenDesk', notice.message, showWindow),
  };
  const desk = await TokenDesk.open(options).catch(async (error: unknown) => {
    // The key is gone while the store holds secrets sealed with it: nothing moves unless the user says so.
    if (!(error instanceof TokenDeskError && error.text?.code === 'key_missing')) throw error;
    if (!(await askStartOver(error.message))) throw error;
    return TokenDesk.open({ ...options, startOver: true });
  });

  const launchAtLogin = () => desk.getSettings().launchAtLogin;
  const syncLoginItem = followLaunchAtLogin(loginItem, launchAtLogin);
  void syncLoginItem();
  const tray = createTray({
    onOpen: showWindow,
    onQuit: () => app.quit(),
    onLaunchAtLogin: (enabled) => {
      desk.setSettings({ launchAtLogin: enabled }).catch((error: unknown) => console.warn(`TokenDesk: the setting could not be saved: ${String(error)}`));
    },
  });
  const updateTray = () => tray.update(desk.listClients(), launchAtLogin());
  updateTray();
  // The tray's "next expiry in …" counts down too; once a minute is enough for a tooltip.
  const trayClock = setInterval(updateTray, 60_000);

  const send = <E extends EventName>(event: E, payload: Events[E]) => window?.webContents.send(event, payload);
  const signIn = new SignInCoordinator(desk, {
    window: (pending, { signal }) => openAuthWindow(pending, { timeoutMs: SIGN_IN_TIMEOUT_MS, signal }),
    listenLoopback: startLoopbackListener,
    openExternal,
    awaitingPaste: (event) => send('auth:awaitingPaste', event),
  });
  registerIpc(ipcMain, createHandlers(desk, { copy: copyToClipboard }, signIn), rendererUrl());
  // The views are built once per change (core/events.ts) and shared by the window and the tray.
  desk.onChange((what) => {
    const views = desk.listClients();
    if (what === 'clients') send('clients:changed', views);
    else if (what === 'notices') send('notices:changed', desk.notices());
    // Launch at login follows the setting, from the Settings view or the tray's checkbox.
    else void syncLoginItem();
    tray.update(views, launchAtLogin());
  });
  desk.onDeviceInterval((event) => send('auth:deviceInterval', event));
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
