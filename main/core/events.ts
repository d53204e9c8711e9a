/**
 * What the desk tells its doors (IPC, tray, agent) and when: 'clients' when a view may have
 * changed, 'notices' when the list of notices did, 'settings' when the settings were saved (the
 * shell applies some itself: launch at login). The client views are built once per change
 * and shared by every listener; the state timer ("expiring", "expired" arrive by time alone) is
 * armed from those views, each time they are rebuilt, never as a side effect of a read.
 */
import type { Settings } from '../model/schemas';
import type { ClientView, Notice } from '../model/types';
import { MAX_TIMER_MS } from '../tokens/scheduler';
import { nextStateChange } from './views';

export type DeskEvent = 'clients' | 'notices' | 'settings';

export interface DeskEventsOptions {
  /** Builds every client's view (the desk's #view over the vault). */
  buildViews(): ClientView[];
  /** Something that changes with the stored document (the vault's revision). */
  revision(): number;
  notices(): Notice[];
  now(): number;
  /** Arm the state timer (the app and the agent); one-shot CLI use does not. */
  background: boolean;
}

export class DeskEvents {
  readonly #options: DeskEventsOptions;
  readonly #listeners = new Set<(event: DeskEvent) => void>();
  readonly #signOutListeners = new Set<(clientId: string) => void>();
  #views: { key: string; list: ClientView[] } | null = null;
  /** Bumped by every change the store does not see (a refresh in flight, a state reached by time). */
  #generation = 0;
  #noticeStamp = '';
  #stateTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: DeskEventsOptions) {
    this.#options = options;
    this.#noticeStamp = this.#noticeSignature();
  }

  /**
   * The views of every client, rebuilt only after a change. Without the state timer (one-shot
   * command line use) nothing would mark a change by time alone, so those views are always fresh.
   */
  views(): ClientView[] {
    const key = this.#options.background ? `${this.#options.revision()}:${this.#generation}` : `${Math.random()}`;
    if (this.#views?.key !== key) {
      this.#views = { key, list: this.#options.buildViews() };
      this.#armStateTimer(this.#views.list);
    }
    return this.#views.list;
  }

  /** The shell clears an OAuth window's cookies when a client signs out, is revoked or removed. */
  onSignOut(listener: (clientId: string) => void): () => void {
    this.#signOutListeners.add(listener);
    return () => this.#signOutListeners.delete(listener);
  }

  signedOut(clientId: string): void {
    for (const listener of this.#signOutListeners) listener(clientId);
  }

  on(listener: (event: DeskEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A change happened: listeners hear it, and notices changed silently by it are announced too. */
  emit(event: DeskEvent): void {
    if (event === 'clients') this.#generation++;
    if (event === 'notices') this.#noticeStamp = this.#noticeSignature();
    for (const listener of this.#listeners) listener(event);
    // Saving a new token (or signing out) drops the client's notices without a notice event.
    if (event === 'clients' && this.#noticeSignature() !== this.#noticeStamp) this.emit('notices');
    // Whoever shows the views is told when the next state change is due, even with nobody listing now.
    if (event === 'clients' && this.#options.background && this.#listeners.size > 0) this.views();
  }

  close(): void {
    if (this.#stateTimer) clearTimeout(this.#stateTimer);
    this.#stateTimer = null;
    this.#listeners.clear();
    this.#signOutListeners.clear();
  }

  #noticeSignature(): string {
    return this.#options.notices().map((notice) => notice.id).join(',');
  }

  #armStateTimer(views: ClientView[]): void {
    if (!this.#options.background) return;
    if (this.#stateTimer) clearTimeout(this.#stateTimer);
    this.#stateTimer = null;
    const now = this.#options.now();
    const next = nextStateChange(views, now);
    if (next === null) return;
    // setTimeout overflows past 2^31-1 ms: a change further off re-arms on the way.
    this.#stateTimer = setTimeout(() => this.emit('clients'), Math.min(next - now + 50, MAX_TIMER_MS));
    this.#stateTimer.unref();
  }
}

/** Which notices reach the OS, per Settings.notifications; a failing sink counts as a failing refresh. */
export function notificationEnabled(settings: Settings, notice: Notice): boolean {
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
