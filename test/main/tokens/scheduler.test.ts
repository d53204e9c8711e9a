import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REFRESH_POLICY } from '../../../main/model/defaults';
import { MAX_TIMER_MS, RefreshScheduler, refreshDueAt, type SchedulerClock } from '../../../main/tokens/scheduler';
import { DAY } from './helpers';

/** The real clock functions, called through so vitest's fake timers apply, with the delays recorded. */
function recordingClock(): SchedulerClock & { delays: number[]; live: Set<unknown> } {
  const delays: number[] = [];
  const live = new Set<unknown>();
  return {
    delays,
    live,
    now: () => Date.now(),
    setTimeout(fn, ms) {
      delays.push(ms);
      const handle = setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('refreshDueAt', () => {
  it('takes the lead fraction of a short lifetime', () => {
    expect(refreshDueAt({ issuedAt: 0, expiresAt: 600_000 }, { leadFraction: 0.1, maxLeadSeconds: 300 })).toBe(540_000);
  });

  it('caps the lead at maxLeadSeconds for a long lifetime', () => {
    expect(refreshDueAt({ issuedAt: 0, expiresAt: 180 * DAY }, DEFAULT_REFRESH_POLICY)).toBe(180 * DAY - 300_000);
  });

  it('is null when the token has no expiry', () => {
    expect(refreshDueAt({ issuedAt: 0, expiresAt: null }, DEFAULT_REFRESH_POLICY)).toBeNull();
  });
});

describe('RefreshScheduler', () => {
  it('fires a 400-day due time once, at that time, with no timer longer than 2^31-1 ms', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: Array<[string, number]> = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push([key, Date.now()]) });
    const dueAt = Date.now() + 400 * DAY;
    scheduler.schedule('hejhome', dueAt);
    expect(scheduler.nextDue('hejhome')).toBe(dueAt);

    vi.advanceTimersByTime(400 * DAY - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['hejhome', dueAt]]);
    vi.advanceTimersByTime(30 * DAY);
    expect(fired).toHaveLength(1);
    expect(clock.delays.length).toBeGreaterThan(1);
    expect(clock.delays.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(clock.live.size).toBe(0);
  });

  it('steps at most 2^31-1 ms at a time even with the wall-clock check disabled', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: string[] = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push(key), stepMs: Number.MAX_SAFE_INTEGER });
    scheduler.schedule('hejhome', Date.now() + 400 * DAY);
    vi.advanceTimersByTime(400 * DAY);
    expect(fired).toEqual(['hejhome']);
    expect(clock.delays.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
    expect(clock.delays.filter((ms) => ms === MAX_TIMER_MS)).toHaveLength(Math.floor((400 * DAY) / MAX_TIMER_MS));
  });

  it('keeps one timer for many keys and fires them in due order', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: string[] = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push(key) });
    const start = Date.now();
    for (let i = 0; i < 1000; i++) scheduler.schedule(`c${i}`, start + ((i * 7919) % 1000) * 1000 + 1000);
    expect(clock.live.size).toBe(1);
    vi.advanceTimersByTime(1001 * 1000);
    expect(fired).toHaveLength(1000);
    const order = fired.map((key) => (Number(key.slice(1)) * 7919) % 1000);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(clock.live.size).toBe(0);
  });

  it('cancel and reschedule replace the earlier due time', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: string[] = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push(key) });
    const start = Date.now();
    scheduler.schedule('a', start + 1000);
    scheduler.schedule('b', start + 2000);
    scheduler.schedule('a', start + 5000);
    scheduler.cancel('b');
    vi.advanceTimersByTime(4999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a']);
    expect(scheduler.nextDue('a')).toBeNull();
    expect(scheduler.size).toBe(0);
  });

  it('notices a wall-clock jump within one check interval', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: string[] = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push(key) });
    scheduler.schedule('a', Date.now() + 2 * 3_600_000);
    // The machine slept for three hours: the wall clock moved, the monotonic timers did not.
    vi.setSystemTime(Date.now() + 3 * 3_600_000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(fired).toEqual(['a']);
  });

  it('reevaluate fires what is due at once (system resume)', () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const fired: string[] = [];
    const scheduler = new RefreshScheduler({ clock, onDue: (key) => fired.push(key) });
    scheduler.schedule('a', Date.now() + 3_600_000);
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    scheduler.reevaluate();
    expect(fired).toEqual(['a']);
    expect(clock.live.size).toBe(0);
  });
});
