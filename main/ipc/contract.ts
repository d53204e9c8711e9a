/**
 * Every IPC channel between main and renderer, in one place (GitHub Desktop's ipc-shared.ts):
 * the zod schema of its input (checked in main by handle()), and its output type.
 * The preload exposes one function per channel; the renderer imports only types from here.
 */
import { z } from 'zod';
import { clientInputSchema, copyFormatSchema, idSchema as id, settingsSchema, type ClientInput, type Settings } from '../model/schemas';
import type { AppInfo, ClientView, ErrorInfo, Exchange, Notice, ProviderInfo, ServerMetadata, TokenDetail } from '../model/types';

// What the renderer needs of the ground floor, from the one file it imports (as types only).
export type * from '../model/types';
export type { MessageCode, MessageParam, MessageParams, MessageText } from '../model/messages';
export type { ClientInput, Settings };

const url = z.string().min(1).max(2000);

const clientRef = z.object({ clientId: id });
const none = z.undefined();

/** channel → input schema and output type. */
export const channels = {
  'app:info': { input: none, output: {} as AppInfo },
  'providers:list': { input: none, output: {} as ProviderInfo[] },
  'settings:get': { input: none, output: {} as Settings },
  'settings:set': { input: settingsSchema.partial(), output: {} as Settings },
  'clients:list': { input: none, output: {} as ClientView[] },
  'clients:create': { input: clientInputSchema, output: {} as ClientView },
  'clients:update': { input: z.object({ clientId: id, input: clientInputSchema }), output: {} as ClientView },
  'clients:duplicate': { input: clientRef, output: {} as ClientView },
  'clients:remove': { input: clientRef, output: null },
  'clients:export': {
    input: z.object({ clientIds: z.array(id).max(10_000).optional(), includeSecrets: z.boolean() }),
    output: '' as string,
  },
  'clients:import': { input: z.object({ json: z.string().max(10_000_000) }), output: {} as ClientView[] },
  /** RFC 8414 / OpenID Connect Discovery for the editor, before the client exists. */
  'clients:discover': {
    input: z.object({ issuer: url, proxy: url.nullable().optional(), caCertificates: z.string().max(200_000).nullable().optional() }),
    output: {} as ServerMetadata,
  },
  'clients:refreshDiscovery': { input: clientRef, output: {} as ClientView },
  'token:issue': { input: clientRef, output: {} as ClientView },
  'token:refresh': { input: clientRef, output: {} as ClientView },
  'token:revoke': { input: clientRef, output: {} as ClientView },
  'token:reveal': { input: z.object({ clientId: id, which: z.enum(['access', 'refresh']) }), output: '' as string },
  'token:detail': { input: z.object({ clientId: id, reveal: z.boolean() }), output: {} as TokenDetail | null },
  'token:copy': { input: z.object({ clientId: id, format: copyFormatSchema }), output: null },
  'auth:signIn': {
    input: z.object({ clientId: id, mode: z.enum(['window', 'browser']).optional() }),
    output: {} as ClientView,
  },
  /** Paste mode: the full address the browser was sent to. */
  'auth:complete': { input: z.object({ clientId: id, callbackUrl: url }), output: {} as ClientView },
  'auth:cancel': { input: clientRef, output: null },
  'auth:signOut': { input: clientRef, output: {} as ClientView },
  'auth:userInfo': { input: clientRef, output: {} as unknown },
  'auth:reconsent': { input: clientRef, output: {} as ClientView },
  'exchanges:list': { input: z.object({ clientId: id, reveal: z.boolean() }), output: {} as Exchange[] },
  'notices:list': { input: none, output: {} as Notice[] },
  'notices:dismiss': { input: z.object({ id }), output: null },
} as const;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = (typeof channels)[C]['output'];

/** main → renderer events. */
export interface Events {
  'clients:changed': ClientView[];
  /** The sign-in of a client waits for the user to paste the address (system browser, non-loopback redirect). */
  'auth:awaitingPaste': { clientId: string; authorizeUrl: string };
  'notices:changed': Notice[];
}
export type EventName = keyof Events;
export const eventNames: EventName[] = ['clients:changed', 'auth:awaitingPaste', 'notices:changed'];

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** window.tokendesk: one function per channel, one subscription per event. */
export type TokenDeskApi = {
  [C in Channel as ApiName<C>]: (ChannelInput<C> extends undefined
    ? () => Promise<IpcResult<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>);
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/** 'clients:create' → 'clientsCreate' */
export type ApiName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : C;
