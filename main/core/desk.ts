/**
 * TokenDesk's core, a facade: it composes the vault (stored data, main/tokens/vault.ts), the token
 * manager (refresh lifecycle), the OAuth flows (main/oauth) and the views every door shows. Plain
 * Node: the Electron shell, the e2e harness, the agent socket and the standalone command line all
 * drive this one class.
 */
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import { settingsSchema, type ClientInput, type Settings, type SinkInput } from '../model/schemas';
import type { AppInfo, ClientConfig, ClientView, CopyFormat, DeviceSignInView, Exchange, Notice, ProviderInfo, ServerMetadata, TokenDetail, TokenSet } from '../model/types';
import type { ImportSource } from '../import';
import type { ImportPreview } from '../import/types';
import { createHttpClient, type HttpClient } from '../oauth/http';
import { revokeToken, signOut } from '../oauth/flows';
import { capabilitiesOf, providerInfos } from '../oauth/presets';
import { discoverMetadata, discoveryInput, type DiscoveryNetwork } from '../oauth/standards/discovery';
import { LEASE_MARGIN_MS } from '../tokens/lease';
import { TokenManager } from '../tokens/manager';
import { Vault, type ClientRecord } from '../tokens/vault';
import type { DeskApi, DeskOptions, PendingSignInView, SinkResult } from './desk-api';
import { checkedRefresher, recordExchange } from './checked';
import { appInfo } from './detail';
import { DeviceSignIns } from './device';
import { ClientEditor } from './editing';
import { DeskEvents, notificationEnabled, type DeskEvent } from './events';
import { ExchangeHolds } from './exchange-hold';
import { PendingImports, type ApplyImportOptions } from './importing';
import { adoptSandbox } from './sandbox-clients';
import { PendingSignIns, type SignInContext } from './signin';
import { addSink, publish, removeSink, type SinkContext } from './sinks';
import { TokenCalls } from './token-calls';
import { recordView } from './views';

export class TokenDesk implements DeskApi {
  readonly #options: DeskOptions;
  readonly #vault: Vault;
  readonly #http: HttpClient;
  readonly #manager: TokenManager;
  readonly #events: DeskEvents;
  readonly #signIns: PendingSignIns;
  readonly #devices: DeviceSignIns;
  readonly #imports: PendingImports;
  readonly #sinks: SinkContext;
  readonly #calls: TokenCalls;
  readonly #editor: ClientEditor;
  readonly #holds: ExchangeHolds;
  readonly #now: () => number;

  private constructor(options: DeskOptions, vault: Vault) {
    this.#options = options;
    this.#vault = vault;
    this.#now = options.now ?? Date.now;
    this.#editor = new ClientEditor(vault, this.#now);
    this.#holds = new ExchangeHolds((exchange) => recordExchange(vault, exchange));
    const timeoutMs = () => options.httpTimeoutMs ?? this.getSettings().requestTimeoutSeconds * 1000;
    this.#http = createHttpClient({
      onExchange: (exchange) => this.#holds.offer(exchange),
      limits: () => ({ timeoutMs: timeoutMs(), maxResponseBytes: this.getSettings().maxResponseKiB * 1024 }),
    });
    this.#events = new DeskEvents({
      buildViews: () => vault.records().map((record) => recordView(vault, this.#manager, record, this.#now())),
      revision: () => vault.revision,
      notices: () => vault.notices(),
      now: this.#now,
      background: options.background ?? false,
    });
    const signIn: SignInContext = {
      client: (ref) => vault.config(this.#record(ref).id),
      input: (client) => this.#input(client),
      deps: () => this.#deps(),
      token: (clientId) => this.#manager.token(clientId),
      holds: this.#holds,
      save: (clientId, token) => this.#manager.saveToken(clientId, token),
      now: this.#now,
    };
    this.#signIns = new PendingSignIns(signIn);
    this.#devices = new DeviceSignIns(signIn);
    this.#imports = new PendingImports(vault, this.#editor, this.#now);
    const notify = (notice: Notice) => void (notificationEnabled(this.getSettings(), notice) && options.notify?.(notice));
    this.#sinks = { vault, now: this.#now, changed: () => this.#events.emit('notices'), notify };
    this.#manager = new TokenManager({
      vault,
      now: this.#now,
      background: options.background ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
      refresher: checkedRefresher(this.#holds, this.#deps(), { client: (id) => (vault.record(id) ? vault.config(id) : null), validToken: (id) => this.validToken(id) }),
      leaseMs: () => timeoutMs() + LEASE_MARGIN_MS,
      onTokenSaved: async (clientId, token) => void (await publish(this.#sinks, clientId, token)),
      onChange: () => this.#events.emit('clients'),
      notify: (notice) => {
        this.#events.emit('notices');
        notify(notice);
      },
    });
    this.#calls = new TokenCalls({ vault, manager: this.#manager, deps: () => this.#deps(), input: (client) => this.#input(client), validToken: (id) => this.validToken(id) });
  }

  static async open(options: DeskOptions): Promise<TokenDesk> {
    const vault = await Vault.open(options);
    const desk = new TokenDesk(options, vault);
    if (options.sandboxUrl) {
      await adoptSandbox(vault, options.sandboxUrl, options.sandboxSeeds ?? [], (input) => desk.#editor.create(input, { sandbox: true }));
    }
    desk.#manager.start();
    return desk;
  }

  info(): AppInfo {
    return appInfo(this.#vault, { version: this.#options.version ?? '0.0.0', sandboxUrl: this.#options.sandboxUrl ?? null });
  }

  providers(): ProviderInfo[] {
    return providerInfos();
  }

  /** Built once per change and shared by every door (IPC, tray, agent). */
  listClients(): ClientView[] {
    this.#vault.refresh();
    return this.#events.views();
  }

  getClient(ref: string): ClientView {
    this.#vault.refresh();
    const record = this.#record(ref);
    return this.#events.views().find((view) => view.config.id === record.id) ?? recordView(this.#vault, this.#manager, record, this.#now());
  }

  getSettings(): Settings {
    return this.#vault.settings();
  }

  notices(): Notice[] {
    return this.#vault.notices();
  }

  async exchanges(ref: string, reveal: boolean): Promise<Exchange[]> {
    this.#vault.refresh();
    return this.#calls.exchanges(this.#record(ref).id, reveal);
  }

  async reveal(ref: string, which: 'access' | 'refresh'): Promise<string> {
    return this.#calls.reveal(this.#record(ref).id, which);
  }

  async tokenDetail(ref: string, reveal: boolean): Promise<TokenDetail | null> {
    return this.#calls.tokenDetail(this.#record(ref).id, reveal);
  }

  copyText(ref: string, format: CopyFormat): Promise<string> {
    return this.#calls.copyText(this.#record(ref).id, format);
  }

  async createClient(input: ClientInput): Promise<ClientView> {
    const id = await this.#editor.create(input);
    this.#events.emit('clients');
    return this.getClient(id);
  }

  /** Edits a client; a client whose settings or secret were damaged is repaired this way. */
  async updateClient(ref: string, input: ClientInput): Promise<ClientView> {
    const id = await this.#editor.update(this.#record(ref), input);
    this.#manager.reschedule(id);
    this.#events.emit('clients');
    return this.getClient(id);
  }

  async duplicateClient(ref: string): Promise<ClientView> {
    const id = await this.#editor.duplicate(this.#record(ref).id);
    this.#events.emit('clients');
    return this.getClient(id);
  }

  async removeClient(ref: string): Promise<void> {
    const { id } = this.#record(ref);
    this.#manager.forget(id);
    this.#signIns.forget(id);
    this.#devices.cancel(id);
    await this.#vault.transaction(() => this.#vault.removeClient(id));
    this.#events.signedOut(id);
    this.#events.emit('clients');
  }

  async exportClients(refs: string[] | undefined, includeSecrets: boolean): Promise<string> {
    return this.#editor.export(refs?.map((ref) => this.#record(ref)), includeSecrets);
  }

  async importClients(json: string): Promise<ClientView[]> {
    const ids = await this.#editor.import(json);
    this.#events.emit('clients');
    return ids.map((id) => this.getClient(id));
  }

  /** Import from other tools: the preview first (nothing saved), then the chosen clients. */
  async previewImport(source: ImportSource): Promise<ImportPreview> {
    return this.#imports.preview(source);
  }

  async applyImport(id: string, options: ApplyImportOptions = {}): Promise<ClientView[]> {
    const ids = await this.#imports.apply(id, options);
    this.#events.emit('clients');
    return ids.map((created) => this.getClient(created));
  }

  /** Adds a sink and, when the client has a token, writes it there at once. */
  async addSink(ref: string, input: SinkInput): Promise<SinkResult> {
    const record = this.#record(ref);
    const added = await addSink(this.#sinks, record, input, this.#manager.token(record.id));
    this.#events.emit('clients');
    return { client: this.getClient(record.id), ...added };
  }

  async removeSink(ref: string, sinkRef: string): Promise<ClientView> {
    const record = this.#record(ref);
    await removeSink(this.#sinks, record, sinkRef);
    this.#events.emit('clients');
    return this.getClient(record.id);
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.getSettings(), ...patch });
    await this.#vault.transaction(() => this.#vault.update((doc) => void (doc.settings = next)));
    this.#events.emit('settings');
    return next;
  }

  async dismissNotice(id: string): Promise<void> {
    await this.#vault.transaction(() => this.#vault.update((doc) => void (doc.notices = doc.notices.filter((notice) => notice.id !== id))));
    this.#events.emit('notices');
  }

  async issue(ref: string): Promise<ClientView> {
    const client = this.#vault.config(this.#record(ref).id);
    if (!capabilitiesOf(client).issue) {
      throw new TokenDeskError('unsupported', msg('issue_signs_in_browser', { name: client.name }));
    }
    await this.#manager.refresh(client.id, { force: true, fresh: true });
    return this.getClient(client.id);
  }

  beginSignIn(ref: string, opts: { redirectUri?: string; reconsent?: boolean } = {}): Promise<PendingSignInView> {
    return this.#signIns.begin(ref, opts);
  }

  async completeSignIn(ref: string, callbackUrl: string): Promise<ClientView> {
    return this.getClient(await this.#signIns.complete(ref, callbackUrl));
  }

  /** RFC 8628: the user code and verification URI to show; the device code stays in the desk. */
  beginDeviceSignIn(ref: string): Promise<DeviceSignInView> {
    return this.#devices.begin(ref);
  }

  async completeDeviceSignIn(ref: string): Promise<ClientView> {
    return this.getClient(await this.#devices.complete(ref));
  }

  cancelDeviceSignIn(ref: string): void {
    this.#devices.cancel(this.#record(ref).id);
  }

  introspect(ref: string, which: 'access' | 'refresh' = 'access'): Promise<Record<string, unknown>> {
    return this.#calls.introspect(this.#record(ref).id, which);
  }

  async refresh(ref: string): Promise<ClientView> {
    const { id } = this.#record(ref);
    await this.#manager.refresh(id, { force: true });
    return this.getClient(id);
  }

  async validToken(ref: string, opts: { minValidMs?: number } = {}): Promise<TokenSet> {
    this.#vault.refresh();
    return this.#manager.validToken(this.#record(ref).id, opts);
  }

  async revoke(ref: string): Promise<ClientView> {
    return this.#endSession(ref, revokeToken);
  }

  async signOut(ref: string): Promise<ClientView> {
    return this.#endSession(ref, signOut);
  }

  userInfo(ref: string): Promise<unknown> {
    return this.#calls.userInfo(this.#record(ref).id);
  }

  /** RFC 8414 / OpenID Connect Discovery for a client not created yet (editor, `clients add --issuer`). */
  async discover(issuer: string, network: DiscoveryNetwork = {}): Promise<ServerMetadata> {
    return discoverMetadata(this.#deps(), discoveryInput(issuer, network), issuer);
  }

  /** Reads a discovered client's metadata again: endpoints and supported methods follow the server. */
  async refreshDiscovery(ref: string): Promise<ClientView> {
    const id = await this.#editor.rediscover(this.#record(ref).id, this.#deps());
    this.#events.emit('clients');
    return this.getClient(id);
  }

  /** `tokendesk headers`: Authorization (and a fresh DPoP proof) for one request, with a valid token. */
  requestHeaders(ref: string, request: { method?: string; url?: string | null }): Promise<string[]> {
    return this.#calls.requestHeaders(this.#record(ref).id, request, this.#now());
  }

  onChange(listener: (event: DeskEvent) => void): () => void {
    return this.#events.on(listener);
  }

  /** The shell clears an OAuth window's cookies when a client signs out, is revoked or removed. */
  onDeviceInterval(listener: (event: { clientId: string; intervalMs: number }) => void): () => void {
    return this.#devices.onInterval(listener);
  }

  onSignOut(listener: (clientId: string) => void): () => void {
    return this.#events.onSignOut(listener);
  }

  /** After sleep, or when the wall clock jumped: every due time is looked at again. */
  resume(): void {
    this.#manager.resume();
  }

  async close(): Promise<void> {
    this.#manager.stop();
    this.#events.close();
  }

  #record(ref: string): ClientRecord {
    const record = this.#vault.record(ref);
    if (!record) throw new TokenDeskError('not_found', msg('client_not_found', { ref }));
    return record;
  }

  #input(client: ClientConfig) {
    return { client, secrets: this.#vault.secrets(client.id) };
  }

  #deps() {
    return { http: this.#http, now: this.#now };
  }

  /** Sign-out and revoke: tell the provider when there is a token, then forget it here. */
  async #endSession(ref: string, end: typeof revokeToken): Promise<ClientView> {
    const { id } = this.#record(ref);
    await this.#calls.endSession(id, end);
    this.#events.signedOut(id);
    return this.getClient(id);
  }
}
