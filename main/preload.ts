/**
 * The renderer's only door to main: one narrow function per IPC channel, each bound to its own
 * channel name from the fixed list (ipc/channels.ts), never a generic invoke. main validates every
 * payload again; nothing here is trusted.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiName, EVENT_NAMES, IPC_CHANNELS } from './ipc/channels';
import type { EventName, Events, TokenDeskApi } from './ipc/contract';

const api = Object.fromEntries(IPC_CHANNELS.map((channel) => [apiName(channel), (input?: unknown) => ipcRenderer.invoke(channel, input)]));

function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event: ${String(event)}`);
  const wrapped = (_event: IpcRendererEvent, payload: Events[E]) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => ipcRenderer.removeListener(event, wrapped);
}

contextBridge.exposeInMainWorld('tokendesk', Object.freeze({ ...api, on }) as unknown as TokenDeskApi);
