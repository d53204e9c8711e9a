/**
 * What the renderer knows of main: clients, providers, settings, notices, app info, and the
 * network actions in flight. Filled by the first load, kept current by main's events.
 */
import type { AppInfo, ClientInput, CopyFormat, Notice, ProviderInfo, Settings, TokenDeskApi } from '../../../main/ipc/contract';
import type { ClientView, ErrorInfo, ImportPreview, ServerMetadata, SinkResult } from '../../../main/ipc/contract';
import type { ChannelInput } from '../../../main/ipc/contract';
import { errorInfo, unwrap } from './api';
import { browserDoor } from './door';
import type { Message } from './messages';

export type ImportSource = ChannelInput<'import:preview'>;
export type SinkInput = ChannelInput<'sinks:add'>['sink'];

export type ActionKind = 'issue' | 'refresh' | 'revoke' | 'signIn' | 'signOut' | 'userInfo' | 'reconsent' | 'complete';

/** The outcome of the last action, as a message the view translates (main's words stay data). */
export interface Announcement {
  id: number;
  message: Message;
  kind: 'done' | 'error';
}

/** A sign-in in progress: how it runs, and the authorization page once main has told us. */
export interface PendingSignIn {
  mode: 'window' | 'browser';
  authorizeUrl: string | null;
  /** Main waits for the user to paste the address the browser was sent to. */
  paste: boolean;
}

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
  /** clientId → the sign-in that waits for the user (window, browser, pasted address). */
  signingIn = $state<Record<string, PendingSignIn>>({});
  userInfo = $state.raw<Record<string, unknown>>({});
  /** Bumped after every action, so open views re-read exchanges and token details. */
  revision = $state(0);
  announcement = $state.raw<Announcement | null>(null);

  byId: Map<string, ClientView> = $derived(new Map(this.clients.map((client) => [client.config.id, client])));

  #unsubscribe: (() => void)[] = [];
  #announceId = 0;
  #revisionListeners = new Set<() => void>();

  constructor(readonly api: TokenDeskApi) {}

  /** Calls `listener` after every action and every change main announces (open views re-read). */
  onRevision(listener: () => void): () => void {
    this.#revisionListeners.add(listener);
    return () => this.#revisionListeners.delete(listener);
  }

  #bump(): void {
    this.revision++;
    for (const listener of this.#revisionListeners) listener();
  }

  async load(): Promise<void> {
    this.#unsubscribe.push(
      this.api.on('clients:changed', (clients) => {
        this.clients = clients;
        this.#bump();
      }),
      this.api.on('notices:changed', (notices) => (this.notices = notices)),
      // Every waiting sign-in announces its page; only a browser one takes a pasted address.
      this.api.on('auth:awaitingPaste', ({ clientId, authorizeUrl, mode }) => {
        this.signingIn[clientId] = { mode: mode ?? 'browser', authorizeUrl, paste: mode !== 'window' };
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

  announce(message: Message, kind: Announcement['kind'] = 'done'): void {
    this.announcement = { id: ++this.#announceId, message, kind };
  }

  /** Announces a failure (translated by the view) and returns it for the caller to keep. */
  fail(error: unknown): ErrorInfo {
    const info = errorInfo(error);
    this.announce({ error: info }, 'error');
    return info;
  }

  #replace(view: ClientView): void {
    const index = this.clients.findIndex((client) => client.config.id === view.config.id);
    this.clients = index < 0 ? [...this.clients, view] : this.clients.with(index, view);
  }

  /** Runs one network action for a client: marks it busy, records its error, announces the outcome. */
  async run(clientId: string, kind: ActionKind, work: () => Promise<unknown>, doneKey?: DoneKey): Promise<boolean> {
    if (this.busy[clientId]) return false;
    this.busy[clientId] = kind;
    try {
      const value = await work();
      if (isClientView(value)) this.#replace(value);
      delete this.errors[clientId];
      const name = this.byId.get(clientId)?.config.name ?? '';
      if (doneKey) this.announce({ key: doneKey, params: { name } });
      return true;
    } catch (error) {
      this.errors[clientId] = this.fail(error);
      // A failure returns no view: read the list again so the state shown is main's latest.
      await this.reloadClients();
      return false;
    } finally {
      delete this.busy[clientId];
      delete this.signingIn[clientId];
      this.#bump();
    }
  }

  issue = (clientId: string) => this.run(clientId, 'issue', () => unwrap(this.api.tokenIssue({ clientId })), 'done.issue');
  refresh = (clientId: string) => this.run(clientId, 'refresh', () => unwrap(this.api.tokenRefresh({ clientId })), 'done.refresh');
  revoke = (clientId: string) => this.run(clientId, 'revoke', () => unwrap(this.api.tokenRevoke({ clientId })), 'done.revoke');
  /** 'window': main's OAuth window; 'browser': the system browser (loopback, or paste the address). */
  signIn = (clientId: string, mode: 'window' | 'browser' = 'window') => {
    if (this.busy[clientId]) return Promise.resolve(false);
    this.signingIn[clientId] = { mode, authorizeUrl: null, paste: false };
    return this.run(clientId, 'signIn', () => unwrap(this.api.authSignIn({ clientId, mode })), 'done.signIn');
  };
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
      delete this.signingIn[clientId];
    } catch (error) {
      this.errors[clientId] = this.fail(error);
    }
  }

  /** "Open again": main opens the sign-in page in the browser once more, or a fresh sign-in window. */
  async reopenSignIn(clientId: string): Promise<void> {
    try {
      await unwrap(this.api.authReopen({ clientId }));
    } catch (error) {
      this.fail(error);
    }
  }

  /** "Copy link": main puts the sign-in page's address on the desktop's clipboard; a browser tab writes its own. */
  async copySignInLink(clientId: string): Promise<void> {
    try {
      const link = await unwrap(this.api.authCopyLink({ clientId }));
      if (browserDoor) await navigator.clipboard.writeText(link);
      this.announce({ key: 'done.linkCopied' });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Main ends the waiting sign-in; its run then settles as cancelled and clears the panel. */
  async cancelSignIn(clientId: string): Promise<void> {
    delete this.signingIn[clientId];
    try {
      await unwrap(this.api.authCancel({ clientId }));
    } catch (error) {
      this.fail(error);
    }
  }

  /** The token goes from main to the clipboard directly; the renderer never holds it. */
  async copy(clientId: string, format: CopyFormat): Promise<void> {
    try {
      await unwrap(this.api.tokenCopy({ clientId, format }));
      const seconds = this.settings?.clipboardClearSeconds ?? 0;
      this.announce(seconds > 0 ? { key: 'done.copied', params: { seconds } } : { key: 'done.copiedNoClear' });
    } catch (error) {
      this.fail(error);
    }
  }

  async create(input: ClientInput): Promise<ClientView> {
    const view = await unwrap(this.api.clientsCreate(input));
    this.#replace(view);
    this.announce({ key: 'done.created', params: { name: view.config.name } });
    return view;
  }

  async update(clientId: string, input: ClientInput): Promise<ClientView> {
    const view = await unwrap(this.api.clientsUpdate({ clientId, input }));
    this.#replace(view);
    this.announce({ key: 'done.saved', params: { name: view.config.name } });
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
      this.announce({ key: 'done.rediscovered', params: { name: view.config.name } });
    } catch (error) {
      this.fail(error);
    }
  }

  async duplicate(clientId: string): Promise<ClientView | null> {
    try {
      const view = await unwrap(this.api.clientsDuplicate({ clientId }));
      this.#replace(view);
      this.announce({ key: 'done.duplicated', params: { name: view.config.name } });
      return view;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  async remove(clientId: string): Promise<void> {
    const name = this.byId.get(clientId)?.config.name ?? '';
    try {
      await unwrap(this.api.clientsRemove({ clientId }));
      this.clients = this.clients.filter((client) => client.config.id !== clientId);
      this.announce({ key: 'done.deleted', params: { name } });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Main reads the files and seals any secret in them at once; nothing is saved until applyImport. */
  previewImport(source: ImportSource): Promise<ImportPreview> {
    return unwrap(this.api.importPreview(source));
  }

  async applyImport(id: string, only: number[], secrets: Record<string, { clientSecret?: string; password?: string }>): Promise<ClientView[]> {
    const views = await unwrap(this.api.importApply({ id, only, secrets }));
    for (const view of views) this.#replace(view);
    this.announce({ key: 'done.imported', params: { count: views.length } });
    return views;
  }

  /** Adds a sink; the answer says whether the current token was written to it, and why not. */
  async addSink(clientId: string, sink: SinkInput): Promise<SinkResult> {
    const result = await unwrap(this.api.sinksAdd({ clientId, sink }));
    this.#replace(result.client);
    return result;
  }

  async removeSink(clientId: string, sinkId: string): Promise<void> {
    try {
      this.#replace(await unwrap(this.api.sinksRemove({ clientId, sinkId })));
    } catch (error) {
      this.fail(error);
    }
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
      this.fail(error);
    }
  }

  async dismissNotice(id: string): Promise<void> {
    const before = this.notices;
    this.notices = this.notices.filter((notice) => notice.id !== id);
    try {
      await unwrap(this.api.noticesDismiss({ id }));
    } catch (error) {
      this.notices = before;
      this.fail(error);
    }
  }
}

type DoneKey = 'done.issue' | 'done.refresh' | 'done.revoke' | 'done.signIn' | 'done.signOut' | 'done.reconsent';

function isClientView(value: unknown): value is ClientView {
  return typeof value === 'object' && value !== null && 'config' in value && 'capabilities' in value;
}
