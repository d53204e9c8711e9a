/**
 * What the renderer knows of main: clients, providers, settings, notices, app info, and the
 * network actions in flight. Filled by the first load, kept current by main's events.
 */
import type { AppInfo, ClientInput, CopyFormat, Notice, ProviderInfo, Settings, TokenDeskApi } from '../../../main/ipc/contract';
import type { ClientView, ErrorInfo, ServerMetadata } from '../../../main/ipc/contract';
import { errorInfo, unwrap } from './api';
import type { MessageKey } from './i18n/en';

export type ActionKind = 'issue' | 'refresh' | 'revoke' | 'signIn' | 'signOut' | 'userInfo' | 'reconsent' | 'complete';

export interface Announcement {
  id: number;
  text: string;
  kind: 'done' | 'error';
}

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export class Desk {
  clients = $state.raw<ClientView[]>([]);
  providers = $state.raw<ProviderInfo[]>([]);
  settings = $state.raw<Settings | null>(null);
  info = $state.raw<AppInfo | null>(null);
  notices = $state.raw<Notice[]>([]);
  loaded = $state(false);
  loadError = $state.raw<ErrorInfo | null>(null);
  /** clientId → the network action running for it. */
  busy = $state<Record<string, ActionKind>>({});
  /** clientId → the error of its last action (cleared by the next success). */
  errors = $state<Record<string, ErrorInfo>>({});
  /** clientId → authorize URL, while sign-in waits for the pasted address. */
  awaitingPaste = $state<Record<string, string>>({});
  userInfo = $state.raw<Record<string, unknown>>({});
  /** Bumped after every action, so open views re-read exchanges and token details. */
  revision = $state(0);
  announcement = $state.raw<Announcement | null>(null);

  byId: Map<string, ClientView> = $derived(new Map(this.clients.map((client) => [client.config.id, client])));

  #unsubscribe: (() => void)[] = [];
  #announceId = 0;

  constructor(
    readonly api: TokenDeskApi,
    private readonly t: Translate,
  ) {}

  async load(): Promise<void> {
    this.#unsubscribe.push(
      this.api.on('clients:changed', (clients) => {
        this.clients = clients;
        this.revision++;
      }),
      this.api.on('notices:changed', (notices) => (this.notices = notices)),
      this.api.on('auth:awaitingPaste', ({ clientId, authorizeUrl }) => {
        this.awaitingPaste[clientId] = authorizeUrl;
      }),
    );
    try {
      const [info, providers, settings, notices, clients] = await Promise.all([
        unwrap(this.api.appInfo()),
        unwrap(this.api.providersList()),
        unwrap(this.api.settingsGet()),
        unwrap(this.api.noticesList()),
        unwrap(this.api.clientsList()),
      ]);
      this.info = info;
      this.providers = providers;
      this.settings = settings;
      this.notices = notices;
      this.clients = clients;
    } catch (error) {
      this.loadError = errorInfo(error);
    }
    this.loaded = true;
  }

  async reloadClients(): Promise<void> {
    try {
      this.clients = await unwrap(this.api.clientsList());
    } catch {
      // The next 'clients:changed' brings the list.
    }
  }

  dispose(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  announce(text: string, kind: Announcement['kind'] = 'done'): void {
    this.announcement = { id: ++this.#announceId, text, kind };
  }

  #replace(view: ClientView): void {
    const index = this.clients.findIndex((client) => client.config.id === view.config.id);
    this.clients = index < 0 ? [...this.clients, view] : this.clients.with(index, view);
  }

  /** Runs one network action for a client: marks it busy, records its error, announces the outcome. */
  async run(clientId: string, kind: ActionKind, work: () => Promise<unknown>, doneKey?: MessageKey): Promise<boolean> {
    if (this.busy[clientId]) return false;
    this.busy[clientId] = kind;
    try {
      const value = await work();
      if (isClientView(value)) this.#replace(value);
      delete this.errors[clientId];
      const name = this.byId.get(clientId)?.config.name ?? '';
      if (doneKey) this.announce(this.t(doneKey, { name }));
      return true;
    } catch (error) {
      const info = errorInfo(error);
      this.errors[clientId] = info;
      this.announce(info.providerMessage ?? info.message, 'error');
      // A failure returns no view: read the list again so the state shown is main's latest.
      await this.reloadClients();
      return false;
    } finally {
      delete this.busy[clientId];
      delete this.awaitingPaste[clientId];
      this.revision++;
    }
  }

  issue = (clientId: string) => this.run(clientId, 'issue', () => unwrap(this.api.tokenIssue({ clientId })), 'done.issue');
  refresh = (clientId: string) => this.run(clientId, 'refresh', () => unwrap(this.api.tokenRefresh({ clientId })), 'done.refresh');
  revoke = (clientId: string) => this.run(clientId, 'revoke', () => unwrap(this.api.tokenRevoke({ clientId })), 'done.revoke');
  /** 'window': main's OAuth window; 'browser': the system browser (loopback, or paste the address). */
  signIn = (clientId: string, mode: 'window' | 'browser' = 'window') =>
    this.run(clientId, 'signIn', () => unwrap(this.api.authSignIn({ clientId, mode })), 'done.signIn');
  signOut = (clientId: string) => this.run(clientId, 'signOut', () => unwrap(this.api.authSignOut({ clientId })), 'done.signOut');
  reconsent = (clientId: string) =>
    this.run(clientId, 'reconsent', () => unwrap(this.api.authReconsent({ clientId })), 'done.reconsent');
  fetchUserInfo = (clientId: string) =>
    this.run(clientId, 'userInfo', async () => {
      const info = await unwrap(this.api.authUserInfo({ clientId }));
      this.userInfo = { ...this.userInfo, [clientId]: info };
    });

  /** Paste mode: hands the address to main, which finishes the sign-in that is still running. */
  async completeSignIn(clientId: string, callbackUrl: string): Promise<void> {
    try {
      const view = await unwrap(this.api.authComplete({ clientId, callbackUrl }));
      this.#replace(view);
      delete this.awaitingPaste[clientId];
    } catch (error) {
      const info = errorInfo(error);
      this.errors[clientId] = info;
      this.announce(info.providerMessage ?? info.message, 'error');
    }
  }

  async cancelSignIn(clientId: string): Promise<void> {
    delete this.awaitingPaste[clientId];
    try {
      await unwrap(this.api.authCancel({ clientId }));
    } catch (error) {
      this.announce(errorInfo(error).message, 'error');
    }
  }

  /** The token goes from main to the clipboard directly; the renderer never holds it. */
  async copy(clientId: string, format: CopyFormat): Promise<void> {
    try {
      await unwrap(this.api.tokenCopy({ clientId, format }));
      const seconds = this.settings?.clipboardClearSeconds ?? 0;
      this.announce(seconds > 0 ? this.t('done.copied', { seconds }) : this.t('done.copiedNoClear'));
    } catch (error) {
      const info = errorInfo(error);
      this.announce(info.providerMessage ?? info.message, 'error');
    }
  }

  async create(input: ClientInput): Promise<ClientView> {
    const view = await unwrap(this.api.clientsCreate(input));
    this.#replace(view);
    this.announce(this.t('done.created', { name: view.config.name }));
    return view;
  }

  async update(clientId: string, input: ClientInput): Promise<ClientView> {
    const view = await unwrap(this.api.clientsUpdate({ clientId, input }));
    this.#replace(view);
    this.announce(this.t('done.saved', { name: view.config.name }));
    return view;
  }

  /** RFC 8414 / OpenID Connect Discovery of an issuer (the editor's Discover button). */
  discover(issuer: string, network: { proxy?: string | null; caCertificates?: string | null } = {}): Promise<ServerMetadata> {
    return unwrap(this.api.clientsDiscover({ issuer, ...network }));
  }

  async refreshDiscovery(clientId: string): Promise<void> {
    try {
      const view = await unwrap(this.api.clientsRefreshDiscovery({ clientId }));
      this.#replace(view);
      this.announce(this.t('done.rediscovered', { name: view.config.name }));
    } catch (error) {
      this.announce(errorInfo(error).message, 'error');
    }
  }

  async duplicate(clientId: string): Promise<ClientView | null> {
    try {
      const view = await unwrap(this.api.clientsDuplicate({ clientId }));
      this.#replace(view);
      this.announce(this.t('done.duplicated', { name: view.config.name }));
      return view;
    } catch (error) {
      this.announce(errorInfo(error).message, 'error');
      return null;
    }
  }

  async remove(clientId: string): Promise<void> {
    const name = this.byId.get(clientId)?.config.name ?? '';
    try {
      await unwrap(this.api.clientsRemove({ clientId }));
      this.clients = this.clients.filter((client) => client.config.id !== clientId);
      this.announce(this.t('done.deleted', { name }));
    } catch (error) {
      this.announce(errorInfo(error).message, 'error');
    }
  }

  async importClients(json: string): Promise<ClientView[]> {
    const views = await unwrap(this.api.clientsImport({ json }));
    for (const view of views) this.#replace(view);
    this.announce(this.t('done.imported', { count: views.length }));
    return views;
  }

  exportClients(includeSecrets: boolean, clientIds?: string[]): Promise<string> {
    return unwrap(this.api.clientsExport(clientIds ? { clientIds, includeSecrets } : { includeSecrets }));
  }

  async saveSettings(patch: Partial<Settings>): Promise<void> {
    const before = this.settings;
    // Shown at once (a language switch must not wait for the disk); main's answer is the truth.
    if (before) this.settings = { ...before, ...patch };
    try {
      this.settings = await unwrap(this.api.settingsSet(patch));
    } catch (error) {
      this.settings = before;
      this.announce(errorInfo(error).message, 'error');
    }
  }

  async dismissNotice(id: string): Promise<void> {
    const before = this.notices;
    this.notices = this.notices.filter((notice) => notice.id !== id);
    try {
      await unwrap(this.api.noticesDismiss({ id }));
    } catch (error) {
      this.notices = before;
      this.announce(errorInfo(error).message, 'error');
    }
  }
}

function isClientView(value: unknown): value is ClientView {
  return typeof value === 'object' && value !== null && 'config' in value && 'capabilities' in value;
}
