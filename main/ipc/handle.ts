/**
 * Registers every channel with ipcMain behind a sender check (electron/fiddle's IpcMainManager,
 * GitHub Desktop's isTrustedIPCSender): only the app's own top-level renderer frame may call.
 * Takes ipcMain as a parameter so it is tested under plain Node.
 */
import { IPC_CHANNELS, type IpcResult } from './contract';
import type { Dispatch } from './handlers';

export interface SenderFrame {
  url: string;
  parent: unknown;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: SenderFrame | null }, payload: unknown) => Promise<IpcResult<unknown>>): void;
  removeHandler(channel: string): void;
}

/** The app's renderer: the built index.html (file://…/out/renderer/index.html) or the dev server. */
export function isTrustedSender(frame: SenderFrame | null, appUrl: string): boolean {
  if (!frame || frame.parent) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    return url.protocol === 'file:' ? url.protocol === app.protocol && url.pathname === app.pathname : url.origin === app.origin;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch, appUrl: string): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event.senderFrame, appUrl)) {
        return { ok: false, error: { code: 'untrusted_sender', message: `Refused ${channel}: the request did not come from TokenDesk's own window.` } };
      }
      return dispatch(channel, payload);
    });
  }
  return () => IPC_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}
