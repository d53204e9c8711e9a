import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { en } from '../../renderer/src/lib/i18n/en';
import { ko } from '../../renderer/src/lib/i18n/ko';
import { fittingSpan, ticks, timeWindow, clippedBar, scale } from '../../renderer/src/lib/timeline';

describe('message catalogues', () => {
  test('Korean has every English key and the same parameters', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(ko[key]), key).toEqual(params(en[key]));
    }
  });

  test('every key a component uses exists', () => {
    const dir = join(import.meta.dirname, '../../renderer/src');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.svelte') || file.endsWith('.ts'))
      .map((file) => readFileSync(join(dir, file), 'utf8'))
      .join('\n');
    const used = [...sources.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => !(key in en))).toEqual([]);
  });
});

describe('timeline axis', () => {
  const now = Date.UTC(2026, 0, 15, 12);
  const DAY = 86_400_000;

  test('the span fits the furthest expiry: a day-long token → day; Hejhome’s 360 days → year', () => {
    expect(fittingSpan([{ token: { expiresAt: now + DAY * 0.9, refreshExpiresAt: null }, nextRefreshAt: null }], now)).toBe('day');
    expect(fittingSpan([{ token: { expiresAt: now + 180 * DAY, refreshExpiresAt: now + 360 * DAY }, nextRefreshAt: null }], now)).toBe('year');
    expect(fittingSpan([], now)).toBe('hour');
  });

  test('ticks fall inside the window; bars are clipped and never vanish', () => {
    const { start, end } = timeWindow(now, 'week');
    const marks = ticks(start, end, 'week');
    expect(marks.length).toBeGreaterThanOrEqual(6);
    expect(marks.every((at) => at >= start && at <= end)).toBe(true);
    const x = scale(start, end, 1000);
    expect(clippedBar(now, now + 1000, x, 1000)?.width).toBe(3);
    expect(clippedBar(start - DAY, end + DAY, x, 1000)).toEqual({ x: 0, width: 1000 });
    expect(clippedBar(end + 1, end + 2, x, 1000)).toBeNull();
  });
});
