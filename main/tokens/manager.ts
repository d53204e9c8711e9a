/**
 * TokenManager: the token lifecycle the core delegates to. Reading, saving and refreshing tokens,
 * single-flight per client inside a process, one refresh per client across processes (the refresh
 * lease, lease.ts), retries for transient failures, "sign in again" for the rest (outcomes.ts),
 * and the refresh schedule. Stored data is the vault's (vault.ts): this class never opens or seals
 * a value itself. The OAuth exchange is the injected `refresher` (refresher.ts in the app).
 */
import { reasonOf, TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { ClientConfig, ClientSecrets, Notice, TokenSet } from '../model/types';
import { LEASE_MARGIN_MS, leasePause, releaseLease, takeLease, type Lease } from './lease';
import { isSignInError, isTransient, markNeedsSignIn, recordFailure, warnRefreshExpiry, type NoticeSink } from './outcomes';
import { assertNewToken, CallCeiling, ceilingError, scheduledRetryDelay } from './refresh-guard';
import { RefreshScheduler, lastsFor, refreshDueAt, type SchedulerClock } from './scheduler';
import type { Vault } from './vault';

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
export { FAILING_NOTICE_AFTER } from './outcomes';
/** A scheduled refresh never comes sooner than this after the previous one (expires_in: 0 would loop). */
export const MIN_REFRESH_INTERVAL_MS = 30_000;
const DAY_MS = 86_400_000;
const WARN_PREFIX = 'refresh-token-expiry:';

export interface TokenManagerOptions {
  vault: Vault;
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

export class TokenManager {
  readonly #vault: Vault;
  readonly #scheduler: RefreshScheduler | null;
  readonly #now: () => number;
  readonly #refresher: Refresher;
  readonly #onChange: (clientId: string) => void;
  readonly #notes: NoticeSink;
  readonly #backoff: BackoffPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #inflight = new Map<string, Promise<TokenSet>>();
  readonly #ceiling: CallCeiling;
  readonly #leaseMs: () => number;
  readonly #onTokenSaved: (clientId: string, token: TokenSet) => Promise<void>;
  /** Tokens written inside the current transaction, handed to onTokenSaved once it is over. */
  readonly #written = new Map<string, TokenSet>();

  constructor(opts: TokenManagerOptions) {
    this.#vault = opts.vault;
    this.#scheduler = opts.scheduler ?? (opts.background ? new RefreshScheduler(opts.clock ? { clock: opts.clock } : {}) : null);
    this.#now = opts.now ?? Date.now;
    this.#refresher = opts.refresher;
    this.#onChange = opts.onChange ?? (() => undefined);
    this.#notes = { now: () => this.#now(), notify: opts.notify ?? (() => undefined) };
    this.#onTokenSaved = opts.onTokenSaved ?? (async () => undefined);
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = opts.random ?? Math.random;
    this.#ceiling = new CallCeiling(opts.callsPerMinute);
    this.#leaseMs = opts.leaseMs ?? (() => 30_000 + LEASE_MARGIN_MS);
    this.#scheduler?.setOnDue((key) => this.#onDue(key));
  }

  /** Schedules every client in the store (app start, agent start). */
  start(): void {
    this.#vault.refresh();
    for (const record of this.#vault.records()) this.reschedule(record.id);
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
  }

  isRefreshing(clientId: string): boolean {
    return this.#inflight.has(clientId);
  }

  /** When the next scheduled refresh runs, null when none is scheduled. */
  dueAt(clientId: string): number | null {
    return this.#scheduler?.nextDue(clientId) ?? null;
  }

  /**
   * The stored token, or null when there is none. A token that cannot be read reads as none (so
   * one damaged client never breaks a list) and marks the client "sign in again".
   */
  token(clientId: string): TokenSet | null {
    this.#vault.refresh();
    try {
      return this.#vault.token(clientId);
    } catch (error) {
      if (this.#vault.record(clientId) && !this.#vault.status(clientId).needsSignIn) {
        this.#markNeedsSignIn(clientId, error).catch(() => undefined);
      }
      return null;
    }
  }

  /** Saves a token (after sign-in or issue): clears needsSignIn and schedules the next refresh. */
  async saveToken(clientId: string, token: TokenSet): Promise<void> {
    await this.#vault.transaction(() => {
      this.#vault.config(clientId);
      this.#writeToken(clientId, token);
    });
    await this.#afterSave(clientId);
  }

  /** Forgets the token (sign-out, revoke). */
  async clearToken(clientId: string): Promise<void> {
    await this.#vault.transaction(() => this.#vault.clearToken(clientId));
    this.reschedule(clientId);
    this.#onChange(clientId);
  }

  /**
   * A token that is valid now: the stored one while it is outside its refresh lead time, else a
   * refreshed (or re-issued) one. When a refresh fails for a passing reason and the stored token
   * has not expired yet, the stored token is returned. `minValidMs` (`tokendesk token
   * --min-valid`): a token expiring within that time is refreshed first, lead time or not.
   */
  async validToken(clientId: string, opts: { minValidMs?: number } = {}): Promise<TokenSet> {
    this.#vault.refresh();
    const client = this.#vault.config(clientId);
    this.#throwIfNeedsSignIn(client);
    let current: TokenSet | null;
    try {
      current = this.#vault.token(clientId);
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
    const record = this.#vault.record(clientId);
    if (!record || record.damage || this.#vault.status(clientId).needsSignIn) return;
    const client = record.config;
    let token: TokenSet | null;
    try {
      token = this.#vault.token(clientId);
    } catch {
      return;
    }
    if (!token) return;
    if (client.autoRefresh) {
      const due = refreshDueAt(token, client.refreshPolicy);
      if (due !== null) scheduler.schedule(clientId, Math.max(due, Math.min(token.issuedAt, this.#now()) + MIN_REFRESH_INTERVAL_MS));
    }
    const warnAt = this.#refreshWarnAt(token);
    if (warnAt !== null && !this.#vault.hasNotice(clientId, 'refresh_token_expiring')) scheduler.schedule(WARN_PREFIX + clientId, warnAt);
  }

  async #refreshWithRetries(clientId: string, mode: RefreshMode): Promise<TokenSet> {
    this.#vault.refresh();
    const seen = this.#vault.tokenStamp(clientId);
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
  async #refreshOnce(clientId: string, mode: RefreshMode, seen: unknown): Promise<TokenSet> {
    const start = await this.#beginRefresh(clientId, mode, seen);
    if ('token' in start) return start.token;
    const { lease, client, secrets, current } = start;
    const dataDir = this.#vault.dataDir;
    const giveBack = () => this.#vault.transaction(() => releaseLease(dataDir, lease)).catch(() => undefined);
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
    return this.#vault
      .transaction(() => {
        this.#vault.config(clientId);
        this.#writeToken(clientId, token);
        releaseLease(dataDir, lease);
        return token;
      })
      .catch(async (error: unknown) => {
        await giveBack();
        throw error;
      });
  }

  /** Under the lock: the stored token when it will do, else the lease; another process's lease is waited out. */
  async #beginRefresh(
    clientId: string,
    mode: RefreshMode,
    seen: unknown,
  ): Promise<{ token: TokenSet } | { lease: Lease; client: ClientConfig; secrets: ClientSecrets; current: TokenSet | null }> {
    const vault = this.#vault;
    for (;;) {
      const step = await vault.transaction(() => {
        const client = vault.config(clientId);
        if (!mode.fresh) this.#throwIfNeedsSignIn(client);
        const current = mode.fresh ? null : vault.token(clientId);
        const changedElsewhere = vault.tokenStamp(clientId) !== seen;
        if (current && (!mode.force || changedElsewhere) && this.#isFresh(client, current, mode.minValidMs)) return { token: current };
        const secrets = vault.secrets(clientId);
        const taken = takeLease(vault.dataDir, clientId, this.#now(), this.#leaseMs());
        if ('busyUntil' in taken) return taken;
        const call = this.#ceiling.take(clientId, this.#now());
        if (!call.ok) {
          releaseLease(vault.dataDir, taken.lease);
          throw ceilingError(client.name, this.#ceiling.perMinute, call.retryAt);
        }
        return { lease: taken.lease, client, secrets, current };
      });
      if (!('busyUntil' in step)) return step;
      // Another process is refreshing this client: wait for its result, not on the lock.
      await leasePause();
    }
  }

  /** Inside a transaction; the token is handed to onTokenSaved once the transaction is over. */
  #writeToken(clientId: string, token: TokenSet): void {
    this.#written.set(clientId, token);
    this.#vault.writeToken(clientId, token);
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
    await markNeedsSignIn(this.#vault, clientId, error, this.#notes);
    this.#scheduler?.cancel(clientId);
    this.#onChange(clientId);
  }

  async #recordFailure(clientId: string, error: unknown): Promise<void> {
    await recordFailure(this.#vault, clientId, error, this.#notes);
    this.#onChange(clientId);
  }

  async #warnRefreshExpiry(clientId: string): Promise<void> {
    await warnRefreshExpiry(this.#vault, clientId, (token) => this.#refreshWarnAt(token), this.#notes);
    this.#onChange(clientId);
  }

  #refreshWarnAt(token: TokenSet): number | null {
    if (token.refreshExpiresAt === null) return null;
    return token.refreshExpiresAt - this.#vault.settings().notifications.refreshTokenWarnDays * DAY_MS;
  }

  #onDue(key: string): void {
    if (key.startsWith(WARN_PREFIX)) {
      void this.#warnRefreshExpiry(key.slice(WARN_PREFIX.length)).catch(() => undefined);
      return;
    }
    this.refresh(key).catch(() => {
      const status = this.#vault.status(key);
      if (status.needsSignIn || !this.#vault.record(key)) return;
      this.#scheduler?.schedule(key, this.#now() + scheduledRetryDelay(status.failures));
    });
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

  #throwIfNeedsSignIn(client: ClientConfig): void {
    const status = this.#vault.status(client.id);
    if (!status.needsSignIn) return;
    const text = status.lastError
      ? msg('needs_signin_again_because', { name: client.name, reason: reasonOf(status.lastError) })
      : msg('needs_signin_again', { name: client.name });
    throw new TokenDeskError('needs_signin', text);
  }
}
