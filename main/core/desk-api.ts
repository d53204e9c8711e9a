/**
 * What the core (main/core/desk.ts, class TokenDesk) offers to its three front ends: the IPC
 * handlers of the desktop app, the command line in standalone mode, and the agent socket.
 * Every method throws TokenDeskError on failure.
 */
import type { ClientInput, Settings, SinkInput } from '../model/schemas';
import type { SchedulerClock } from '../tokens/scheduler';
import type { Keychain } from '../tokens/secrets';
import type { StoreBackendFactory } from '../tokens/store';
import type { SandboxSeed } from './sandbox-clients';
import type { AppInfo, ClientView, CopyFormat, DeviceSignInView, Exchange, Notice, ProviderInfo, TokenDetail, TokenSet } from '../model/types';
import type { DiscoveryNetwork } from '../oauth/standards/discovery';
import type { ServerMetadata } from '../model/types';
import type { ImportSource } from '../import';
import type { ImportPreview } from '../import/types';
import type { PendingSignInView, SinkResult } from '../model/operations';

// What travels to the doors is defined once, beside the operations table.
export type { PendingSignInView, SinkResult } from '../model/operations';

/** How TokenDesk.open() is set up by its host (the shell, the agent, the command line, tests). */
export interface DeskOptions {
  dataDir: string;
  /** The OS keychain (Electron's safeStorage); absent under plain Node: the key lives in a 0600 file. */
  keychain?: Keychain | null;
  /** electron-store in the app; conf by default. */
  storeFactory?: StoreBackendFactory;
  /** The built-in sandbox this process runs; its clients follow it. */
  sandboxUrl?: string | null;
  /** The sandbox clients of a first run (sandbox/presets.ts), handed in by whoever runs the sandbox. */
  sandboxSeeds?: SandboxSeed[];
  /** The key is gone (key_missing): move the old store aside and start an empty one. */
  startOver?: boolean;
  notify?: (notice: Notice) => void;
  now?: () => number;
  clock?: SchedulerClock;
  /** Keep tokens fresh in the background (the app, the agent); off for one-shot CLI commands. */
  background?: boolean;
  httpTimeoutMs?: number;
  version?: string;
}

export interface DeskApi {
  info(): AppInfo;
  /** What the client editor shows for each provider. */
  providers(): ProviderInfo[];
  listClients(): ClientView[];
  /** By id or by unique name. */
  getClient(ref: string): ClientView;
  createClient(input: ClientInput): Promise<ClientView>;
  updateClient(ref: string, input: ClientInput): Promise<ClientView>;
  duplicateClient(ref: string): Promise<ClientView>;
  removeClient(ref: string): Promise<void>;
  exportClients(refs: string[] | undefined, includeSecrets: boolean): Promise<string>;
  importClients(json: string): Promise<ClientView[]>;

  /** Non-interactive grants: client credentials, POD Shop's Basic exchange, password. */
  issue(ref: string): Promise<ClientView>;
  /** Interactive grants, step 1: the authorize URL (itcode: fetched from its login API). */
  beginSignIn(ref: string, opts?: { redirectUri?: string; reconsent?: boolean }): Promise<PendingSignInView>;
  /** Step 2: the full address the browser was sent to (code/state/error extracted and checked). */
  completeSignIn(ref: string, callbackUrl: string): Promise<ClientView>;
  refresh(ref: string): Promise<ClientView>;
  /**
   * A currently valid token: refreshed (or re-issued) when expired, inside the lead time, or
   * expiring within `minValidMs`.
   */
  validToken(ref: string, opts?: { minValidMs?: number }): Promise<TokenSet>;
  revoke(ref: string): Promise<ClientView>;
  signOut(ref: string): Promise<ClientView>;
  userInfo(ref: string): Promise<unknown>;
  /** RFC 8628: start a device sign-in (user code and verification URI to show). */
  beginDeviceSignIn(ref: string): Promise<DeviceSignInView>;
  /** RFC 8628: wait until the user approves (token saved), denies or the code expires. */
  completeDeviceSignIn(ref: string): Promise<ClientView>;
  cancelDeviceSignIn(ref: string): void;
  /** RFC 7662 about the current access (or refresh) token. */
  introspect(ref: string, which?: 'access' | 'refresh'): Promise<Record<string, unknown>>;
  /** RFC 8414 / OpenID Connect Discovery of an issuer, before a client exists. */
  discover(issuer: string, network?: DiscoveryNetwork): Promise<ServerMetadata>;
  /** A discovered client's metadata read again; its endpoints follow. */
  refreshDiscovery(ref: string): Promise<ClientView>;
  /** The headers one request needs: Authorization, and a fresh DPoP proof for DPoP-bound tokens (RFC 9449 §7.1). */
  requestHeaders(ref: string, request: { method?: string; url?: string | null }): Promise<string[]>;
  reveal(ref: string, which: 'access' | 'refresh'): Promise<string>;
  tokenDetail(ref: string, reveal: boolean): Promise<TokenDetail | null>;
  /** Text for the clipboard in the given format (the shell writes it and clears it later). */
  copyText(ref: string, format: CopyFormat): Promise<string>;
  exchanges(ref: string, reveal: boolean): Promise<Exchange[]>;

  /** Import from Postman, Insomnia, Bruno, curl or a TokenDesk export: first the preview, then the clients. */
  previewImport(source: ImportSource): Promise<ImportPreview>;
  applyImport(id: string, options?: { only?: number[]; secrets?: Record<string, { clientSecret?: string; password?: string }> }): Promise<ClientView[]>;
  /** Files that get the access token on every issue and refresh. */
  addSink(ref: string, input: SinkInput): Promise<SinkResult>;
  removeSink(ref: string, sinkRef: string): Promise<ClientView>;

  getSettings(): Settings;
  setSettings(patch: Partial<Settings>): Promise<Settings>;
  notices(): Notice[];
  dismissNotice(id: string): Promise<void>;

  /** Subscribe to changes (client list, notices); returns an unsubscribe function. */
  onChange(listener: (event: 'clients' | 'notices' | 'settings') => void): () => void;
  /** RFC 8628 §3.5: a device sign-in's polling interval grew (slow_down). */
  onDeviceInterval(listener: (event: { clientId: string; intervalMs: number }) => void): () => void;
  close(): Promise<void>;
}
