import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME, withLock } from '../../../main/tokens/lock';
import { tempDir } from './helpers';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('withLock', () => {
  it('runs one holder at a time inside a process', async () => {
    const dataDir = tempDir();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withLock(dataDir, async () => {
          inside++;
          most = Math.max(most, inside);
          await tick();
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('is re-entrant for the holder (an exchange recorded during a refresh)', async () => {
    const dataDir = tempDir();
    const result = await withLock(dataDir, () => withLock(dataDir, () => 'nested'));
    expect(result).toBe('nested');
  });

  it('returns the value and passes errors through, releasing the lock', async () => {
    const dataDir = tempDir();
    await expect(withLock(dataDir, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(dataDir, () => 42)).toBe(42);
    expect(fs.existsSync(path.join(dataDir, LOCK_NAME))).toBe(false);
  });

  it('gives up with a clear storage error when another process holds the lock too long', async () => {
    const dataDir = tempDir();
    // Another process, as far as this one can tell: proper-lockfile directly, not withLock.
    const release = await lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, LOCK_NAME), realpath: false });
    try {
      const started = Date.now();
      await expect(withLock(dataDir, () => 'never', { waitMs: 300 })).rejects.toMatchObject({
        code: 'storage',
        message: expect.stringMatching(/^Another TokenDesk process has held the data directory .* for more than 0 s/),
      });
      // It waited before giving up (timers never fire early); how long at most: `npm run bench`.
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await release();
    }
    expect(await withLock(dataDir, () => 'after')).toBe('after');
  });

  it('takes over the lock of a dead process once it is stale', async () => {
    const dataDir = tempDir();
    const lockDir = path.join(dataDir, LOCK_NAME);
    fs.mkdirSync(lockDir);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, past, past);
    expect(await withLock(dataDir, () => 'taken', { waitMs: 1000 })).toBe('taken');
  });
});
