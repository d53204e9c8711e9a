/**
 * The OAuth window (RFC 8252 §8.12 calls embedded user agents a risk: this one is a plain,
 * locked-down BrowserWindow that only shows the provider's own page). The redirect to the
 * registered redirect URI is caught and cancelled before any request leaves the machine — on
 * will-redirect, will-navigate, did-fail-load, and session.webRequest as the last guard.
 * Everything else about sign-in lives in main/oauth/signin.ts (plain Node).
 */
import { BrowserWindow, session, type BrowserWindowConstructorOptions } from 'electron';
import {
  authPartition,
  runWindowSignIn,
  type AuthWindowHandlers,
  type AuthWindowOpener,
  type SignInTarget,
  type SignInWaitOptions,
} from '../oauth/signin';

/** Chromium's net::ERR_ABORTED: a load we cancelled ourselves (or the user navigated away). */
const ERR_ABORTED = -3;

export interface AuthWindowOptions {
  parent?: BrowserWindow;
  title?: string;
}

export function authWindowPreferences(partition: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    partition,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function createAuthWindowOpener(options: AuthWindowOptions = {}): AuthWindowOpener {
  return {
    open(url: string, handlers: AuthWindowHandlers) {
      const ses = session.fromPartition(handlers.partition);
      const win = new BrowserWindow({
        width: 520,
        height: 720,
        title: options.title ?? 'Sign in — TokenDesk',
        autoHideMenuBar: true,
        ...(options.parent ? { parent: options.parent } : {}),
        webPreferences: authWindowPreferences(handlers.partition),
      });
      const contents = win.webContents;

      const guard = (event: { preventDefault(): void }, target: string): void => {
        if (handlers.onNavigate(target) === 'intercept') event.preventDefault();
      };
      contents.on('will-redirect', (event) => guard(event, event.url));
      contents.on('will-navigate', (event) => guard(event, event.url));
      contents.on('did-fail-load', (_event, errorCode, _description, validatedURL, isMainFrame) => {
        if (isMainFrame && errorCode !== ERR_ABORTED) handlers.onFailLoad(validatedURL);
      });
      // Pop-ups would escape the guards above.
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      // Last guard: a top-level request to the redirect URI that slipped past the events never leaves.
      ses.webRequest.onBeforeRequest((details, callback) => {
        if (details.resourceType === 'mainFrame' && handlers.onNavigate(details.url) === 'intercept') {
          callback({ cancel: true });
          return;
        }
        callback({});
      });
      win.on('closed', () => {
        ses.webRequest.onBeforeRequest(null);
        handlers.onClosed();
      });
      void win.loadURL(url).catch(() => {
        // did-fail-load reports the failure; a load cancelled by the guards rejects here too.
      });
      return {
        close() {
          if (!win.isDestroyed()) win.close();
        },
      };
    },
  };
}

/** Sign-out: forget the provider's login cookies and storage of this client's OAuth window. */
export async function clearPartition(clientId: string): Promise<void> {
  const ses = session.fromPartition(authPartition(clientId));
  await ses.clearStorageData();
  await ses.clearCache();
  await ses.clearAuthCache();
}

/** The window driver of the core's SignInCoordinator: resolves with the redirect address. */
export function openAuthWindow(pending: SignInTarget, opts: SignInWaitOptions & AuthWindowOptions): Promise<string> {
  const { timeoutMs, signal, ...windowOptions } = opts;
  return runWindowSignIn(pending, createAuthWindowOpener(windowOptions), { timeoutMs, ...(signal ? { signal } : {}) });
}
