/**
 * One writer at a time per data directory: the desktop app, its agent and a standalone command
 * line may all hold the same directory. A cross-process lock (proper-lockfile: an mkdir lock with
 * mtime-based stale detection) inside an in-process mutex, so a process never races itself and
 * never asks the file system for a lock it already holds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TokenDeskError } from '../model/errors';
import { ensurePrivateDir } from './files';

export interface LockOptions {
  /** Give up after waiting this long for another process (default 30 s). */
  waitMs?: number;
  /** A lock not refreshed for this long belongs to a dead process (default 10 s; proper-lockfile's minimum is 2 s). */
  staleMs?: number;
}

export const LOCK_NAME = 'store.lock';
const DEFAULT_WAIT_MS = 30_000;
const DEFAULT_STALE_MS = 10_000;

/**
 * The locks this async call chain holds, so a nested withLock (recording an exchange during a
 * refresh) does not deadlock. A timer armed inside the lock inherits this context and may run
 * after the release, hence the `released` flag rather than mere presence.
 */
const held = new AsyncLocalStorage<ReadonlyMap<string, { released: boolean }>>();
/** The tail of each directory's in-process queue. */
const queues = new Map<string, Promise<void>>();

export async function withLock<T>(dataDir: string, fn: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
  const dir = path.resolve(dataDir);
  const holding = held.getStore();
  const mine = holding?.get(dir);
  if (mine && !mine.released) return fn();

  const previous = queues.get(dir) ?? Promise.resolve();
  let releaseQueue!: () => void;
  const turn = new Promise<void>((resolve) => (releaseQueue = resolve));
  const tail = previous.then(() => turn);
  queues.set(dir, tail);
  await previous;
  try {
    const release = await acquire(dir, opts);
    const hold = { released: false };
    try {
      return await held.run(new Map([...(holding ?? []), [dir, hold]]), fn);
    } finally {
      hold.released = true;
      await release();
    }
  } finally {
    releaseQueue();
    if (queues.get(dir) === tail) queues.delete(dir);
  }
}

async function acquire(dir: string, opts: LockOptions): Promise<() => Promise<void>> {
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const lockPath = path.join(dir, LOCK_NAME);
  ensurePrivateDir(dir);
  const deadline = Date.now() + waitMs;
  let delay = 10;
  for (;;) {
    try {
      const release = await lockfile.lock(dir, {
        lockfilePath: lockPath,
        realpath: false,
        stale: opts.staleMs ?? DEFAULT_STALE_MS,
        // The default throws from a timer and takes the process down; losing the lock (the event
        // loop was blocked past the stale time) only means another process may now write too.
        onCompromised: (error) => console.warn(`TokenDesk: the data directory lock was lost: ${error.message}`),
      });
      return async () => {
        await release().catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new TokenDeskError('storage', `Could not lock the data directory ${dir}: ${(error as Error).message}`, { cause: error });
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TokenDeskError(
        'storage',
        `Another TokenDesk process has held the data directory ${dir} for more than ${Math.round(waitMs / 1000)} s (lock ${lockPath}). Try again; if no other TokenDesk is running, the lock clears itself within a few seconds.`,
      );
    }
    // Backoff with jitter, so two waiting processes do not retry in step.
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, delay * (0.5 + Math.random()))));
    delay = Math.min(delay * 2, 500);
  }
}
