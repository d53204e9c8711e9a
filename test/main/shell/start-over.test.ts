/**
 * Issue #11 row 3 in the app: key.json deleted while store.json holds sealed values. The shell asks
 * before anything moves; "Start over" moves the old store aside (kept) and the app opens on an
 * empty store, saying where the old one is. (Quitting instead is the path where nothing changes:
 * the store stays byte for byte, which tokens/vault.test.ts and cli/start-over.test.ts show.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../../main/ipc/contract';
import { TokenDesk } from '../../../main/core/desk';

type Listener = (event: { senderFrame: { url: string; parent: null } }, payload: unknown) => Promise<IpcResult<unknown>>;
const { handlers, asked, exited } = vi.hoisted(() => ({
  handlers: new Map<string, Listener>(),
  asked: [] as { detail: string; buttons: string[] }[],
  exited: { code: null as number | null },
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const base = (await import('../../mocks/electron')).electronMock();
  const app = Object.assign(base.app, {
    requestSingleInstanceLock: () => true,
    whenReady: async () => undefined,
    getPath: () => process.env['TOKENDESK_HOME'],
    getVersion: () => '0.1.0',
    quit: () => undefined,
    exit: (code: number) => (exited.code = code),
  });
  class Tray extends EventEmitter {
    setToolTip = () => undefined;
    setContextMenu = () => undefined;
  }
  const image = { isEmpty: () => false, resize: () => image };
  const electron = {
    ...base,
    app,
    ipcMain: { handle: (channel: string, listener: Listener) => handlers.set(channel, listener), removeHandler: () => undefined, on: () => undefined },
    powerMonitor: new EventEmitter(),
    safeStorage: { isAsyncEncryptionAvailable: async () => false },
    dialog: {
      showMessageBox: async (options: { detail: string; buttons: string[] }) => {
        asked.push(options);
        return { response: options.buttons.indexOf('Start over') };
      },
    },
    Tray,
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createFromPath: () => image, createEmpty: () => image },
    clipboard: { writeText: async () => undefined, readText: async () => '', clear: () => undefined },
    Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
    shell: { openExternal: async () => undefined },
  };
  return { ...electron, default: electron };
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-shell-keyless-'));
process.env['TOKENDESK_HOME'] = dataDir;
const seeded = await TokenDesk.open({ dataDir });
await seeded.createClient({ name: 'daou', provider: 'daouoffice', clientId: 'id', clientSecret: 'secret' });
await seeded.close();
const before = fs.readFileSync(path.join(dataDir, 'store.json'));
fs.rmSync(path.join(dataDir, 'key.json'));

const { FakeBrowserWindow, fakeApp } = await import('../../mocks/electron');
await import('../../../main/index');

afterAll(async () => {
  fakeApp.emit('will-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(exited.code).toBe(0), { timeout: 10_000 });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the app without the key of its store', () => {
  it('asks, then starts over with the old store moved aside and says where it is', async () => {
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1), { timeout: 15_000 });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.detail).toContain('is gone, while the store still holds secrets sealed with it');
    const kept = fs.readdirSync(dataDir).filter((name) => /^store\.keyless-.*\.json$/.test(name));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, kept[0]!)).equals(before)).toBe(true);

    const frame = { url: FakeBrowserWindow.instances[0]!.webContents.loadedUrls[0]!, parent: null };
    const info = (await handlers.get('app:info')!({ senderFrame: frame }, undefined)) as IpcResult<{ warnings: { code: string; path?: string }[] }>;
    expect(info.ok && info.value.warnings).toContainEqual(expect.objectContaining({ code: 'started_over', path: path.join(dataDir, kept[0]!) }));
    const clients = (await handlers.get('clients:list')!({ senderFrame: frame }, undefined)) as IpcResult<{ config: { name: string } }[]>;
    // The fresh store gets the first-run sandbox clients; the old client is in the kept store only.
    expect(clients.ok && clients.value.map((view) => view.config.name)).not.toContain('daou');
  });
});
