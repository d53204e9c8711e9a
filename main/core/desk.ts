/**
 * TokenDesk's core: clients, their secrets and tokens, the OAuth flows and the refresh lifecycle,
 * composed from main/oauth and main/tokens. Plain Node: the Electron shell, the e2e harness, the
 * agent socket and the standalone command line all drive this one class.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { settingsSchema, type ClientInput, type Settings, type SinkInput } from '../model/schemas';
import { createHttpClient, type HttpClient } from '../oauth/http';
import { maskExchange, maskKnownSecrets, maskSecretFields } from '../oauth/mask';
import {
  basicHeader,
  beginSignIn,
  completeSignIn,
  fetchUserInfo,
  issueToken,
  beginReconsent,
  refreshToken,
  revokeToken,
  signOut,
  type PendingSignIn,
} from '../oauth/flows';
import { capabilitiesOf, defaultBaseUrl, providerInfos } from '../oauth/presets';
import { discoverMetadata, discoveryInput, settingsFromMetadata, type DiscoveryNetwork } from '../oauth/standards/discovery';
import { requestHeaders } from '../oauth/standards/headers';
import { prepareClient } from '../oauth/standards/keys';
import { sandboxClientPresets } from '../sandbox/presets';
import { LEASE_MARGIN_MS } from '../tokens/lease';
import { withLock } from '../tokens/lock';
import { TokenManager } from '../tokens/manager';
import { MAX_TIMER_MS, type SchedulerClock } from '../tokens/scheduler';
import { openKeyring, type Keychain, type Keyring } from '../tokens/secrets';
import { TokenStore, type StoreBackendFactory } from '../tokens/store';
import { basicSignInFacts, securityChecks } from '../oauth/standards/security-check';
import { abortableSleep, beginDeviceSignIn, completeDeviceSignIn, deviceView, type DeviceAuthorization } from '../oauth/standards/device';
import { standardsIntrospect } from '../oauth/standards/introspect';
import { ExchangeHolds } from './exchange-hold';
import { TokenDeskError } from '../model/errors';
import { format, msg } from '../model/messages';
import type { AppInfo, ClientConfig, ClientSecrets, ClientView, CopyFormat, DeviceSignInView, Exchange, Notice, ProviderInfo, ServerMetadata, TokenDetail, TokenSet } from '../model/types';
import { readImport, type ImportSource } from '../import';
import type { ImportCandidate, ImportPreview } from '../import/types';
import { newSink } from '../sinks/config';
import { failureNotice, publishToSinks } from '../sinks/publish';
import { exportClients, parseClientExport } from '../import/tokendesk';
import { buildClient, secretRequired, uniqueName } from './clients';
import { copyText } from './copy';
import type { DeskApi, PendingSignInView, SinkResult } from './desk-api';
import { clientView, isJwt, nextStateChange } from './views';

export interface DeskOptions {
  dataDir: string;
  /** The OS keychain (Electron's safeStorage); absent under plain Node: the key lives in a 0600 file. */
  keychain?: Keychain | null;
  /** electron-store in the app; conf by default. */
  storeFactory?: StoreBackendFactory;
  /** The built-in sandbox this process runs; its clients follow it (and are created on first run). */
  sandboxUrl?: string | null;
  notify?: (notice: Notice) => void;
  now?: () => number;
  clock?: SchedulerClock;
  /** Keep tokens fresh in the background (the app, the agent); off for one-shot CLI commands. */
  background?: boolean;
  httpTimeoutMs?: number;
  version?: string;
}

const NO_SECRETS: ClientSecrets = { clientSecret: null, password: null };

/** A previewed import: what the file held, its secrets sealed, until applyImport. */
interface PendingImport {
  createdAt: number;
  entries: { candidate: ImportCandidate; sealed: string }[];
}
const PENDING_SIGN_IN_MS = 15 * 60_000;

export class TokenDesk implements DeskApi {
  readonly #options: DeskOptions;
  readonly #store: TokenStore;
  readonly #keyring: Keyring;
  readonly #http: HttpClient;
  readonly #manager: TokenManager;
  readonly #now: () => number;
  readonly #pending = new Map<string, PendingSignIn>();
  readonly #devices = new Map<string, { device: DeviceAuthorization; abort: AbortController }>();
  readonly #holds: ExchangeHolds = new ExchangeHolds((exchange) => this.#recordExchange(exchange));
  readonly #imports = new Map<string, PendingImport>();
  readonly #listeners = new Set<(event: 'clients' | 'notices') => void>();
  readonly #signOutListeners = new Set<(clientId: string) => void>();
  #storeMtime = 0;
  #stateTimer: ReturnType<typeof setTimeout> | null = null;
  /** The notices last announced, so a change the manager makes silently is announced too. */
  #noticeStamp = '';

  private constructor(options: DeskOptions, store: TokenStore, keyring: Keyring) {
    this.#options = options;
    this.#store = store;
    this.#keyring = keyring;
    this.#now = options.now ?? Date.now;
    this.#http = createHttpClient({
      onExchange: (exchange) => this.#holds.offer(exchange),
      limits: () => {
        const settings = this.getSettings();
        return {
          timeoutMs: options.httpTimeoutMs ?? settings.requestTimeoutSeconds * 1000,
          maxResponseBytes: settings.maxResponseKiB * 1024,
        };
      },
    });
    this.#manager = new TokenManager({
      store,
      keyring,
      dataDir: options.dataDir,
      now: this.#now,
      background: options.background ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
      refresher: (client, secrets, current) => this.#refresher(client, secrets, current),
      leaseMs: () => (options.httpTimeoutMs ?? this.getSettings().requestTimeoutSeconds * 1000) + LEASE_MARGIN_MS,
      onTokenSaved: async (clientId, token) => void (await this.#publish(clientId, token)),
      onChange: () => this.#emit('clients'),
      notify: (notice) => {
        this.#emit('notices');
        if (notificationEnabled(this.getSettings(), notice)) options.notify?.(notice);
      },
    });
  }

  static async open(options: DeskOptions): Promise<TokenDesk> {
    const keyring = await openKeyring({ dataDir: options.dataDir, keychain: options.keychain ?? null });
    const store = TokenStore.open({ dataDir: options.dataDir, ...(options.storeFactory ? { backend: options.storeFactory } : {}) });
    const desk = new TokenDesk(options, store, keyring);
    if (options.sandboxUrl) await desk.#adoptSandbox(options.sandboxUrl);
    desk.#manager.start();
    desk.#noticeStamp = desk.#noticeSignature();
    return desk;
  }

  // ---- reading ---------------------------------------------------------------------------------

  info(): AppInfo {
    const warnings: AppInfo['warnings'] = [];
    if (this.#keyring.warning) warnings.push({ code: 'key_file', message: this.#keyring.warning });
    const recovered = this.#store.recovered;
    if (recovered) {
      const text = msg('store_recovered', { reason: recovered.reason });
      warnings.push({ code: 'store_recovered', message: format(text), text, path: recovered.backupPath });
    }
    return {
      version: this.#options.version ?? '0.0.0',
      keyProtection: this.#keyring.protection,
      warnings,
      sandboxUrl: this.#options.sandboxUrl ?? null,
      platform: process.platform,
    };
  }

  providers(): ProviderInfo[] {
    return providerInfos();
  }

  listClients(): ClientView[] {
    this.#refreshFromDisk();
    const views = this.#store.document.clients.map((client) => this.#view(client));
    this.#armStateTimer(views);
    return views;
  }

  getClient(ref: string): ClientView {
    this.#refreshFromDisk();
    return this.#view(this.#client(ref));
  }

  getSettings(): Settings {
    return this.#store.document.settings;
  }

  notices(): Notice[] {
    return [...this.#store.document.notices];
  }

  async exchanges(ref: string, reveal: boolean): Promise<Exchange[]> {
    this.#refreshFromDisk();
    const client = this.#client(ref);
    const list = this.#manager.exchanges(client.id).reverse();
    return reveal ? list : list.map((exchange) => maskExchange(exchange, this.#knownSecrets(client.id)));
  }

  async reveal(ref: string, which: 'access' | 'refresh'): Promise<string> {
    const client = this.#client(ref);
    const token = this.#manager.token(client.id);
    const value = which === 'access' ? token?.accessToken : token?.refreshToken;
    if (!value) throw new TokenDeskError('not_found', `${client.name} has no ${which} token.`);
    return value;
  }

  async tokenDetail(ref: string, reveal: boolean): Promise<TokenDetail | null> {
    const client = this.#client(ref);
    const token = this.#manager.token(client.id);
    if (!token) return null;
    const raw = token.raw === null || token.raw === undefined ? null : typeof token.raw === 'string' ? token.raw : JSON.stringify(token.raw, null, 2);
    let jwt: TokenDetail['jwt'] = null;
    if (isJwt(token.accessToken)) {
      jwt = {
        header: decodeProtectedHeader(token.accessToken) as Record<string, unknown>,
        claims: decodeJwt(token.accessToken) as Record<string, unknown>,
      };
    }
    return {
      clientId: client.id,
      rawResponse: raw === null || reveal ? raw : maskKnownSecrets(maskSecretFields(raw), this.#knownSecrets(client.id)),
      jwt,
    };
  }

  async copyText(ref: string, format: CopyFormat): Promise<string> {
    const client = this.#client(ref);
    const token = format === 'basic' ? null : await this.validToken(client.id);
    return copyText(format, client, token, () => basicHeader(this.#input(client)));
  }

  // ---- clients ---------------------------------------------------------------------------------

  async createClient(input: ClientInput): Promise<ClientView> {
    const { config, secrets } = await prepareClient(this.#build(input, null), { clientSecret: input.clientSecret ?? null, password: input.password ?? null }, input);
    await this.#mutate((doc) => {
      if (doc.clients.some((client) => client.name === config.name)) {
        throw new TokenDeskError('conflict', msg('client_name_taken', { name: config.name }));
      }
      doc.clients.push(config);
      doc.secrets[config.id] = this.#sealSecrets(secrets);
    });
    this.#emit('clients');
    return this.getClient(config.id);
  }

  async updateClient(ref: string, input: ClientInput): Promise<ClientView> {
    const existing = this.#client(ref);
    const secrets = this.#secrets(existing.id);
    const { config, secrets: next } = await prepareClient(
      this.#build(input, existing),
      {
        ...secrets,
        clientSecret: input.clientSecret === undefined ? secrets.clientSecret : input.clientSecret,
        password: input.password === undefined ? secrets.password : input.password,
      },
      input,
    );
    // A token belongs to the client id and server it came from: editing either forgets it.
    const forgetToken = config.clientId !== existing.clientId || config.baseUrl !== existing.baseUrl || config.provider !== existing.provider;
    await this.#mutate((doc) => {
      if (doc.clients.some((client) => client.name === config.name && client.id !== existing.id)) {
        throw new TokenDeskError('conflict', msg('client_name_taken', { name: config.name }));
      }
      doc.clients = doc.clients.map((client) => (client.id === existing.id ? config : client));
      doc.secrets[existing.id] = this.#sealSecrets(next);
      if (forgetToken) {
        delete doc.tokens[existing.id];
        delete doc.status[existing.id];
      }
    });
    this.#manager.reschedule(existing.id);
    this.#emit('clients');
    return this.getClient(existing.id);
  }

  async duplicateClient(ref: string): Promise<ClientView> {
    const source = this.#client(ref);
    const taken = new Set(this.#store.document.clients.map((client) => client.name));
    const copy: ClientConfig = {
      ...structuredClone(source),
      id: randomUUID(),
      name: uniqueName(`${source.name} copy`, taken),
      // Two clients writing one file would overwrite each other's token.
      sinks: [],
      createdAt: new Date(this.#now()).toISOString(),
      updatedAt: new Date(this.#now()).toISOString(),
    };
    const sealed = this.#store.document.secrets[source.id];
    await this.#mutate((doc) => {
      doc.clients.push(copy);
      if (sealed) doc.secrets[copy.id] = sealed;
    });
    this.#emit('clients');
    return this.getClient(copy.id);
  }

  async removeClient(ref: string): Promise<void> {
    const client = this.#client(ref);
    this.#manager.forget(client.id);
    await withLock(this.#options.dataDir, () => {
      this.#store.reload();
      this.#store.removeClient(client.id);
    });
    this.#signOutListeners.forEach((listener) => listener(client.id));
    this.#emit('clients');
  }

  async exportClients(refs: string[] | undefined, includeSecrets: boolean): Promise<string> {
    const clients = refs ? refs.map((ref) => this.#client(ref)) : this.#store.document.clients;
    return exportClients(clients.map((config) => ({ config, secrets: includeSecrets ? this.#secrets(config.id) : null })));
  }

  async importClients(json: string): Promise<ClientView[]> {
    const inputs = parseClientExport(json);
    const taken = new Set(this.#store.document.clients.map((client) => client.name));
    const configs = inputs.map((input) => {
      const name = uniqueName(input.name, taken);
      taken.add(name);
      return { config: this.#build({ ...input, name }, null), input };
    });
    await this.#mutate((doc) => {
      for (const { config, input } of configs) {
        doc.clients.push(config);
        doc.secrets[config.id] = this.#sealSecrets({ clientSecret: input.clientSecret ?? null, password: input.password ?? null });
      }
    });
    this.#emit('clients');
    return configs.map(({ config }) => this.getClient(config.id));
  }

  // ---- sinks -----------------------------------------------------------------------------------

  /** Adds a sink and, when the client has a token, writes it there at once. */
  async addSink(ref: string, input: SinkInput): Promise<SinkResult> {
    const client = this.#client(ref);
    const sink = newSink(input);
    await this.#mutate((doc) => {
      const stored = doc.clients.find((candidate) => candidate.id === client.id);
      if (!stored) throw new TokenDeskError('not_found', `No client named "${ref}".`);
      if ((stored.sinks ?? []).some((other) => other.path === sink.path && other.key === sink.key)) {
        throw new TokenDeskError('conflict', `${client.name} already writes ${sink.key ? `${sink.key} in ` : ''}${sink.path}.`);
      }
      stored.sinks = [...(stored.sinks ?? []), sink];
    });
    const token = this.#manager.token(client.id);
    const failure = token ? await this.#publish(client.id, token, sink.id) : null;
    this.#emit('clients');
    return { client: this.getClient(client.id), sink, written: token !== null && failure === null, error: failure };
  }

  /** By the sink's id, or its file path when only one sink writes that file. */
  async removeSink(ref: string, sinkRef: string): Promise<ClientView> {
    const client = this.#client(ref);
    const sinks = client.sinks ?? [];
    const matches = sinks.filter((sink) => sink.id === sinkRef || sink.path === sinkRef);
    if (matches.length !== 1) {
      throw new TokenDeskError(
        matches.length === 0 ? 'not_found' : 'conflict',
        matches.length === 0 ? `${client.name} has no sink "${sinkRef}".` : `${client.name} writes ${sinkRef} more than once: name the sink by its id.`,
      );
    }
    await this.#mutate((doc) => {
      const stored = doc.clients.find((candidate) => candidate.id === client.id);
      if (stored) stored.sinks = (stored.sinks ?? []).filter((sink) => sink.id !== matches[0]!.id);
    });
    this.#emit('clients');
    return this.getClient(client.id);
  }

  // ---- import from other tools -----------------------------------------------------------------

  /**
   * Reads a Postman, Insomnia, Bruno, curl or TokenDesk file and keeps what it found (secrets sealed
   * at once) for applyImport; returns the preview, without secrets. Nothing is saved yet.
   */
  async previewImport(source: ImportSource): Promise<ImportPreview> {
    const read = readImport(source);
    const taken = new Set(this.#store.document.clients.map((client) => client.name));
    const pending: PendingImport = { createdAt: this.#now(), entries: [] };
    const clients: ImportCandidate[] = [];
    for (const { input, sources } of read.inputs) {
      const { clientSecret, password, ...settings } = input;
      const name = uniqueName(settings.name, taken);
      let config: ClientConfig;
      try {
        // With a stand-in secret: a missing one is asked for, every other gap is a reason to skip.
        config = this.#build({ ...settings, name, clientSecret: 'stand-in' }, null);
      } catch (error) {
        read.skipped.push({ source: sources.join('; '), reason: (error as Error).message });
        continue;
      }
      taken.add(name);
      const info = providerInfos().find((candidate) => candidate.id === config.provider)!;
      const candidate: ImportCandidate = {
        input: { ...settings, name },
        sources,
        hasSecret: Boolean(clientSecret),
        hasPassword: Boolean(password),
        needsSecret: !clientSecret && secretRequired(info, config),
        needsPassword: !password && config.generic?.grant === 'password',
      };
      clients.push(candidate);
      pending.entries.push({ candidate, sealed: this.#sealSecrets({ clientSecret: clientSecret ?? null, password: password ?? null }) });
    }
    const id = randomUUID();
    this.#imports.set(id, pending);
    return { id, format: read.format, clients, skipped: read.skipped };
  }

  /**
   * Creates the previewed clients (`only`: their indexes; default all) with the secrets the file
   * lacked (`secrets`, by index). One missing secret stops the whole import, before anything is saved.
   */
  async applyImport(id: string, options: { only?: number[]; secrets?: Record<string, { clientSecret?: string; password?: string }> } = {}): Promise<ClientView[]> {
    const pending = this.#imports.get(id);
    if (!pending || this.#now() - pending.createdAt > PENDING_SIGN_IN_MS) {
      this.#imports.delete(id);
      throw new TokenDeskError('not_found', 'This import preview is gone (older than 15 minutes, or already imported): read the file again.');
    }
    const chosen = (options.only ?? pending.entries.map((_entry, index) => index)).map((index) => ({ index, entry: pending.entries[index] }));
    const taken = new Set(this.#store.document.clients.map((client) => client.name));
    const ready = chosen.map(({ index, entry }) => {
      if (!entry) throw new TokenDeskError('bad_request', `The preview has no client number ${index + 1}.`);
      const stored = JSON.parse(this.#keyring.open(entry.sealed)) as ClientSecrets;
      const given = options.secrets?.[String(index)] ?? {};
      const secrets: ClientSecrets = { clientSecret: given.clientSecret || stored.clientSecret, password: given.password || stored.password };
      const { candidate } = entry;
      if (candidate.needsSecret && !secrets.clientSecret) throw new TokenDeskError('bad_request', `${candidate.input.name} needs its client secret: enter it to import.`);
      if (candidate.needsPassword && !secrets.password) throw new TokenDeskError('bad_request', `${candidate.input.name} needs the password of ${candidate.input.generic?.username ?? 'its user'}: enter it to import.`);
      const name = uniqueName(candidate.input.name, taken);
      taken.add(name);
      return { config: this.#build({ ...candidate.input, name, clientSecret: secrets.clientSecret }, null), secrets };
    });
    await this.#mutate((doc) => {
      for (const { config, secrets } of ready) {
        doc.clients.push(config);
        doc.secrets[config.id] = this.#sealSecrets(secrets);
      }
    });
    this.#imports.delete(id);
    this.#emit('clients');
    return ready.map(({ config }) => this.getClient(config.id));
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.getSettings(), ...patch });
    await this.#mutate((doc) => {
      doc.settings = next;
    });
    return next;
  }

  dismissNotice(id: string): void {
    this.#mutate((doc) => {
      doc.notices = doc.notices.filter((notice) => notice.id !== id);
    })
      .then(() => this.#emit('notices'))
      .catch((error: unknown) => console.warn(`TokenDesk: the notice could not be dismissed: ${String(error)}`));
  }

  // ---- tokens ----------------------------------------------------------------------------------

  async issue(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    if (!capabilitiesOf(client).issue) {
      throw new TokenDeskError('unsupported', `${client.name} signs in through the browser: use Sign in instead of Issue.`);
    }
    await this.#manager.refresh(client.id, { force: true, fresh: true });
    return this.getClient(client.id);
  }

  async beginSignIn(ref: string, opts: { redirectUri?: string; reconsent?: boolean } = {}): Promise<PendingSignInView> {
    const client = this.#client(ref);
    if (!capabilitiesOf(client).signIn) {
      throw new TokenDeskError('unsupported', `${client.name} does not sign in through a browser: use Issue.`);
    }
    const input = this.#input(client);
    const redirect = opts.redirectUri ? { redirectUri: opts.redirectUri } : {};
    const pending = opts.reconsent
      ? await beginReconsent(this.#deps(), input, this.#requireToken(client), redirect)
      : await beginSignIn(this.#deps(), input, redirect);
    this.#pending.set(client.id, pending);
    return { clientId: client.id, authorizeUrl: pending.authorizeUrl, redirectUri: pending.redirectUri, loopback: pending.loopback };
  }

  async completeSignIn(ref: string, callbackUrl: string): Promise<ClientView> {
    const client = this.#client(ref);
    const pending = this.#pending.get(client.id);
    if (!pending || this.#now() - pending.createdAt > PENDING_SIGN_IN_MS) {
      this.#pending.delete(client.id);
      throw new TokenDeskError('needs_signin', `No sign-in of ${client.name} is in progress (or it took longer than 15 minutes): start the sign-in again.`);
    }
    this.#pending.delete(client.id);
    const token = await this.#holds.run(
      client.id,
      () => completeSignIn(this.#deps(), this.#input(client), pending, callbackUrl),
      (next, exchanges) =>
        securityChecks({
          kind: 'sign_in',
          urls: exchanges.map((exchange) => exchange.url),
          previous: null,
          next,
          requestedScope: client.scope,
          facts: next.verified ?? basicSignInFacts(pending, callbackUrl),
        }),
    );
    await this.#manager.saveToken(client.id, token);
    return this.getClient(client.id);
  }

  /** RFC 8628 §3.1-§3.2: the user code and the verification URI to show; the device code stays here. */
  async beginDeviceSignIn(ref: string): Promise<DeviceSignInView> {
    const client = this.#client(ref);
    if (!capabilitiesOf(client).device) {
      throw new TokenDeskError('unsupported', `${client.name} does not sign in with a device code: choose the device_code grant and its server's device authorization endpoint.`);
    }
    this.#devices.get(client.id)?.abort.abort();
    const device = await beginDeviceSignIn(this.#deps(), this.#input(client));
    this.#devices.set(client.id, { device, abort: new AbortController() });
    return deviceView(client.id, device);
  }

  /** RFC 8628 §3.4-§3.5: polls until the user approves (the token is saved), denies, or the code expires. */
  async completeDeviceSignIn(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    const entry = this.#devices.get(client.id);
    if (!entry) throw new TokenDeskError('needs_signin', `No device sign-in of ${client.name} is in progress: start it again.`);
    try {
      const token = await this.#holds.run(
        client.id,
        () => completeDeviceSignIn({ ...this.#deps(), sleep: abortableSleep }, this.#input(client), entry.device, { signal: entry.abort.signal }),
        (next, exchanges) =>
          securityChecks({ kind: 'device', urls: exchanges.map((exchange) => exchange.url), previous: null, next, requestedScope: client.scope }),
      );
      await this.#manager.saveToken(client.id, token);
    } finally {
      if (this.#devices.get(client.id) === entry) this.#devices.delete(client.id);
    }
    return this.getClient(client.id);
  }

  cancelDeviceSignIn(ref: string): void {
    const client = this.#client(ref);
    this.#devices.get(client.id)?.abort.abort();
  }

  /** RFC 7662 about the client's current access (or refresh) token, as the server answers. */
  async introspect(ref: string, which: 'access' | 'refresh' = 'access'): Promise<Record<string, unknown>> {
    const client = this.#client(ref);
    if (!capabilitiesOf(client).introspect) {
      throw new TokenDeskError('unsupported', `${client.name}'s server offers no token introspection (RFC 7662 introspection_endpoint).`);
    }
    return standardsIntrospect(this.#deps(), this.#input(client), this.#requireToken(client), which);
  }

  async refresh(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    await this.#manager.refresh(client.id, { force: true });
    return this.getClient(client.id);
  }

  async validToken(ref: string, opts: { minValidMs?: number } = {}): Promise<TokenSet> {
    this.#refreshFromDisk();
    return this.#manager.validToken(this.#client(ref).id, opts);
  }

  async revoke(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    const token = this.#manager.token(client.id);
    if (token) await revokeToken(this.#deps(), this.#input(client), token);
    await this.#manager.clearToken(client.id);
    this.#signOutListeners.forEach((listener) => listener(client.id));
    return this.getClient(client.id);
  }

  async signOut(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    const token = this.#manager.token(client.id);
    if (token) await signOut(this.#deps(), this.#input(client), token);
    await this.#manager.clearToken(client.id);
    this.#signOutListeners.forEach((listener) => listener(client.id));
    return this.getClient(client.id);
  }

  async userInfo(ref: string): Promise<unknown> {
    const client = this.#client(ref);
    if (!capabilitiesOf(client).userInfo) throw new TokenDeskError('unsupported', `${client.name} has no user info endpoint.`);
    return fetchUserInfo(this.#deps(), this.#input(client), await this.validToken(client.id));
  }

  /** RFC 8414 / OpenID Connect Discovery for a client not created yet (editor, `clients add --issuer`). */
  async discover(issuer: string, network: DiscoveryNetwork = {}): Promise<ServerMetadata> {
    return discoverMetadata(this.#deps(), discoveryInput(issuer, network), issuer);
  }

  /** Reads a discovered client's metadata again: endpoints and supported methods follow the server. */
  async refreshDiscovery(ref: string): Promise<ClientView> {
    const client = this.#client(ref);
    const issuer = client.generic?.issuer;
    if (!client.generic || !issuer) throw new TokenDeskError('bad_request', `${client.name} was not created from an issuer: enter its endpoints by hand.`);
    const generic = settingsFromMetadata(client.generic, await discoverMetadata(this.#deps(), this.#input(client), issuer));
    const updatedAt = new Date(this.#now()).toISOString();
    await this.#mutate((doc) => {
      doc.clients = doc.clients.map((c) => (c.id === client.id ? { ...c, generic, updatedAt } : c));
    });
    this.#emit('clients');
    return this.getClient(client.id);
  }

  /** `tokendesk headers`: Authorization (and a fresh DPoP proof) for one request, with a valid token. */
  async requestHeaders(ref: string, request: { method?: string; url?: string | null }): Promise<string[]> {
    const client = this.#client(ref);
    const token = await this.validToken(client.id);
    return requestHeaders(this.#input(client), token, { method: request.method ?? 'GET', url: request.url ?? null, now: this.#now() });
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  onChange(listener: (event: 'clients' | 'notices') => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The shell clears an OAuth window's cookies when a client signs out, is revoked or removed. */
  onSignOut(listener: (clientId: string) => void): () => void {
    this.#signOutListeners.add(listener);
    return () => this.#signOutListeners.delete(listener);
  }

  /** After sleep, or when the wall clock jumped: every due time is looked at again. */
  resume(): void {
    this.#manager.resume();
  }

  async close(): Promise<void> {
    this.#manager.stop();
    if (this.#stateTimer) clearTimeout(this.#stateTimer);
    this.#listeners.clear();
  }

  // ---- internals -------------------------------------------------------------------------------

  #emit(event: 'clients' | 'notices'): void {
    if (event === 'notices') this.#noticeStamp = this.#noticeSignature();
    for (const listener of this.#listeners) listener(event);
    if (event === 'clients') {
      // Saving a new token (or signing out) drops the client's notices without a notice event.
      if (this.#noticeSignature() !== this.#noticeStamp) this.#emit('notices');
    }
  }

  #noticeSignature(): string {
    return this.#store.document.notices.map((notice) => notice.id).join(',');
  }

  /**
   * In the app and the agent: tell whoever lists clients when a state changes by time alone
   * ("expiring", "expired"). Armed from the views just listed, so it costs no extra pass.
   */
  #armStateTimer(views: ClientView[]): void {
    if (!this.#options.background) return;
    if (this.#stateTimer) clearTimeout(this.#stateTimer);
    this.#stateTimer = null;
    const now = this.#now();
    const next = nextStateChange(views, now);
    if (next === null) return;
    // setTimeout overflows past 2^31-1 ms: a change further off re-arms on the way.
    this.#stateTimer = setTimeout(() => this.#emit('clients'), Math.min(next - now + 50, MAX_TIMER_MS));
    this.#stateTimer.unref();
  }

  #client(ref: string): ClientConfig {
    const clients = this.#store.document.clients;
    const client = clients.find((candidate) => candidate.id === ref) ?? clients.find((candidate) => candidate.name === ref);
    if (!client) throw new TokenDeskError('not_found', msg('client_not_found', { ref }));
    return client;
  }

  #view(client: ClientConfig): ClientView {
    const status = this.#store.status(client.id);
    const token = this.#manager.token(client.id);
    return clientView(
      {
        config: client,
        hasSecret: this.#store.document.secrets[client.id] !== undefined && this.#secrets(client.id).clientSecret !== null,
        token,
        needsSignIn: status.needsSignIn,
        lastError: status.lastError,
        refreshing: this.#manager.isRefreshing(client.id),
        dueAt: this.#manager.dueAt(client.id),
        capabilities: capabilitiesOf(client),
      },
      this.#now(),
    );
  }

  #build(input: ClientInput, existing: ClientConfig | null): ClientConfig {
    const info = providerInfos().find((candidate) => candidate.id === input.provider);
    if (!info) throw new TokenDeskError('bad_request', `Unknown provider: ${input.provider}`);
    const config = buildClient(input, existing, info, {
      id: randomUUID(),
      now: new Date(this.#now()),
      defaultBaseUrl: genericOrigin(input) ?? defaultBaseUrl(input.provider, input.env ?? undefined),
    });
    const hasSecret = input.clientSecret !== undefined ? Boolean(input.clientSecret) : existing ? this.#secrets(existing.id).clientSecret !== null : false;
    if (!hasSecret && secretRequired(info, config)) {
      throw new TokenDeskError('bad_request', `${info.label} needs a client secret.`);
    }
    return config;
  }

  #secrets(clientId: string): ClientSecrets {
    const sealed = this.#store.document.secrets[clientId];
    if (!sealed) return NO_SECRETS;
    return JSON.parse(this.#keyring.open(sealed)) as ClientSecrets;
  }

  #sealSecrets(secrets: ClientSecrets): string {
    return this.#keyring.seal(JSON.stringify(secrets));
  }

  #input(client: ClientConfig) {
    return { client, secrets: this.#secrets(client.id) };
  }

  #deps() {
    return { http: this.#http, now: this.#now };
  }

  #requireToken(client: ClientConfig): TokenSet {
    const token = this.#manager.token(client.id);
    if (!token) throw new TokenDeskError('needs_signin', `${client.name} has no token: sign in first.`);
    return token;
  }

  /** Every secret value of a client, so a masked view can hide them wherever they appear. */
  #knownSecrets(clientId: string): string[] {
    const values: (string | null | undefined)[] = [];
    try {
      const secrets = this.#secrets(clientId);
      values.push(secrets.clientSecret, secrets.password);
    } catch {
      // An undecryptable secret has nothing to mask.
    }
    const token = this.#manager.token(clientId);
    if (token) values.push(token.accessToken, token.refreshToken, ...Object.values(token.cookies ?? {}));
    return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
  }

  #refresher(client: ClientConfig, secrets: ClientSecrets, current: TokenSet | null): Promise<TokenSet> {
    const kind = current && (current.refreshToken || current.cookies?.['refresh']) ? 'refresh' : 'issue';
    return this.#holds.run(
      client.id,
      () => this.#refreshOrIssue(client, secrets, current),
      (next, exchanges) =>
        securityChecks({ kind, urls: exchanges.map((exchange) => exchange.url), previous: current, next, requestedScope: client.scope }),
    );
  }

  #refreshOrIssue(client: ClientConfig, secrets: ClientSecrets, current: TokenSet | null): Promise<TokenSet> {
    const input = { client, secrets };
    if (current && (current.refreshToken || current.cookies?.['refresh'])) return refreshToken(this.#deps(), input, current);
    if (capabilitiesOf(client).issue) return issueToken(this.#deps(), input);
    if (!current) throw new TokenDeskError('needs_signin', `${client.name} is not signed in yet: sign in first.`);
    throw new TokenDeskError('needs_signin', `${client.name} has no refresh token: sign in again.`);
  }

  /**
   * Writes a new token to the client's sinks (or to one of them); failures become one notice per
   * client, cleared by the next write that succeeds. Returns the failure message, if any.
   */
  async #publish(clientId: string, token: TokenSet, onlySink?: string): Promise<string | null> {
    const client = this.#store.client(clientId);
    if (!client) return null;
    const sinks = (client.sinks ?? []).filter((sink) => onlySink === undefined || sink.id === onlySink);
    if (sinks.length === 0) return null;
    const failures = publishToSinks({ ...client, sinks }, token);
    const hadNotice = this.#store.document.notices.some((notice) => notice.clientId === clientId && notice.kind === 'sink_failed');
    if (failures.length === 0 && (!hadNotice || onlySink !== undefined)) return null;
    const notice: Notice | null = failures.length === 0 ? null : { id: randomUUID(), clientId, kind: 'sink_failed', message: failureNotice(client, failures), at: this.#now() };
    await this.#mutate((doc) => {
      doc.notices = doc.notices.filter((other) => other.clientId !== clientId || other.kind !== 'sink_failed');
      if (notice) doc.notices.push(notice);
    });
    this.#emit('notices');
    if (notice && !hadNotice && notificationEnabled(this.getSettings(), notice)) this.#options.notify?.(notice);
    return notice ? failures.map((failure) => failure.message).join('; ') : null;
  }

  #recordExchange(exchange: Exchange): void {
    if (!this.#store.client(exchange.clientId)) return;
    this.#manager
      .recordExchange(exchange.clientId, exchange)
      .catch((error: unknown) => console.error(`TokenDesk: an exchange could not be recorded: ${(error as Error).message}`));
  }

  /** Every write: under the cross-process lock, on the freshest document. */
  async #mutate(change: Parameters<TokenStore['update']>[0]): Promise<void> {
    await withLock(this.#options.dataDir, () => {
      this.#store.reload();
      this.#store.update(change);
    });
    this.#storeMtime = this.#mtime();
  }

  /** Another process (the command line) may have written the store: re-read it when it changed. */
  #refreshFromDisk(): void {
    const mtime = this.#mtime();
    if (mtime !== this.#storeMtime) {
      this.#store.reload();
      this.#storeMtime = mtime;
    }
  }

  #mtime(): number {
    try {
      return statSync(this.#store.path).mtimeMs;
    } catch {
      return 0;
    }
  }

  /** First run: ready-made sandbox clients; later runs: sandbox clients follow the sandbox's address. */
  async #adoptSandbox(url: string): Promise<void> {
    const doc = this.#store.document;
    const sandboxClients = doc.clients.filter((client) => client.sandbox);
    if (doc.clients.length === 0 && !doc.settings.sandboxSeeded) {
      for (const preset of sandboxClientPresets(url)) {
        const { clientSecret, ...input } = preset;
        const view = await this.createClient({ ...input, clientSecret });
        await this.#mutate((next) => {
          const created = next.clients.find((client) => client.id === view.config.id);
          if (created) created.sandbox = true;
        });
      }
      await this.setSettings({ sandboxSeeded: true });
    } else if (sandboxClients.some((client) => !client.baseUrl.startsWith(url))) {
      await this.#mutate((next) => {
        for (const client of next.clients) {
          if (client.sandbox) client.baseUrl = rebase(client.baseUrl, url);
        }
      });
    }
  }
}

/** A generic client without a base URL takes its token URL's origin. */
function genericOrigin(input: ClientInput): string | null {
  try {
    return input.provider === 'oauth2' && input.generic ? new URL(input.generic.tokenUrl).origin : null;
  } catch {
    return null;
  }
}

function notificationEnabled(settings: Settings, notice: Notice): boolean {
  const { needsSignIn, refreshFailing, refreshTokenExpiring } = settings.notifications;
  const kinds: Record<Notice['kind'], boolean> = {
    needs_signin: needsSignIn,
    refresh_failing: refreshFailing,
    refresh_token_expiring: refreshTokenExpiring,
    sink_failed: refreshFailing,
    info: true,
  };
  return kinds[notice.kind];
}

/** The same path on another origin: sandbox clients keep their path when the sandbox's port changes. */
function rebase(address: string, origin: string): string {
  try {
    const url = new URL(address);
    const target = new URL(origin);
    url.protocol = target.protocol;
    url.host = target.host;
    return url.href.replace(/\/$/, '');
  } catch {
    return origin;
  }
}
