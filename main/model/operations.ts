/**
 * The table of operations every door serves (issue #10 item 4; GitHub Desktop's single contract,
 * applied to every transport): IPC for the desktop window, the browser door of `tokendesk ui`, and
 * the agent socket the command line talks to. Each operation has one zod schema for its input,
 * one output type, and the doors that do not serve it, each with its reason. What each one does
 * is in main/core/operations.ts; this half is on the ground floor because it is what travels: the
 * renderer takes its types from here, and test/main/core/operations.test.ts holds every door to
 * exactly these exceptions.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import type { MessageText } from './messages';
import { applyImportSchema, clientInputSchema, copyFormatSchema, idSchema as id, importSourceSchema, settingsSchema, sinkInputSchema, type ClientInput, type Settings } from './schemas';
import type { AppInfo, ClientView, DeviceSignInView, ErrorInfo, Exchange, Notice, ProviderInfo, ServerMetadata, Sink, TokenDetail, TokenSet } from './types';

export type Door = 'ipc' | 'web' | 'agent';

/** What every door answers: the output, or the error as data (Electron drops error classes across invoke). */
export type OperationResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
export const DOORS: readonly Door[] = ['ipc', 'web', 'agent'];

export interface PendingSignInView {
  clientId: string;
  authorizeUrl: string;
  redirectUri: string;
  /** True when the redirect URI is loopback (RFC 8252 §7.3): a local listener can catch it. */
  loopback: boolean;
}

export interface SinkResult {
  client: ClientView;
  sink: Sink;
  /** The current token was written to it now (false: no token yet, or the write failed). */
  written: boolean;
  /** Why the first write failed. */
  error: string | null;
  /** The same as a message code, for the app to translate. */
  errorText?: MessageText;
}

export interface Skipped {
  source: string;
  /** English, for the command line; `text` is the same as a message code the app translates. */
  reason: string;
  text?: MessageText;
}

/** A client the import would create: its settings without the secrets (those stay sealed in main). */
export interface ImportCandidate {
  input: ClientInput;
  sources: string[];
  hasSecret: boolean;
  hasPassword: boolean;
  /** The client cannot work without a secret the file did not hold: the import asks for it. */
  needsSecret: boolean;
  needsPassword: boolean;
}

export interface ImportPreview {
  /** Identifies the pending import for import:apply. */
  id: string;
  format: string;
  clients: ImportCandidate[];
  skipped: Skipped[];
}

const url = z.string().min(1).max(LIMITS.urlChars);
const none = z.undefined();
const clientRef = z.object({ clientId: id });
const which = z.enum(['access', 'refresh']);
const output = <T>(): T => undefined as T;

/** The app's coordinator runs sign-ins with its window, a loopback listener and the page's paste box. */
const APP_SIGN_IN = 'the command line signs in through its own browser (auth:begin, auth:finish); the coordinator drives the app window and the page';
/** The command line holds its own listener and browser; the window and the tab have the coordinator. */
const CLI_SIGN_IN = 'the window and the tab sign in through auth:signIn, whose coordinator holds the loopback listener and the paste wait';
const PRINTS = 'the command line prints what it is asked for; the clipboard is the desktop’s';

export const operations = {
  'app:info': { input: none, output: output<AppInfo>() },
  'providers:list': { input: none, output: output<ProviderInfo[]>() },
  'settings:get': { input: none, output: output<Settings>() },
  'settings:set': { input: settingsSchema.partial(), output: output<Settings>() },

  'clients:list': { input: none, output: output<ClientView[]>() },
  /** By id or by unique name. */
  'clients:get': { input: clientRef, output: output<ClientView>() },
  'clients:create': { input: clientInputSchema, output: output<ClientView>() },
  'clients:update': { input: z.object({ clientId: id, input: clientInputSchema }), output: output<ClientView>() },
  'clients:duplicate': { input: clientRef, output: output<ClientView>() },
  'clients:remove': { input: clientRef, output: null },
  'clients:export': { input: z.object({ clientIds: z.array(id).max(10_000).optional(), includeSecrets: z.boolean() }), output: output<string>() },
  /** A TokenDesk export, all at once (import:preview/import:apply also read other tools' files). */
  'clients:import': { input: z.object({ json: z.string().max(10_000_000) }), output: output<ClientView[]>() },
  /** RFC 8414 / OpenID Connect Discovery for the editor, before the client exists. */
  'clients:discover': {
    input: z.object({ issuer: url, proxy: url.nullable().optional(), caCertificates: z.string().max(200_000).nullable().optional() }),
    output: output<ServerMetadata>(),
  },
  'clients:refreshDiscovery': { input: clientRef, output: output<ClientView>() },

  /** Postman, Insomnia, Bruno, curl or a TokenDesk export: what would be created; the secrets stay in main. */
  'import:preview': { input: importSourceSchema, output: output<ImportPreview>() },
  /** Creates the previewed clients (`only` those, with the secrets the files lacked). */
  'import:apply': { input: applyImportSchema.extend({ id }), output: output<ClientView[]>() },
  /** Files that get the access token on every issue and refresh. */
  'sinks:add': { input: z.object({ clientId: id, sink: sinkInputSchema }), output: output<SinkResult>() },
  /** By the sink's id or its path. */
  'sinks:remove': { input: z.object({ clientId: id, sinkId: z.string().min(1).max(4096) }), output: output<ClientView>() },

  'token:issue': { input: clientRef, output: output<ClientView>() },
  'token:refresh': { input: clientRef, output: output<ClientView>() },
  'token:revoke': { input: clientRef, output: output<ClientView>() },
  /** A token valid now (refreshed or re-issued if needed) and for minValidMs more; without the raw response or cookies. */
  'token:valid': { input: z.object({ clientId: id, minValidMs: z.number().int().min(0).max(3650 * 86_400_000).optional() }), output: output<TokenSet>() },
  'token:reveal': { input: z.object({ clientId: id, which }), output: output<string>() },
  'token:detail': { input: z.object({ clientId: id, reveal: z.boolean() }), output: output<TokenDetail | null>() },
  /** The headers one request needs: Authorization, and a fresh DPoP proof for DPoP-bound tokens (RFC 9449 §7.1). */
  'token:headers': {
    input: z.object({ clientId: id, method: z.string().min(1).max(20).optional(), url: z.string().min(1).max(8000).nullable().optional() }),
    output: output<string[]>(),
  },
  /** RFC 7662 about the current access (or refresh) token. */
  'token:introspect': { input: z.object({ clientId: id, which: which.optional() }), output: output<Record<string, unknown>>() },
  'token:copy': {
    input: z.object({ clientId: id, format: copyFormatSchema }),
    output: null,
    not: { agent: PRINTS, web: 'the server’s clipboard is not the page’s: the page asks token:copyText and writes it itself' },
  },
  /** The text of one Copy click, for a page that writes its own clipboard. */
  'token:copyText': {
    input: z.object({ clientId: id, format: copyFormatSchema }),
    output: output<{ text: string; clearAfterSeconds: number }>(),
    not: { ipc: 'the desktop writes the clipboard in main (token:copy), so the text never enters the renderer', agent: PRINTS },
  },

  /** Sign in with the app's OAuth window, or the browser (loopback or pasted address). */
  'auth:signIn': { input: z.object({ clientId: id, mode: z.enum(['window', 'browser']).optional() }), output: output<ClientView>(), not: { agent: APP_SIGN_IN } },
  /** Paste mode: the full address the browser was sent to. */
  'auth:complete': { input: z.object({ clientId: id, callbackUrl: url }), output: output<ClientView>(), not: { agent: APP_SIGN_IN } },
  'auth:cancel': { input: clientRef, output: null, not: { agent: APP_SIGN_IN } },
  'auth:reconsent': { input: clientRef, output: output<ClientView>(), not: { agent: APP_SIGN_IN } },
  /**
   * The authorization page of the sign-in that waits (issue #13 row 3, Copy link), put on the door's
   * clipboard where it has one (the desktop), and returned; not_found when none waits.
   */
  'auth:copyLink': { input: clientRef, output: output<string>(), not: { agent: APP_SIGN_IN } },
  /** Open again: the system browser gets the page once more, or the OAuth window is replaced; same state and PKCE. */
  'auth:reopen': {
    input: clientRef,
    output: null,
    not: { agent: APP_SIGN_IN, web: 'the page keeps the sign-in page’s own link to click (auth:copyLink): the server cannot reach the user’s browser, which may be on another machine' },
  },
  /** The command line's sign-in, step 1: the authorize URL (itcode: fetched from its login API). */
  'auth:begin': {
    input: z.object({ clientId: id, redirectUri: url.optional(), reconsent: z.boolean().optional() }),
    output: output<PendingSignInView>(),
    not: { ipc: CLI_SIGN_IN, web: CLI_SIGN_IN },
  },
  /** Step 2: the full address the browser was sent to. */
  'auth:finish': { input: z.object({ clientId: id, callbackUrl: z.string().min(1).max(8000) }), output: output<ClientView>(), not: { ipc: CLI_SIGN_IN, web: CLI_SIGN_IN } },
  /** RFC 8628: start a device sign-in (the user code and verification URI to show). */
  'auth:deviceBegin': { input: clientRef, output: output<DeviceSignInView>() },
  /** RFC 8628 §3.4-§3.5: resolves when the user approves (token saved); fails on denial, expiry or cancel. Codes live up to 30 min: no short timeout on it. */
  'auth:deviceComplete': { input: clientRef, output: output<ClientView>() },
  'auth:deviceCancel': { input: clientRef, output: null },
  'auth:signOut': { input: clientRef, output: output<ClientView>() },
  'auth:userInfo': { input: clientRef, output: output<unknown>() },

  'exchanges:list': { input: z.object({ clientId: id, reveal: z.boolean() }), output: output<Exchange[]>() },
  'notices:list': { input: none, output: output<Notice[]>() },
  'notices:dismiss': { input: z.object({ id }), output: null },
};

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
/** The input after its schema: what run() receives. */
export type OperationArgs<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = Operations[N]['output'];

/** The operations a door serves: those whose `not` does not name it. */
export type ServedOn<D extends Door> = {
  [N in OperationName]: Operations[N] extends { not: infer Not } ? (D extends keyof Not ? never : N) : N;
}[OperationName];

/** Why a door does not serve an operation, or undefined when it does. */
export function notServedBecause(door: Door, name: OperationName): string | undefined {
  return (operations[name] as { not?: Partial<Record<Door, string>> }).not?.[door];
}

export function servedOn(door: Door): OperationName[] {
  return (Object.keys(operations) as OperationName[]).filter((name) => notServedBecause(door, name) === undefined);
}
