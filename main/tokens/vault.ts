/**
 * The vault: the one owner of stored data. Clients, their sealed secrets and their tokens are read,
 * checked (zod), opened and sealed here, and every write runs under one transaction helper (the
 * data-directory lock, on the freshest document). Nothing outside main/tokens opens a secret.
 *
 * Damage stays where it is (issue #11, item 2): each client is read and opened lazily and on its
 * own. A client whose settings, client secret or token cannot be read carries a ClientDamage that
 * says which; it can still be listed, edited, re-entered and removed, and every other client reads
 * on. Opened values are cached by their sealed text (sealed values never change in place), so a
 * list decrypts each value once, not once per view.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_REFRESH_POLICY } from '../model/defaults';
import { TokenDeskError } from '../model/errors';
import { format, msg, type MessageText } from '../model/messages';
import { clientConfigSchema, clientSecretsSchema, describeIssue, tokenSetSchema, type Settings } from '../model/schemas';
import type { ClientConfig, ClientDamage, ClientSecrets, DamageKind, Exchange, Notice, TokenSet } from '../model/types';
import { ExchangeLog } from './exchange-log';
import { fsyncDir } from './files';
import { withLock, type LockOptions } from './lock';
import { KEY_FILE_NAME, openKeyring, type Keychain, type Keyring } from './secrets';
import { STORE_NAME, TokenStore, type ClientStatus, type StoreBackendFactory, type StoreDocument, type StoreRecovery } from './store';

/** One client as read: its settings (salvaged field by field when damaged) and what is wrong. */
export interface ClientRecord {
  id: string;
  config: ClientConfig;
  /** Settings damage, found when the client is read; secret and token damage are found when opened. */
  damage: ClientDamage | null;
}

export interface VaultOpenOptions {
  dataDir: string;
  /** The OS keychain (Electron's safeStorage); absent under plain Node: the key lives in a 0600 file. */
  keychain?: Keychain | null;
  /** electron-store in the app; conf by default. */
  storeFactory?: StoreBackendFactory;
  /** When the key is gone (key_missing): move the old store aside (kept, not deleted) and begin an empty one. Nothing happens when the key is there. */
  startOver?: boolean;
  lock?: LockOptions;
}

const NO_SECRETS: ClientSecrets = { clientSecret: null, password: null };
const NO_STATUS: ClientStatus = { needsSignIn: false, lastError: null, failures: 0 };
const EPOCH = new Date(0).toISOString();
const CLIENT_ID = /^[\w-]{1,200}$/;

type Opened<T> = { ok: true; value: T } | { ok: false; error: TokenDeskError };

export class Vault {
  readonly dataDir: string;
  readonly #store: TokenStore;
  readonly #keyring: Keyring;
  readonly #lock: LockOptions;
  readonly #exchangeLog: ExchangeLog;
  #records: { revision: number; list: ClientRecord[] } | null = null;
  readonly #opened = new Map<string, Opened<unknown>>();
  #startedOver: string | null = null;

  constructor(opts: { dataDir: string; store: TokenStore; keyring: Keyring; lock?: LockOptions }) {
    this.dataDir = path.resolve(opts.dataDir);
    this.#store = opts.store;
    this.#keyring = opts.keyring;
    this.#lock = opts.lock ?? {};
    this.#exchangeLog = new ExchangeLog(this.dataDir);
  }

  /**
   * Opens the store and its key. A store that holds sealed values while its key file is gone is
   * NOT given a new key (that would turn every secret into noise for good): it fails with
   * `key_missing` and is kept as it is, unless the caller asks to start over.
   */
  static async open(opts: VaultOpenOptions): Promise<Vault> {
    const dataDir = path.resolve(opts.dataDir);
    const openStore = () => TokenStore.open({ dataDir, ...(opts.storeFactory ? { backend: opts.storeFactory } : {}) });
    let store = openStore();
    const keyPath = path.join(dataDir, KEY_FILE_NAME);
    let startedOver: string | null = null;
    if (!fs.existsSync(keyPath) && holdsSealedValues(store.document)) {
      if (!opts.startOver) throw new TokenDeskError('storage', msg('key_missing', { keyPath }));
      startedOver = startOver(dataDir);
      store = openStore();
    }
    const keyring = await openKeyring({ dataDir, keychain: opts.keychain ?? null });
    const vault = new Vault({ dataDir, store, keyring, ...(opts.lock ? { lock: opts.lock } : {}) });
    vault.#startedOver = startedOver;
    return vault;
  }

  /** Where the old store went when this run started over without its key; null otherwise. */
  get startedOver(): string | null {
    return this.#startedOver;
  }

  get keyProtection(): Keyring['protection'] {
    return this.#keyring.protection;
  }
  get keyWarning(): string | null {
    return this.#keyring.warning;
  }
  /** Set when the store file could not be read and was moved aside. */
  get recovered(): StoreRecovery | null {
    return this.#store.recovered;
  }
  /** Changes whenever the document does (a write here, or another process's write once re-read). */
  get revision(): number {
    return this.#store.revision;
  }

  /** Re-reads the store when another process changed it (a stat when it did not). */
  refresh(): void {
    this.#store.reload();
  }

  /** Every write: under the cross-process lock, on the freshest document. Nested calls share the lock. */
  transaction<T>(fn: () => T | Promise<T>): Promise<T> {
    return withLock(
      this.dataDir,
      () => {
        this.#store.reload();
        return fn();
      },
      this.#lock,
    );
  }

  // ---- clients -----------------------------------------------------------------------------------

  /** Every client, in stored order; checked once per document revision. */
  records(): ClientRecord[] {
    const revision = this.#store.revision;
    if (this.#records?.revision !== revision) {
      this.#records = { revision, list: this.#store.document.clients.map(readClient) };
    }
    return this.#records.list;
  }

  /** By id, or by unique name. */
  record(ref: string): ClientRecord | null {
    const list = this.records();
    return list.find((record) => record.id === ref) ?? list.find((record) => record.config.name === ref) ?? null;
  }

  /** A client's settings for a provider call: throws for an unknown client or damaged settings. */
  config(clientId: string): ClientConfig {
    const record = this.record(clientId);
    if (!record) throw new TokenDeskError('not_found', msg('client_not_found', { ref: clientId }));
    if (record.damage) throw new TokenDeskError('storage', record.damage.text);
    return record.config;
  }

  names(): Set<string> {
    return new Set(this.records().map((record) => record.config.name));
  }

  /** Adds a client, or replaces the one with the same id; `secrets` undefined keeps the sealed ones. */
  putClient(config: ClientConfig, secrets: ClientSecrets | undefined, opts: { forgetToken?: boolean; resetStatus?: boolean } = {}): void {
    const doc = this.#store.document;
    if (this.records().some((record) => record.config.name === config.name && record.id !== config.id)) {
      throw new TokenDeskError('conflict', msg('client_name_taken', { name: config.name }));
    }
    const sealed = secrets === undefined ? undefined : this.#keyring.seal(JSON.stringify(secrets));
    const index = doc.clients.findIndex((raw) => recordId(raw) === config.id);
    this.update((next) => {
      if (index === -1) next.clients.push(config);
      else next.clients[index] = config;
      if (sealed !== undefined) next.secrets[config.id] = sealed;
      if (opts.forgetToken) delete next.tokens[config.id];
      if (opts.forgetToken || opts.resetStatus) delete next.status[config.id];
    });
  }

  /** A copy of a client under a new id and name, with the same sealed secrets (never opened here). */
  copyClient(sourceId: string, copy: ClientConfig): void {
    const sealed = this.#store.document.secrets[sourceId];
    this.update((doc) => {
      doc.clients.push(copy);
      if (sealed !== undefined) doc.secrets[copy.id] = sealed;
    });
  }

  /** Removes a client and everything kept for it, its exchange history included. */
  removeClient(clientId: string): void {
    this.update((doc) => {
      doc.clients = doc.clients.filter((raw) => recordId(raw) !== clientId);
      delete doc.secrets[clientId];
      delete doc.tokens[clientId];
      delete doc.status[clientId];
      doc.notices = doc.notices.filter((notice) => notice.clientId !== clientId);
    });
    if (CLIENT_ID.test(clientId)) this.#exchangeLog.remove(clientId);
  }

  // ---- secrets and tokens ------------------------------------------------------------------------

  /** The client's secrets; throws (damage_secret) when they cannot be opened. */
  secrets(clientId: string): ClientSecrets {
    const opened = this.#openSecrets(clientId);
    if (!opened.ok) throw opened.error;
    return opened.value;
  }

  /** The secrets when they open, none when they do not: what an edit starts from (the user re-enters them). */
  readableSecrets(clientId: string): ClientSecrets {
    const opened = this.#openSecrets(clientId);
    return opened.ok ? opened.value : NO_SECRETS;
  }

  /** True when a client secret is stored and opens. */
  hasSecret(clientId: string): boolean {
    const opened = this.#openSecrets(clientId);
    return opened.ok && opened.value.clientSecret !== null;
  }

  /** Secrets held in memory for a while (an import preview): sealed here, opened by `unsealSecrets`. */
  sealSecrets(secrets: ClientSecrets): string {
    return this.#keyring.seal(JSON.stringify(secrets));
  }

  unsealSecrets(sealed: string): ClientSecrets {
    return clientSecretsSchema.parse(JSON.parse(this.#keyring.open(sealed))) as ClientSecrets;
  }

  /** The stored token, null when there is none; throws (damage_token) when it cannot be read. */
  token(clientId: string): TokenSet | null {
    const sealed = this.#store.document.tokens[clientId];
    if (sealed === undefined) return null;
    const opened = this.#open(sealed, tokenSetSchema, this.#damageError(clientId, 'token'));
    if (!opened.ok) throw opened.error;
    return opened.value as TokenSet;
  }

  /** What of a client cannot be read: its settings first, then its secret, then its token. */
  damage(clientId: string): ClientDamage | null {
    const record = this.record(clientId);
    if (record?.damage) return record.damage;
    if (!this.#openSecrets(clientId).ok) return this.#damage(clientId, 'secret');
    const sealed = this.#store.document.tokens[clientId];
    if (sealed !== undefined && !this.#open(sealed, tokenSetSchema, this.#damageError(clientId, 'token')).ok) return this.#damage(clientId, 'token');
    return null;
  }

  /** Something that changes whenever the client's stored token does (another process refreshed it). */
  tokenStamp(clientId: string): unknown {
    return this.#store.document.tokens[clientId];
  }

  /** Saves a token: clears the client's sign-in state and the notices it settles. Inside a transaction. */
  writeToken(clientId: string, token: TokenSet): void {
    const sealed = this.#keyring.seal(JSON.stringify(token));
    this.update((doc) => {
      doc.tokens[clientId] = sealed;
      doc.status[clientId] = { ...NO_STATUS };
      doc.notices = doc.notices.filter(
        (notice) => notice.clientId !== clientId || (notice.kind !== 'needs_signin' && notice.kind !== 'refresh_failing' && notice.kind !== 'refresh_token_expiring'),
      );
    });
  }

  /** Forgets the token (sign-out, revoke) and what was said about it. */
  clearToken(clientId: string): void {
    this.update((doc) => {
      delete doc.tokens[clientId];
      delete doc.status[clientId];
      doc.notices = doc.notices.filter((notice) => notice.clientId !== clientId || notice.kind === 'info');
    });
  }

  // ---- status, notices, settings -----------------------------------------------------------------

  status(clientId: string): ClientStatus {
    return this.#store.document.status[clientId] ?? NO_STATUS;
  }

  settings(): Settings {
    return this.#store.document.settings;
  }

  notices(): Notice[] {
    return [...this.#store.document.notices];
  }

  hasNotice(clientId: string, kind: Notice['kind']): boolean {
    return this.#store.document.notices.some((notice) => notice.clientId === clientId && notice.kind === kind);
  }

  /** Applies a change to the document and writes it. Callers hold a transaction. */
  update(change: (doc: StoreDocument) => void): void {
    this.#store.update(change);
  }

  // ---- exchanges ---------------------------------------------------------------------------------

  async recordExchange(clientId: string, exchange: Exchange): Promise<void> {
    if (!this.record(clientId)) return;
    const sealed = this.#keyring.seal(JSON.stringify(exchange));
    await withLock(this.dataDir, () => this.#exchangeLog.append(clientId, sealed), this.#lock);
  }

  /** The recorded exchanges, oldest first; one that cannot be opened is left out. */
  exchanges(clientId: string): Exchange[] {
    const out: Exchange[] = [];
    for (const sealed of this.#exchangeLog.read(clientId)) {
      try {
        out.push(JSON.parse(this.#keyring.open(sealed)) as Exchange);
      } catch {
        // Tampered or sealed with a lost key: the history is a convenience, the rest stays readable.
      }
    }
    return out;
  }

  // ---- internals ---------------------------------------------------------------------------------

  #openSecrets(clientId: string): Opened<ClientSecrets> {
    const sealed = this.#store.document.secrets[clientId];
    if (sealed === undefined) return { ok: true, value: NO_SECRETS };
    return this.#open(sealed, clientSecretsSchema, this.#damageError(clientId, 'secret')) as Opened<ClientSecrets>;
  }

  #open<T>(sealed: unknown, schema: { safeParse(value: unknown): { success: boolean; data?: T } }, damaged: (cause: unknown) => TokenDeskError): Opened<T> {
    const key = typeof sealed === 'string' ? sealed : null;
    const cached = key === null ? undefined : this.#opened.get(key);
    if (cached) return cached as Opened<T>;
    let result: Opened<T>;
    try {
      if (key === null) throw new Error('not a sealed value');
      const parsed = schema.safeParse(JSON.parse(this.#keyring.open(key)));
      if (!parsed.success) throw new Error('the opened value has the wrong shape');
      result = { ok: true, value: parsed.data as T };
    } catch (cause) {
      result = { ok: false, error: damaged(cause) };
    }
    if (key !== null) {
      // Old sealed values are garbage once replaced: keep the cache about the size of the store.
      if (this.#opened.size > 4 * this.#store.document.clients.length + 64) this.#opened.clear();
      this.#opened.set(key, result);
    }
    return result;
  }

  #damage(clientId: string, kind: DamageKind, reason = 'changed on disk, or sealed with another key'): ClientDamage {
    const name = this.record(clientId)?.config.name ?? clientId;
    const text: MessageText = kind === 'secret' ? msg('damage_secret', { name }) : msg(kind === 'token' ? 'damage_token' : 'damage_settings', { name, reason });
    return { kind, message: format(text), text };
  }

  #damageError(clientId: string, kind: DamageKind): (cause: unknown) => TokenDeskError {
    return (cause) => new TokenDeskError('needs_signin', this.#damage(clientId, kind).text, { cause });
  }
}

/** A stored client's id: its own when usable, else one derived from its content (so it can be removed). */
function recordId(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && CLIENT_ID.test(id)) return id;
  return `damaged-${createHash('sha256').update(JSON.stringify(raw) ?? 'undefined').digest('hex').slice(0, 12)}`;
}

function readClient(raw: unknown): ClientRecord {
  const parsed = clientConfigSchema.safeParse(raw);
  if (parsed.success) return { id: parsed.data.id, config: parsed.data as ClientConfig, damage: null };
  const config = salvage(raw);
  const text = msg('damage_settings', { name: config.name, reason: describeIssue(parsed.error) });
  return { id: config.id, config, damage: { kind: 'settings', message: format(text), text } };
}

/** The fields of a damaged client that still pass the schema, defaults for the rest: enough to show and edit it. */
function salvage(raw: unknown): ClientConfig {
  const id = recordId(raw);
  const config: ClientConfig = {
    id,
    name: id,
    provider: 'oauth2',
    baseUrl: '',
    clientId: '',
    redirectUri: null,
    scope: null,
    env: null,
    platform: null,
    podRefreshForm: 'body',
    generic: null,
    autoRefresh: false,
    refreshPolicy: DEFAULT_REFRESH_POLICY,
    sandbox: false,
    createdAt: EPOCH,
    updatedAt: EPOCH,
  };
  if (raw === null || typeof raw !== 'object') return config;
  const fields = raw as Record<string, unknown>;
  const target = config as unknown as Record<string, unknown>;
  for (const [key, schema] of Object.entries(clientConfigSchema.shape)) {
    if (key === 'id' || key === 'autoRefresh') continue;
    const field = schema.safeParse(fields[key]);
    if (field.success) target[key] = field.data;
  }
  return config;
}

function holdsSealedValues(doc: StoreDocument): boolean {
  return Object.keys(doc.secrets).length > 0 || Object.keys(doc.tokens).length > 0;
}

/** The key is gone: the old store (and its sealed history) is moved aside, never deleted. Returns the store's new path. */
function startOver(dataDir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const moved = (name: string) => {
    const ext = path.extname(name);
    return path.join(dataDir, `${path.basename(name, ext)}.keyless-${stamp}${ext}`);
  };
  for (const name of [`${STORE_NAME}.json`, 'exchanges']) {
    const from = path.join(dataDir, name);
    if (fs.existsSync(from)) fs.renameSync(from, moved(name));
  }
  fsyncDir(dataDir);
  return moved(`${STORE_NAME}.json`);
}
