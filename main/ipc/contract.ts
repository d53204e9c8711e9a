/**
 * Every IPC channel between main and renderer, in one place (GitHub Desktop's ipc-shared.ts):
 * the zod schema of its input (checked in main by handle()), and its output type.
 * The preload exposes one function per channel; the renderer imports only types from here.
 */
import { z } from 'zod';
import {
  CLIENT_AUTH_METHODS,
  ITCODE_PLATFORMS,
  PROVIDER_IDS,
  type ClientView,
  type ErrorInfo,
  type Exchange,
  type ProviderId,
} from '../core/types';

const id = z.string().min(1).max(200);
const url = z.string().min(1).max(2000);
const shortText = z.string().max(500);

export const genericSettingsSchema = z.object({
  grant: z.enum(['authorization_code', 'client_credentials', 'password']),
  authorizationUrl: url.nullable(),
  tokenUrl: url,
  refreshUrl: url.nullable(),
  revocationUrl: url.nullable(),
  clientAuth: z.enum(CLIENT_AUTH_METHODS),
  paramsIn: z.enum(['body', 'query']),
  pkce: z.boolean(),
  extraParams: z.record(z.string().max(200), z.string().max(2000)),
  responseFields: z.object({
    accessToken: z.string().max(200).optional(),
    tokenType: z.string().max(200).optional(),
    expiresIn: z.string().max(200).optional(),
    refreshToken: z.string().max(200).optional(),
    refreshExpiresIn: z.string().max(200).optional(),
    scope: z.string().max(200).optional(),
  }),
  username: shortText.nullable(),
  issuer: url.nullable().optional(),
  metadata: z.object({ fetchedAt: z.number(), document: z.record(z.string(), z.unknown()) }).nullable().optional(),
  dpop: z.boolean().optional(),
  proxy: url.nullable().optional(),
  caCertificates: z.string().max(200_000).nullable().optional(),
  clientCertificate: z.string().max(50_000).nullable().optional(),
  clientPublicJwk: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** What the client editor sends: a new client, or the whole edited client. */
export const clientInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  provider: z.enum(PROVIDER_IDS),
  baseUrl: url.optional(),
  clientId: z.string().max(500),
  /** undefined = keep the stored secret (edit); null = remove it. */
  clientSecret: z.string().max(4000).nullable().optional(),
  password: z.string().max(4000).nullable().optional(),
  /** private_key_jwt key to import (PEM or JWK); like clientSecret, undefined keeps the stored one. */
  privateKey: z.string().max(20_000).nullable().optional(),
  /** RFC 8705 client certificate key (PEM); undefined keeps the stored one. */
  tlsClientKey: z.string().max(20_000).nullable().optional(),
  redirectUri: url.nullable().optional(),
  scope: shortText.nullable().optional(),
  env: z.enum(['prod', 'dev']).nullable().optional(),
  platform: z.enum(ITCODE_PLATFORMS).nullable().optional(),
  podRefreshForm: z.enum(['body', 'query']).optional(),
  generic: genericSettingsSchema.nullable().optional(),
  autoRefresh: z.boolean().optional(),
  refreshPolicy: z
    .object({ leadFraction: z.number().min(0).max(0.9), maxLeadSeconds: z.number().int().min(0).max(86_400 * 30) })
    .optional(),
});
export type ClientInput = z.infer<typeof clientInputSchema>;

export const settingsSchema = z.object({
  language: z.enum(['system', 'en', 'ko']),
  theme: z.enum(['system', 'light', 'dark']),
  closeToTray: z.boolean(),
  clipboardClearSeconds: z.number().int().min(0).max(3600),
  notifications: z.object({
    needsSignIn: z.boolean(),
    refreshFailing: z.boolean(),
    refreshTokenExpiring: z.boolean(),
    /** Warn this many days before a refresh token's own expiry. */
    refreshTokenWarnDays: z.number().int().min(1).max(90),
  }),
  /** The first-run sandbox clients were created once; deleting them all does not bring them back. */
  sandboxSeeded: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  closeToTray: true,
  clipboardClearSeconds: 30,
  notifications: { needsSignIn: true, refreshFailing: true, refreshTokenExpiring: true, refreshTokenWarnDays: 7 },
  sandboxSeeded: false,
};

export const copyFormats = ['raw', 'header', 'curl', 'env', 'basic'] as const;
export type CopyFormat = (typeof copyFormats)[number];

export interface ProviderField {
  key: 'baseUrl' | 'clientId' | 'clientSecret' | 'redirectUri' | 'scope' | 'env' | 'platform' | 'podRefreshForm' | 'generic' | 'password';
  required: boolean;
  /** The preset's default, shown in the editor. */
  default: string | null;
}
export interface ProviderInfo {
  id: ProviderId;
  label: string;
  grant: string;
  fields: ProviderField[];
  /** Base URLs to pick from (POD Shop: prod and dev). */
  environments: { id: string; label: string; baseUrl: string }[];
}

export interface AppInfo {
  version: string;
  /** 'keychain': the data key is wrapped by the OS keychain; 'file': it sits in a 0600 key file. */
  keyProtection: 'keychain' | 'file';
  /** Lasting warnings (plaintext-equivalent keychain, a store moved aside …). */
  warnings: { code: string; message: string; path?: string }[];
  sandboxUrl: string | null;
  platform: string;
}

export interface TokenDetail {
  clientId: string;
  /** Masked unless revealed. */
  rawResponse: string | null;
  jwt: { header: Record<string, unknown>; claims: Record<string, unknown> } | null;
}

export interface Notice {
  id: string;
  clientId: string | null;
  kind: 'needs_signin' | 'refresh_failing' | 'refresh_token_expiring' | 'info';
  message: string;
  at: number;
}

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
  'token:issue': { input: clientRef, output: {} as ClientView },
  'token:refresh': { input: clientRef, output: {} as ClientView },
  'token:revoke': { input: clientRef, output: {} as ClientView },
  'token:reveal': { input: z.object({ clientId: id, which: z.enum(['access', 'refresh']) }), output: '' as string },
  'token:detail': { input: z.object({ clientId: id, reveal: z.boolean() }), output: {} as TokenDetail | null },
  'token:copy': { input: z.object({ clientId: id, format: z.enum(copyFormats) }), output: null },
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
export function apiName(channel: Channel): string {
  const [a, b] = channel.split(':') as [string, string];
  return a + b.charAt(0).toUpperCase() + b.slice(1);
}
