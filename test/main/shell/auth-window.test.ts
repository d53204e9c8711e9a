/** The OAuth window (main/shell/auth-window.ts) with a fake 'electron', driven by runWindowSignIn. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenDeskError } from '../../../main/model/errors';
import type { PendingSignIn } from '../../../main/oauth/flows';

type Listener = (...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    emit(event: string, ...args: unknown[]): void {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }
  class FakeWebContents extends Emitter {
    setWindowOpenHandler = vi.fn();
  }
  class FakeSession {
    beforeRequest: ((details: { url: string; resourceType: string }, callback: (r: { cancel?: boolean }) => void) => void) | null = null;
    constructor(readonly partition: string) {}
    webRequest = {
      onBeforeRequest: vi.fn((listener: FakeSession['beforeRequest']) => {
        this.beforeRequest = listener;
      }),
    };
    setPermissionRequestHandler = vi.fn();
    clearStorageData = vi.fn(async () => {});
    clearCache = vi.fn(async () => {});
    clearAuthCache = vi.fn(async () => {});
  }
  const windows: FakeBrowserWindow[] = [];
  const sessions = new Map<string, FakeSession>();
  class FakeBrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    destroyed = false;
    loadURL = vi.fn(async (_url: string) => {});
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    close(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('closed');
    }
  }
  const session = {
    fromPartition: (partition: string): FakeSession => {
      if (!sessions.has(partition)) sessions.set(partition, new FakeSession(partition));
      return sessions.get(partition)!;
    },
  };
  return { windows, sessions, FakeBrowserWindow, session };
});

vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow, session: fake.session }));

const { clearPartition, createAuthWindowOpener } = await import('../../../main/shell/auth-window');
const { runWindowSignIn } = await import('../../../main/oauth/signin');

const REDIRECT = 'https://tokendesk.dev/oauth2/callback';
const pending: PendingSignIn = {
  clientId: 'client-1',
  authorizeUrl: 'https://auth.test/authorize?state=S1',
  redirectUri: REDIRECT,
  state: 'S1',
  codeVerifier: null,
  createdAt: 0,
  loopback: false,
};

function navEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

function start(timeoutMs = 5000) {
  const promise = runWindowSignIn(pending, createAuthWindowOpener(), { timeoutMs });
  const win = fake.windows.at(-1)!;
  return { promise, win, ses: fake.sessions.get('persist:oauth-client-1')! };
}

beforeEach(() => {
  fake.windows.length = 0;
  fake.sessions.clear();
});

describe('OAuth window', () => {
  it('is locked down: own partition, sandbox, context isolation, no node, no webview, no preload', () => {
    const { win, promise } = start();
    expect(win.options.webPreferences).toMatchObject({
      partition: 'persist:oauth-client-1',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(win.options.webPreferences).not.toHaveProperty('preload');
    expect(win.loadURL).toHaveBeenCalledWith(pending.authorizeUrl);
    expect(win.webContents.setWindowOpenHandler).toHaveBeenCalled();
    win.close();
    return expect(promise).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('intercepts the redirect to the redirect URI on will-redirect and never loads it', async () => {
    const { win, promise } = start();
    const other = navEvent('https://auth.test/login');
    win.webContents.emit('will-redirect', other);
    expect(other.preventDefault).not.toHaveBeenCalled();
    const event = navEvent(`${REDIRECT}?code=abc&state=S1`);
    win.webContents.emit('will-redirect', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await expect(promise).resolves.toBe(`${REDIRECT}?code=abc&state=S1`);
    expect(win.loadURL).toHaveBeenCalledTimes(1);
    expect(win.loadURL).not.toHaveBeenCalledWith(expect.stringContaining(REDIRECT));
    expect(win.destroyed).toBe(true);
  });

  it('intercepts it on will-navigate too', async () => {
    const { win, promise } = start();
    const event = navEvent(`${REDIRECT}?code=xyz&state=S1`);
    win.webContents.emit('will-navigate', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await expect(promise).resolves.toContain('code=xyz');
  });

  it('cancels a top-level request to the redirect URI in webRequest as the last guard', async () => {
    const { ses, promise } = start();
    const allowed = vi.fn();
    ses.beforeRequest!({ url: 'https://auth.test/static/app.js', resourceType: 'script' }, allowed);
    expect(allowed).toHaveBeenCalledWith({});
    const cancelled = vi.fn();
    ses.beforeRequest!({ url: `${REDIRECT}?code=late&state=S1`, resourceType: 'mainFrame' }, cancelled);
    expect(cancelled).toHaveBeenCalledWith({ cancel: true });
    await expect(promise).resolves.toContain('code=late');
    expect(ses.webRequest.onBeforeRequest).toHaveBeenLastCalledWith(null);
  });

  it('catches the redirect URI in did-fail-load and ignores aborted loads', async () => {
    const { win, promise } = start();
    win.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'https://auth.test/x', true);
    win.webContents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://ads.test/frame', false);
    win.webContents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', `${REDIRECT}?code=f&state=S1`, true);
    await expect(promise).resolves.toContain('code=f');
  });

  it('reports a sign-in page that cannot be loaded', async () => {
    const { win, promise } = start();
    win.webContents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://auth.test/authorize', true);
    await expect(promise).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('auth.test') });
  });

  it("names Google's disallowed_useragent page as the cause instead of showing it", async () => {
    const { win, promise } = start();
    // Google's page for an embedded browser: the reason sits base64-encoded in authError.
    const authError = Buffer.from('\n\x14disallowed_useragent\x12\x1aUse secure browsers policy').toString('base64url');
    const event = navEvent(`https://accounts.google.com/signin/oauth/error?authError=${authError}&client_id=x`);
    win.webContents.emit('will-redirect', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await expect(promise).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/^Google refused to sign in inside the TokenDesk window \(Error 403: disallowed_useragent\)/),
    });
    expect(win.destroyed).toBe(true);
  });

  it('lets other Google pages load', async () => {
    const { win, promise } = start();
    const login = navEvent('https://accounts.google.com/o/oauth2/v2/auth?client_id=x');
    win.webContents.emit('will-navigate', login);
    expect(login.preventDefault).not.toHaveBeenCalled();
    win.close();
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('rejects a redirect with another state', async () => {
    const { win, promise } = start();
    const event = navEvent(`${REDIRECT}?code=abc&state=FORGED`);
    win.webContents.emit('will-redirect', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await expect(promise).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(win.destroyed).toBe(true);
  });

  it('is cancelled when the user closes the window', async () => {
    const { win, promise } = start();
    win.close();
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenDeskError);
    expect(error).toMatchObject({ code: 'cancelled', message: 'Sign-in cancelled: the sign-in window was closed.' });
  });

  it('times out and closes the window', async () => {
    const { win, promise } = start(30);
    await expect(promise).rejects.toMatchObject({ code: 'timeout' });
    expect(win.destroyed).toBe(true);
  });

  it('clears the partition on sign-out', async () => {
    await clearPartition('client-1');
    const ses = fake.sessions.get('persist:oauth-client-1')!;
    expect(ses.clearStorageData).toHaveBeenCalled();
    expect(ses.clearCache).toHaveBeenCalled();
  });
});

describe('openAuthWindow', () => {
  it('drives the window for the core with a PendingSignInView (no state)', async () => {
    const { openAuthWindow } = await import('../../../main/shell/auth-window');
    const view = { clientId: 'client-2', authorizeUrl: 'https://auth.test/a', redirectUri: REDIRECT, loopback: false };
    const promise = openAuthWindow(view, { timeoutMs: 5000 });
    const win = fake.windows.at(-1)!;
    expect(win.options.webPreferences.partition).toBe('persist:oauth-client-2');
    win.webContents.emit('will-redirect', navEvent(`${REDIRECT}?code=z&state=anything`));
    await expect(promise).resolves.toBe(`${REDIRECT}?code=z&state=anything`);
  });
});
