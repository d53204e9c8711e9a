/**
 * The names of the IPC channels and events, without zod or the core: the preload builds its one
 * function per channel from this list. contract.ts checks, as a type, that it is exactly the
 * operations the 'ipc' door serves (main/model/operations.ts).
 */
export const IPC_CHANNELS = [
  'app:info',
  'providers:list',
  'settings:get',
  'settings:set',
  'clients:list',
  'clients:get',
  'clients:create',
  'clients:update',
  'clients:duplicate',
  'clients:remove',
  'clients:export',
  'clients:import',
  'clients:discover',
  'clients:refreshDiscovery',
  'import:preview',
  'import:apply',
  'sinks:add',
  'sinks:remove',
  'token:issue',
  'token:refresh',
  'token:revoke',
  'token:valid',
  'token:reveal',
  'token:detail',
  'token:headers',
  'token:introspect',
  'token:copy',
  'auth:signIn',
  'auth:complete',
  'auth:cancel',
  'auth:reconsent',
  'auth:copyLink',
  'auth:reopen',
  'auth:deviceBegin',
  'auth:deviceComplete',
  'auth:deviceCancel',
  'auth:signOut',
  'auth:userInfo',
  'exchanges:list',
  'notices:list',
  'notices:dismiss',
] as const;

/** main → renderer events. */
export const EVENT_NAMES = ['clients:changed', 'auth:awaitingPaste', 'auth:deviceInterval', 'notices:changed'] as const;

/** 'clients:create' → 'clientsCreate': the preload's (and the web bridge's) function name of a channel. */
export function apiName<C extends string>(channel: C): ApiName<C> {
  const [a = '', b = ''] = channel.split(':');
  return `${a}${b.charAt(0).toUpperCase()}${b.slice(1)}` as ApiName<C>;
}
export type ApiName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : C;
