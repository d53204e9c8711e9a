/**
 * The shell's lifecycle under a mocked electron: what main/index.ts wires when the app starts, with
 * the real core, sandbox and agent behind it.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../../main/ipc/contract';
import { IPC_CHANNELS } from '../../../main/ipc/contract';
import { defaultSocketPath } from '../../../main/agent/server';

type Listener = (event: { senderFrame: { url: string; parent: null } }, payload: unknown) => Promise<IpcResult<unknown>>;
type MenuItem = { label?: string; type?: string; checked?: boolean; click?: () => void };
const { handlers, exited, lockRequests, trays } = vi.hoisted(() => ({
  // Plain records, not vi.fn(): what the tray got at start-up must survive the per-test mock clearing.
  trays: [] as { menu: unknown }[],
  handlers: new Map<string, Listener>(),
  exited: vi.fn(),
  // A counter, not a vi.fn(): calls made at import time must survive the per-test mock clearing.
  lockRequests: { count: 0 },
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const base = (await import('../../mocks/electron')).electronMock();
  const app = Object.assign(base.app, {
    requestSingleInstanceLock: () => ++lockRequests.count > 0,
    whenReady: vi.fn(async () => undefined),
    getPath: vi.fn(() => process.env['TOKENDESK_HOME']),
    getVersion: () => '0.1.0',
    quit: vi.fn(),
    exit: exited,
  });
  class Tray extends EventEmitter {
    setToolTip = vi.fn();
    menu: unknown = null;
    setContextMenu = (menu: unknown) => {
      this.menu = menu;
    };
    constructor() {
      super();
      trays.push(this);
    }
  }
  const image = { isEmpty: () => false, resize: () => image };
  const electron = {
    ...base,
    app,
    ipcMain: { handle: (channel: string, listener: Listener) => handlers.set(channel, listener), removeHandler: vi.fn(), on: vi.fn() },
    powerMonitor: new EventEmitter(),
    safeStorage: { isAsyncEncryptionAvailable: async () => false },
    Tray,
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createFromPath: () => image, createEmpty: () => image },
    clipboard: { writeText: vi.fn(async () => undefined), readText: vi.fn(async () => ''), clear: vi.fn() },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    shell: { openExternal: vi.fn() },
  };
  // electron-store uses the default export.
  return { ...electron, default: electron };
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-shell-'));
process.env['TOKENDESK_HOME'] = dataDir;
// Launch at login on Linux writes an XDG autostart entry: here, inside the test's folder.
process.env['XDG_CONFIG_HOME'] = path.join(dataDir, 'config');
const autostart = path.join(dataDir, 'config', 'autostart', 'tokendesk.desktop');
const { FakeBrowserWindow, fakeApp } = await import('../../mocks/electron');
await import('../../../main/index');

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the Electron shell', () => {
  it('takes the single-instance lock, opens one secure window and registers every IPC channel', async () => {
    await vi.waitFor(() => expect(handlers.size).toBe(IPC_CHANNELS.length), { timeout: 10_000 });
    expect(lockRequests.count).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('serves the renderer the first-run sandbox clients, with the key-file warning', async () => {
    const window = FakeBrowserWindow.instances[0]!;
    const frame = { url: window.webContents.loadedUrls[0]!, parent: null };
    const clients = await handlers.get('clients:list')!({ senderFrame: frame }, undefined);
    expect(clients.ok && (clients.value as unknown[]).length).toBeGreaterThanOrEqual(5);
    const info = await handlers.get('app:info')!({ senderFrame: frame }, undefined);
    expect(info).toMatchObject({ ok: true, value: { keyProtection: 'file', sandboxUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
  });

  it('answers the command line on its agent socket', async () => {
    const socket = net.connect(defaultSocketPath(dataDir));
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
  });

  it('launch at login: off by default; the tray checkbox and the setting write and remove the autostart entry', async () => {
    const menu = () => trays[0]!.menu as MenuItem[];
    const item = () => menu().find((entry) => entry.label === 'Starts at login')!;
    expect(item()).toMatchObject({ type: 'checkbox', checked: false });
    expect(fs.existsSync(autostart)).toBe(false);

    item().click!();
    await vi.waitFor(() => expect(fs.existsSync(autostart)).toBe(true));
    expect(fs.readFileSync(autostart, 'utf8')).toMatch(/^Exec=\S+ --background$/m);
    await vi.waitFor(() => expect(item().checked).toBe(true));

    // The renderer's Settings toggle goes through settings:set, and the entry follows it.
    const window = FakeBrowserWindow.instances[0]!;
    const frame = { url: window.webContents.loadedUrls[0]!, parent: null };
    await handlers.get('settings:set')!({ senderFrame: frame }, { launchAtLogin: false });
    await vi.waitFor(() => expect(fs.existsSync(autostart)).toBe(false));
    expect(item().checked).toBe(false);
  });

  it('hides the window on close (tray) and shuts the core, agent and sandbox down on quit', async () => {
    const window = FakeBrowserWindow.instances[0]!;
    let prevented = false;
    window.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(window.hide).toHaveBeenCalled();
    fakeApp.emit('before-quit');
    fakeApp.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(exited).toHaveBeenCalledWith(0), { timeout: 10_000 });
    expect(fs.existsSync(defaultSocketPath(dataDir))).toBe(false);
  });
});
