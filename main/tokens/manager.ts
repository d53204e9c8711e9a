/**
 * TokenManager: the token lifecycle the core delegates to. Reading, saving and refreshing tokens,
 * single-flight per client inside a process, one refresh at a time per data directory across
 * processes (withLock + reload), retries for transient failures, "sign in again" for the rest,
 * and the refresh schedule. The OAuth exchange itself is the injected `refresher`.
 */
import { randomUUID } from 'node:crypto';
import { isoInstant } from '../model/dates';
import { reasonOf, TokenDeskError, toErrorInfo } from '../model/errors';
import { format, msg, type MessageText } from '../model/messages';
import type { ClientConfig, ClientSecrets, Exchange, Notice, TokenSet } from '../model/types';
import { ExchangeLog } from './exchange-log';
import { LEASE_MARGIN_MS, leasePause, releaseLease, takeLease, type Lease } from './lease';
import { withLock, type LockOptions } from './lock';
import { assertNewToken, CallCeiling, ceilingError, isNoNewToken, scheduledRetryDelay } from './refresh-guard';
import { RefreshScheduler, lastsFor, refreshDueAt, type SchedulerClock } from './scheduler';
import type { Keyring } from './secrets';
import type { StoreDocument, TokenStore } from './store';

/**
 * Gets a new token set for a client: refresh with `current.refreshToken` when there is one,
 * otherwise re-issue (client credentials) or throw needs_signin; the refresher decides.
 */
export type Refresher = (client: ClientConfig, secrets: ClientSecrets, current: TokenSet | null) => Promise<TokenSet>;

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 4 };
/** Consecutive failed refreshes before a 'refresh_failing' notice. */
export const FAILING_NOTICE_AFTER = 3;
/** A scheduled refresh never comes sooner than this after the previous one (expires_in: 0 would loop). */
export const MIN_REFRESH_INTERVAL_MS = 30_000;
const DAY_MS = 86_400_000;
const WARN_PREFIX = 'refresh-token-expiry:';

export interface TokenManagerOptions {
  store: TokenStore;
  keyring: Keyring;
  dataDir: string;
  /** A scheduler to drive; or set `background` and the manager makes one on `clock`. */
  scheduler?: RefreshScheduler;
  /** Refresh on a schedule (the app, the agent). False for one-shot use (standalone command line). */
  background?: boolean;
  clock?: SchedulerClock;
  now?: () => number;
  refresher: Refresher;
  onChange?: (clientId: string) => void;
  /** After a new token is on disk (issue, sign-in, refresh): the sinks. Its failures are its own to report. */
  onTokenSaved?: (clientId: string, token: TokenSet) => Promise<void>;
  /** Every new notice, once it is in the store (the caller decides which reach the OS, per Settings.notifications). */
  notify?: (notice: Notice) => void;
  backoff?: Partial<BackoffPolicy>;
  lock?: LockOptions;
  /** Injected for tests; defaults to setTimeout and Math.random. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Provider calls one client may make per minute (refresh-guard.ts). */
  callsPerMinute?: number;
  /** How long a refresh lease lives: the request deadline plus a margin (lease.ts). */
  leaseMs?: () => number;
}

interface RefreshMode {
  force: boolean;
  fresh: boolean;
  /** A stored token counts as fresh only when it lasts this long (validToken's minValidMs). */
  minValidMs: number;
}

const NO_SECRETS: ClientSecrets = { clientSecret: null, password: null };

export class TokenManager {
  readonly #store: TokenStore;
  readonly #keyring: Keyring;
  readonly #dataDir: string;
  readonly #scheduler: RefreshScheduler | null;
  readonly #now: () => number;
  readonly #refresher: Refresher;
  readonly #onChange: (clientId: string) => void;
  readonly #notify: (notice: Notice) => void;
  readonly #backoff: BackoffPolicy;
  readonly #lock: LockOptions;
  readonly #exchangeLog: ExchangeLog;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #inflight = new Map<string, Promise<TokenSet>>();
  readonly #ceiling: CallCeiling;
  readonly #leaseMs: () => number;
  readonly #onTokenSaved: (clientId: string, token: TokenSet) => Promise<void>;
  /** Tokens written inside the current transaction, handed to onTokenSaved once it is over. */
  readonly #written = new Map<string, TokenSet>();

  constructor(opts: TokenManagerOptions) {
    this.#store = opts.store;
    this.#exchangeLog = new ExchangeLog(opts.dataDir);
    this.#keyring = opts.keyring;
    this.#dataDir = opts.dataDir;
    this.#scheduler = opts.scheduler ?? (opts.background ? new RefreshScheduler(opts.clock ? { clock: opts.clock } : {}) : null);
    this.#now = opts.now ?? Date.now;
    this.#refresher = opts.refresher;
    this.#onChange = opts.onChange ?? (() => undefined);
    this.#notify = opts.notify ?? (() => undefined);
    this.#onTokenSaved = opts.onTokenSaved ?? (async () => undefined);
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#lock = opts.lock ?? {};
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = opts.random ?? Math.random;
    this.#ceiling = new CallCeiling(opts.callsPerMinute);
    this.#leaseMs = opts.leaseMs ?? (() => 30_000 + LEASE_MARGIN_MS);
    this.#scheduler?.setOnDue((key) => this.#onDue(key));
  }

  /** Schedules every client in the store (app start, agent start). */
  start(): void {
    this.#store.reload();
    for (const client of this.#store.document.clients) this.reschedule(client.id);
  }

  stop(): void {
    this.#scheduler?.stop();
  }

  /** After a system resume or a wall-clock jump: fires whatever is due now. */
  resume(): void {
    this.#scheduler?.reevaluate();
  }

  /** Before a client is removed: nothing of it stays scheduled. */
  forget(clientId: string): void {
    this.#scheduler?.cancel(clientId);
    this.#scheduler?.cancel(WARN_PREFIX + clientId);
    this.#ceiling.forget(clientId);
    this.#exchangeLog.remove(clientId);
  }

  isRefreshing(clientId: string): boolean {
    return this.#inflight.has(clientId);
  }

  /** When the next scheduled refresh runs, null when none is scheduled. */
  dueAt(clientId: string): number | null {
    return this.#scheduler?.nextDue(clientId) ?? null;
  }

  /**
   * The stored token, or null when there is none. A token that cannot be decrypted reads as none
   * (so one damaged client never breaks a list) and marks the client "sign in again".
   */
  token(clientId: string): TokenSet | null {
    this.#store.reload();
    const client = this.#client(clientId);
    try {
      return this.#readToken(client);
    } catch (error) {
      if (!this.#store.status(clientId).needsSignIn) {
        // Best effort: the read already answered "no token"; a failed write is retried on the next read.
        this.#markNeedsSignIn(clientId, error).catch(() => undefined);
      }
      return null;
    }
  }

  secrets(clientId: string): ClientSecrets {
    this.#store.reload();
    return this.#readSecrets(this.#client(clientId));
  }

  async saveSecrets(clientId: string, secrets: ClientSecrets): Promise<void> {
    await this.#transaction(() => {
      this.#client(clientId);
      this.#store.update((doc) => {
        doc.secrets[clientId] = this.#keyring.seal(JSON.stringify(secrets));
      });
    });
  }

  /** Saves a token (after sign-in or issue): clears needsSignIn and schedules the next refresh. */
  async saveToken(clientId: string, token: TokenSet): Promise<void> {
    await this.#transaction(() => {
      this.#client(clientId);
      this.#writeToken(clientId, token);
    });
    await this.#afterSave(clientId);
  }

  /** Forgets the token (sign-out, revoke). */
  async clearToken(clientId: string): Promise<void> {
    await this.#transaction(() => {
      this.#store.update((doc) => {
        delete doc.tokens[clientId];
        delete doc.status[clientId];
        doc.notices = doc.notices.filter((notice) => notice.clientId !== clientId || notice.kind === 'info');
      });
    });
    this.reschedule(clientId);
    this.#onChange(clientId);
  }

  async recordExchange(clientId: string, exchange: Exchange): Promise<void> {
    const sealed = this.#keyring.seal(JSON.stringify(exchange));
    await withLock(this.#dataDir, () => this.#exchangeLog.append(clientId, sealed), this.#lock);
  }

  /** The recorded exchanges, oldest first; one that cannot be decrypted is left out. */
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

  /**
   * A token that is valid now: the stored one while it is outside its refresh lead time, else a
   * refreshed (or re-issued) one. When a refresh fails for a passing reason and the stored token
   * has not expired yet, the stored token is returned. `minValidMs` (`tokendesk token
   * --min-valid`): a token expiring within that time is refreshed first, lead time or not.
   */
  async validToken(clientId: string, opts: { minValidMs?: number } = {}): Promise<TokenSet> {
    this.#store.reload();
    const client = this.#client(clientId);
    this.#throwIfNeedsSignIn(client);
    let current: TokenSet | null;
    try {
      current = this.#readToken(client);
    } catch (error) {
      await this.#markNeedsSignIn(clientId, error);
      throw error;
    }
    const minValidMs = opts.minValidMs ?? 0;
    if (current && this.#isFresh(client, current, minValidMs)) return current;
    try {
      return await this.refresh(clientId, { minValidMs });
    } catch (error) {
      if (current && !isSignInError(error) && (current.expiresAt === null || this.#now() < current.expiresAt)) return current;
      throw error;
    }
  }

  /**
   * Refreshes now. Concurrent callers share one request; across processes the data directory
   * lock serializes refreshes, and a token another process refreshed meanwhile is used as is
   * (without `force`: whenever the stored token is fresh; with `force`: only when it changed).
   * `fresh` (issue): the refresher gets current = null, a new grant rather than a refresh.
   */
  refresh(clientId: string, opts: { force?: boolean; fresh?: boolean; minValidMs?: number } = {}): Promise<TokenSet> {
    const running = this.#inflight.get(clientId);
    if (running) return running;
    const mode = { force: opts.force ?? opts.fresh ?? false, fresh: opts.fresh ?? false, minValidMs: opts.minValidMs ?? 0 };
    const promise = this.#refreshWithRetries(clientId, mode).finally(() => {
      this.#inflight.delete(clientId);
      // Once more after the flight has landed: a view taken inside it still said "refreshing".
      this.#onChange(clientId);
    });
    this.#inflight.set(clientId, promise);
    this.#onChange(clientId);
    return promise;
  }

  /** Re-reads a client's schedule: after its settings or its token changed elsewhere. */
  reschedule(clientId: string): void {
    const scheduler = this.#scheduler;
    if (!scheduler) return;
    scheduler.cancel(clientId);
    scheduler.cancel(WARN_PREFIX + clientId);
    const client = this.#store.client(clientId);
    if (!client || this.#store.status(clientId).needsSignIn) return;
    let token: TokenSet | null;
    try {
      token = this.#readToken(client);
    } catch {
      return;
    }
    if (!token) return;
    if (client.autoRefresh) {
      const due = refreshDueAt(token, client.refreshPolicy);
      if (due !== null) scheduler.schedule(clientId, Math.max(due, Math.min(token.issuedAt, this.#now()) + MIN_REFRESH_INTERVAL_MS));
    }
    const warnAt = this.#refreshWarnAt(token);
    if (warnAt !== null && !this.#hasNotice(clientId, 'refresh_token_expiring')) scheduler.schedule(WARN_PREFIX + clientId, warnAt);
  }

  async #refreshWithRetries(clientId: string, mode: RefreshMode): Promise<TokenSet> {
    this.#store.reload();
    const seen = this.#store.document.tokens[clientId];
    for (let attempt = 1; ; attempt++) {
      try {
        const token = await this.#refreshOnce(clientId, mode, seen);
        await this.#afterSave(clientId);
        return token;
      } catch (error) {
        // A rejected new grant (issue) means wrong credentials, not an expired sign-in.
        if (isSignInError(error) && !mode.fresh) {
          await this.#markNeedsSignIn(clientId, error);
          throw error;
        }
        // A manual issue/refresh answers at once; the scheduler and validToken() ride out a flap.
        if (isTransient(error) && !mode.force && attempt < this.#backoff.maxAttempts) {
          await this.#sleep(this.#backoffDelay(attempt));
          continue;
        }
        if (!(error instanceof TokenDeskError && error.code === 'storage')) await this.#recordFailure(clientId, error);
        throw error;
      }
    }
  }


  /**
   * One attempt. The lock is held to decide and to take the client's refresh lease (lease.ts), let
   * go for the provider call, and taken again to write: a slow provider holds up no reader, no
   * other client and no other process, while the lease keeps it to one refresh per client.
   */
  async #refreshOnce(clientId: string, mode: RefreshMode, seen: string | undefined): Promise<TokenSet> {
    const start = await this.#beginRefresh(clientId, mode, seen);
    if ('token' in start) return start.token;
    const { lease, client, secrets, current } = start;
    const giveBack = () => this.#transaction(() => releaseLease(this.#dataDir, lease)).catch(() => undefined);
    let next: TokenSet;
    try {
      next = await this.#refresher(client, secrets, current);
      if (current) assertNewToken(client.name, current, next);
    } catch (error) {
      await giveBack();
      throw error;
    }
    // Never lose a refresh token: a response without one keeps the old one (rotation is optional,
    // RFC 6749 §6), whatever the refresher already did.
    const keepOld = !next.refreshToken && current?.refreshToken;
    const token: TokenSet = keepOld
      ? { ...next, refreshToken: current.refreshToken, refreshExpiresAt: next.refreshExpiresAt ?? current.refreshExpiresAt }
      : next;
    // The write completes before the token is returned: a rotated refresh token is on disk first.
    return this.#transaction(() => {
      this.#client(clientId);
      this.#writeToken(clientId, token);
      releaseLease(this.#dataDir, lease);
      return token;
    }).catch(async (error: unknown) => {
      await giveBack();
      throw error;
    });
  }

  /** Under the lock: the stored token when it will do, else the lease; another process's lease is waited out. */
  async #beginRefresh(
    clientId: string,
    mode: RefreshMode,
    seen: string | undefined,
  ): Promise<{ token: TokenSet } | { lease: Lease; client: ClientConfig; secrets: ClientSecrets; current: TokenSet | null }> {
    for (;;) {
      const step = await this.#transaction(() => {
        const client = this.#client(clientId);
        if (!mode.fresh) this.#throwIfNeedsSignIn(client);
        const current = mode.fresh ? null : this.#readToken(client);
        const changedElsewhere = this.#store.document.tokens[clientId] !== seen;
        if (current && (!mode.force || changedElsewhere) && this.#isFresh(client, current, mode.minValidMs)) return { token: current };
        const secrets = this.#readSecrets(client);
        const taken = takeLease(this.#dataDir, clientId, this.#now(), this.#leaseMs());
        if ('busyUntil' in taken) return taken;
        const call = this.#ceiling.take(clientId, this.#now());
        if (!call.ok) {
          releaseLease(this.#dataDir, taken.lease);
          throw ceilingError(client.name, this.#ceiling.perMinute, call.retryAt);
        }
        return { lease: taken.lease, client, secrets, current };
      });
      if (!('busyUntil' in step)) return step;
      // Another process is refreshing this client: wait for its result, not on the lock.
      await leasePause();
    }
  }

  #writeToken(clientId: string, token: TokenSet): void {
    this.#written.set(clientId, token);
    const sealed = this.#keyring.seal(JSON.stringify(token));
    this.#store.update((doc) => {
      doc.tokens[clientId] = sealed;
      doc.status[clientId] = { needsSignIn: false, lastError: null, failures: 0 };
      doc.notices = doc.notices.filter(
        (notice) => notice.clientId !== clientId || (notice.kind !== 'needs_signin' && notice.kind !== 'refresh_failing' && notice.kind !== 'refresh_token_expiring'),
      );
    });
  }

  /** Outside the lock: a timer armed inside it would inherit the lock's async context. */
  async #afterSave(clientId: string): Promise<void> {
    this.reschedule(clientId);
    this.#onChange(clientId);
    const written = this.#written.get(clientId);
    this.#written.delete(clientId);
    // Awaited so a one-shot command exits only once its sinks are written; never fails the save.
    if (written) await this.#onTokenSaved(clientId, written).catch(() => undefined);
  }

  async #markNeedsSignIn(clientId: string, error: unknown): Promise<void> {
    const client = this.#store.client(clientId);
    const name = client?.name ?? clientId;
    const info = toErrorInfo(error);
    await this.#transaction(() => {
      if (!this.#store.client(clientId)) return;
      const failures = this.#store.status(clientId).failures + 1;
      this.#store.update((doc) => {
        doc.status[clientId] = { needsSignIn: true, lastError: info, failures };
        this.#addNotice(doc, clientId, 'needs_signin', msg('notice_needs_signin', { name, reason: reasonOf(info) }));
      });
    }).catch(() => undefined);
    this.#scheduler?.cancel(clientId);
    this.#onChange(clientId);
  }

  async #recordFailure(clientId: string, error: unknown): Promise<void> {
    const info = toErrorInfo(error);
    await this.#transaction(() => {
      const client = this.#store.client(clientId);
      if (!client) return;
      const failures = this.#store.status(clientId).failures + 1;
      this.#store.update((doc) => {
        doc.status[clientId] = { needsSignIn: false, lastError: info, failures };
        // A provider that answers "nothing new", or a refresh held back by the call ceiling, will
        // not mend within a few tries: the user hears of it at once.
        if (failures >= FAILING_NOTICE_AFTER || isNoNewToken(error) || info.code === 'rate_limited') {
          const text = failures === 1
            ? msg('notice_refresh_failed', { name: client.name, reason: reasonOf(info) })
            : msg('notice_refresh_failing', { name: client.name, failures, reason: reasonOf(info) });
          this.#addNotice(doc, clientId, 'refresh_failing', text);
        }
      });
    }).catch(() => undefined);
    this.#onChange(clientId);
  }

  async #warnRefreshExpiry(clientId: string): Promise<void> {
    await this.#transaction(() => {
      const client = this.#store.client(clientId);
      if (!client || this.#hasNotice(clientId, 'refresh_token_expiring')) return;
      const token = this.#readToken(client);
      const warnAt = token ? this.#refreshWarnAt(token) : null;
      if (!token?.refreshExpiresAt || warnAt === null || warnAt > this.#now()) return;
      const when = isoInstant(token.refreshExpiresAt) ?? '';
      this.#store.update((doc) =>
        this.#addNotice(doc, clientId, 'refresh_token_expiring', msg('notice_refresh_token_expiring', { name: client.name, when })),
      );
    });
    this.#onChange(clientId);
  }

  #refreshWarnAt(token: TokenSet): number | null {
    if (token.refreshExpiresAt === null) return null;
    return token.refreshExpiresAt - this.#store.document.settings.notifications.refreshTokenWarnDays * DAY_MS;
  }

  #onDue(key: string): void {
    if (key.startsWith(WARN_PREFIX)) {
      void this.#warnRefreshExpiry(key.slice(WARN_PREFIX.length)).catch(() => undefined);
      return;
    }
    this.refresh(key).catch(() => {
      const status = this.#store.status(key);
      if (status.needsSignIn || !this.#store.client(key)) return;
      this.#scheduler?.schedule(key, this.#now() + scheduledRetryDelay(status.failures));
    });
  }

  /** Replaces the client's notice of the same kind, and tells the OS when that kind is enabled. */
  #addNotice(doc: StoreDocument, clientId: string, kind: Notice['kind'], text: MessageText): void {
    const notice: Notice = { id: randomUUID(), clientId, kind, message: format(text), text, at: this.#now() };
    doc.notices = [...doc.notices.filter((n) => n.clientId !== clientId || n.kind !== kind), notice];
    // After the store write that holds it (update() writes right after this change returns).
    queueMicrotask(() => this.#notify(notice));
  }

  #hasNotice(clientId: string, kind: Notice['kind']): boolean {
    return this.#store.document.notices.some((notice) => notice.clientId === clientId && notice.kind === kind);
  }

  #backoffDelay(attempt: number): number {
    const capped = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (attempt - 1));
    // "Equal jitter": between half and all of the capped delay.
    return Math.round(capped / 2 + (capped / 2) * this.#random());
  }

  #isFresh(client: ClientConfig, token: TokenSet, minValidMs = 0): boolean {
    const due = refreshDueAt(token, client.refreshPolicy);
    return (due === null || this.#now() < due) && lastsFor(token, this.#now(), minValidMs);
  }

  #transaction<T>(fn: () => T | Promise<T>): Promise<T> {
    return withLock(
      this.#dataDir,
      () => {
        this.#store.reload();
        return fn();
      },
      this.#lock,
    );
  }

  #client(clientId: string): ClientConfig {
    const client = this.#store.client(clientId);
    if (!client) throw new TokenDeskError('not_found', `No client with id "${clientId}".`);
    return client;
  }

  #throwIfNeedsSignIn(client: ClientConfig): void {
    const status = this.#store.status(client.id);
    if (!status.needsSignIn) return;
    const text = status.lastError
      ? msg('needs_signin_again_because', { name: client.name, reason: reasonOf(status.lastError) })
      : msg('needs_signin_again', { name: client.name });
    throw new TokenDeskError('needs_signin', text);
  }

  #readToken(client: ClientConfig): TokenSet | null {
    const sealed = this.#store.document.tokens[client.id];
    if (sealed === undefined) return null;
    try {
      return JSON.parse(this.#keyring.open(sealed)) as TokenSet;
    } catch (cause) {
      throw new TokenDeskError('needs_signin', `The stored token of "${client.name}" could not be decrypted (changed on disk, or sealed with another key); sign in again.`, { cause });
    }
  }

  #readSecrets(client: ClientConfig): ClientSecrets {
    const sealed = this.#store.document.secrets[client.id];
    if (sealed === undefined) return NO_SECRETS;
    try {
      return JSON.parse(this.#keyring.open(sealed)) as ClientSecrets;
    } catch (cause) {
      throw new TokenDeskError('needs_signin', `The stored client secret of "${client.name}" could not be decrypted (changed on disk, or sealed with another key); enter it again in the client's settings.`, { cause });
    }
  }
}

/** invalid_grant, or a 400/401 rejection of a refresh (RFC 6749 §5.2): only signing in again helps. */
export function isSignInError(error: unknown): boolean {
  if (!(error instanceof TokenDeskError)) return false;
  if (error.code === 'invalid_grant' || error.code === 'needs_signin') return true;
  return error.code === 'provider_rejected' && (error.status === 400 || error.status === 401);
}

/** Worth another try: the network, a timeout, TLS, or a server error. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof TokenDeskError)) return false;
  if (error.code === 'network' || error.code === 'timeout' || error.code === 'tls') return true;
  return error.status !== undefined && error.status >= 500;
}
