/**
 * The main window and the app-wide web security baseline: every BrowserWindow is sandboxed and
 * context-isolated, with no Node and no webviews; window.open is denied, the main window never
 * navigates, and permission requests are refused.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, type WebPreferences } from 'electron';

export const secureWebPreferences = (extra: WebPreferences = {}): WebPreferences => ({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
  ...extra,
});

/** The address the renderer is loaded from: the dev server, or the built index.html. */
export function rendererUrl(): string {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && dev ? dev : pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

/** Applies to every webContents the app ever creates, OAuth windows included. */
export function applySecurityBaseline(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'TokenDesk',
    webPreferences: secureWebPreferences({ preload: join(import.meta.dirname, '../preload/preload.cjs') }),
  });
  const appUrl = rendererUrl();
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The main window shows TokenDesk and nothing else: no navigation, not even a reload to elsewhere.
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  window.loadURL(appUrl).catch((error: unknown) => console.error(`TokenDesk: the window could not load ${appUrl}: ${String(error)}`));
  return window;
}
