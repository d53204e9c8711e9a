/**
 * One timer for every scheduled refresh: a binary min-heap of due times, and a single timer armed
 * for the earliest of them. The timer is armed in steps of at most WALL_CHECK_MS, which does two
 * jobs: no setTimeout is ever longer than 2^31-1 ms, and the wall clock is compared on every step,
 * so a system sleep or a clock change is noticed within a minute even without a resume event.
 */
import type { RefreshPolicy, TokenSet } from '../model/types';

/** The injected clock: real time in the app, vitest's fake timers in tests. */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// setTimeout overflows past 2^31-1 ms: Hejhome's 180/360-day tokens would fire at once, in a loop.
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often the wall clock is checked while anything is scheduled. */
export const WALL_CHECK_MS = 60_000;

/**
 * When to refresh: expiresAt − min(leadFraction × lifetime, maxLeadSeconds).
 * Null when the token has no known expiry (nothing to schedule).
 */
export function refreshDueAt(token: Pick<TokenSet, 'expiresAt' | 'issuedAt'>, policy: RefreshPolicy): number | null {
  if (token.expiresAt === null) return null;
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  const lead = Math.min(policy.leadFraction * lifetime, policy.maxLeadSeconds * 1000);
  return token.expiresAt - Math.max(0, lead);
}

/** Whether a token stays valid for at least `ms` from `now` (no known expiry: it does). */
export function lastsFor(token: Pick<TokenSet, 'expiresAt'>, now: number, ms: number): boolean {
  return token.expiresAt === null || token.expiresAt - now > ms;
}

interface Entry {
  key: string;
  dueAt: number;
  /** Lazy deletion: a rescheduled or cancelled entry stays in the heap until it reaches the top. */
  live: boolean;
}

export class RefreshScheduler {
  readonly #clock: SchedulerClock;
  readonly #stepMs: number;
  readonly #heap: Entry[] = [];
  readonly #byKey = new Map<string, Entry>();
  #onDue: (key: string) => void;
  #timer: unknown = null;
  #stopped = false;

  constructor(opts: { clock?: SchedulerClock; onDue?: (key: string) => void; stepMs?: number } = {}) {
    this.#clock = opts.clock ?? realClock;
    this.#onDue = opts.onDue ?? (() => undefined);
    this.#stepMs = Math.min(opts.stepMs ?? WALL_CHECK_MS, MAX_TIMER_MS);
  }

  /** Who is told when a key falls due (the TokenManager sets itself here). */
  setOnDue(onDue: (key: string) => void): void {
    this.#onDue = onDue;
  }

  /** (Re)schedule a key; a due time in the past fires on the next tick. */
  schedule(key: string, dueAt: number): void {
    this.#discard(key);
    const entry: Entry = { key, dueAt, live: true };
    this.#byKey.set(key, entry);
    this.#push(entry);
    if (this.#heap[0] === entry) this.#arm();
  }

  cancel(key: string): void {
    if (!this.#discard(key)) return;
    this.#compact();
    if (this.#byKey.size === 0) this.#disarm();
  }

  nextDue(key: string): number | null {
    return this.#byKey.get(key)?.dueAt ?? null;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Fire what is due now and re-arm: call on system resume, or after a clock change. */
  reevaluate(): void {
    if (this.#stopped) return;
    this.#disarm();
    this.#fireDue();
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
    this.#heap.length = 0;
    this.#byKey.clear();
  }

  #fireDue(): void {
    const now = this.#clock.now();
    for (;;) {
      const top = this.#peekLive();
      if (!top || top.dueAt > now) break;
      this.#pop();
      this.#byKey.delete(top.key);
      top.live = false;
      try {
        this.#onDue(top.key);
      } catch (error) {
        console.error(`TokenDesk: the scheduled job for ${top.key} failed:`, error);
      }
    }
  }

  #arm(): void {
    this.#disarm();
    if (this.#stopped) return;
    const top = this.#peekLive();
    if (!top) return;
    const delay = Math.max(0, Math.min(top.dueAt - this.#clock.now(), this.#stepMs));
    const handle = this.#clock.setTimeout(() => {
      this.#timer = null;
      // Every step compares against the wall clock (Date.now()), not against the time the timer
      // was armed for: after a sleep or a clock jump the due entries fire here, at once.
      this.#fireDue();
      this.#arm();
    }, delay);
    // The scheduler alone must not keep a process (the command line) alive.
    (handle as { unref?: () => void } | null)?.unref?.();
    this.#timer = handle;
  }

  #disarm(): void {
    if (this.#timer !== null) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #discard(key: string): boolean {
    const old = this.#byKey.get(key);
    if (!old) return false;
    old.live = false;
    this.#byKey.delete(key);
    return true;
  }

  /** Rebuild the heap when dead entries outnumber live ones, so memory stays bounded. */
  #compact(): void {
    if (this.#heap.length < 64 || this.#heap.length < 2 * this.#byKey.size) return;
    const live = this.#heap.filter((entry) => entry.live);
    this.#heap.length = 0;
    for (const entry of live) this.#push(entry);
  }

  #peekLive(): Entry | undefined {
    while (this.#heap.length > 0 && !this.#heap[0]!.live) this.#pop();
    return this.#heap[0];
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.dueAt <= entry.dueAt) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
    if (heap.length > 2 * this.#byKey.size + 64) this.#compact();
  }

  #pop(): Entry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right]!.dueAt < heap[left]!.dueAt ? right : left;
      if (heap[child]!.dueAt >= last.dueAt) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
