/**
 * The renderer's only door to main: one narrow function per IPC channel (see ipc/contract.ts),
 * never a generic invoke. main validates every payload again; nothing here is trusted.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, Events, TokenDeskApi } from './ipc/contract';

const events: readonly EventName[] = ['clients:changed', 'auth:awaitingPaste', 'notices:changed'];

const api = {
  appInfo: () => ipcRenderer.invoke('app:info'),
  providersList: () => ipcRenderer.invoke('providers:list'),
  settingsGet: () => ipcRenderer.invoke('settings:get'),
  settingsSet: (input: unknown) => ipcRenderer.invoke('settings:set', input),
  clientsList: () => ipcRenderer.invoke('clients:list'),
  clientsCreate: (input: unknown) => ipcRenderer.invoke('clients:create', input),
  clientsUpdate: (input: unknown) => ipcRenderer.invoke('clients:update', input),
  clientsDuplicate: (input: unknown) => ipcRenderer.invoke('clients:duplicate', input),
  clientsRemove: (input: unknown) => ipcRenderer.invoke('clients:remove', input),
  clientsExport: (input: unknown) => ipcRenderer.invoke('clients:export', input),
  clientsImport: (input: unknown) => ipcRenderer.invoke('clients:import', input),
  clientsDiscover: (input: unknown) => ipcRenderer.invoke('clients:discover', input),
  clientsRefreshDiscovery: (input: unknown) => ipcRenderer.invoke('clients:refreshDiscovery', input),
  tokenIssue: (input: unknown) => ipcRenderer.invoke('token:issue', input),
  tokenRefresh: (input: unknown) => ipcRenderer.invoke('token:refresh', input),
  tokenRevoke: (input: unknown) => ipcRenderer.invoke('token:revoke', input),
  tokenReveal: (input: unknown) => ipcRenderer.invoke('token:reveal', input),
  tokenDetail: (input: unknown) => ipcRenderer.invoke('token:detail', input),
  tokenCopy: (input: unknown) => ipcRenderer.invoke('token:copy', input),
  authSignIn: (input: unknown) => ipcRenderer.invoke('auth:signIn', input),
  authComplete: (input: unknown) => ipcRenderer.invoke('auth:complete', input),
  authCancel: (input: unknown) => ipcRenderer.invoke('auth:cancel', input),
  authSignOut: (input: unknown) => ipcRenderer.invoke('auth:signOut', input),
  authUserInfo: (input: unknown) => ipcRenderer.invoke('auth:userInfo', input),
  authReconsent: (input: unknown) => ipcRenderer.invoke('auth:reconsent', input),
  exchangesList: (input: unknown) => ipcRenderer.invoke('exchanges:list', input),
  noticesList: () => ipcRenderer.invoke('notices:list'),
  noticesDismiss: (input: unknown) => ipcRenderer.invoke('notices:dismiss', input),
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!events.includes(event)) throw new Error(`Unknown event: ${String(event)}`);
    const wrapped = (_event: IpcRendererEvent, payload: Events[E]) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
} satisfies Record<keyof TokenDeskApi, unknown>;

contextBridge.exposeInMainWorld('tokendesk', api);
