import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../mocks/electron')).electronMock());

const { FakeBrowserWindow, FakeWebContents, fakeApp, fakeSession } = await import('../../mocks/electron');
const { applySecurityBaseline, createMainWindow, rendererUrl } = await import('../../../main/shell/window');

describe('main window', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances.length = 0;
  });

  it('is sandboxed and context-isolated, with no Node, no webviews and the preload as its only bridge', () => {
    createMainWindow();
    const prefs = FakeBrowserWindow.instances[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String(prefs['preload'])).toMatch(/out[\\/]preload[\\/]preload\.cjs$|preload[\\/]preload\.cjs$/);
  });

  it('loads the built renderer and nothing else: navigation, redirects and window.open are refused', () => {
    const window = createMainWindow();
    const contents = (window as unknown as InstanceType<typeof FakeBrowserWindow>).webContents;
    expect(contents.loadedUrls).toEqual([rendererUrl()]);
    expect(rendererUrl()).toMatch(/^file:\/\/.*renderer\/index\.html$/);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', rendererUrl())).toBe(false);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('security baseline', () => {
  it('denies every permission request and check, and every window.open and webview of any webContents', () => {
    applySecurityBaseline();
    const requestHandler = fakeSession.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const callback = vi.fn();
    requestHandler({}, 'media', callback);
    requestHandler({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    const checkHandler = fakeSession.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean;
    expect(checkHandler()).toBe(false);

    const contents = new FakeWebContents();
    fakeApp.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.fire('will-attach-webview')).toBe(true);
  });
});
