/**
 * A mocked `electron` module for testing the shell under plain Node: records what the shell asks
 * of Electron (window options, handlers, event listeners) and lets a test fire events.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  loadedUrls: string[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send = vi.fn();
  /** Fire an event with a preventable first argument; returns whether it was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  options: Record<string, unknown>;
  destroyed = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }
  loadURL = vi.fn(async (url: string) => {
    this.webContents.loadedUrls.push(url);
  });
  show = vi.fn();
  hide = vi.fn();
  focus = vi.fn();
  close = vi.fn(() => {
    this.destroyed = true;
    this.emit('closed');
  });
  isDestroyed = () => this.destroyed;
}

export const fakeSession = {
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
};

export const fakeApp = Object.assign(new EventEmitter(), { isPackaged: true });

export function electronMock() {
  return {
    app: fakeApp,
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession: fakeSession },
  };
}
