/** The timeline's axis: spans from an hour to a year, and tick marks that suit each. Pure. */
import { DAY, HOUR, MINUTE } from './format';

export const SPANS = {
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY,
} as const;
export type SpanKey = keyof typeof SPANS;

const TICK_STEPS: Record<Exclude<SpanKey, 'year'>, number> = { hour: 10 * MINUTE, day: 3 * HOUR, week: DAY, month: 5 * DAY };

/** The visible window: a little of the past, most of the future. */
export function timeWindow(now: number, span: SpanKey): { start: number; end: number } {
  const length = SPANS[span];
  const start = now - length * 0.08;
  return { start, end: start + length };
}

/**
 * Tick times inside the window, aligned to local midnight / hour boundaries where it matters. A
 * year gets the first of each calendar month: a fixed 30-day step drifts (31-day months) and
 * skips February or shows a month twice (issue #13 row 8).
 */
export function ticks(start: number, end: number, span: SpanKey): number[] {
  if (span === 'year') return monthStarts(start, end);
  const step = TICK_STEPS[span];
  const first = new Date(start);
  if (step >= DAY) first.setHours(0, 0, 0, 0);
  else first.setMinutes(0, 0, 0);
  const out: number[] = [];
  for (let at = first.getTime(); at <= end && out.length < 100; at += step) {
    if (at >= start) out.push(at);
  }
  return out;
}

/** Local midnight of the first day of every month that starts inside [start, end]. */
function monthStarts(start: number, end: number): number[] {
  const first = new Date(start);
  const out: number[] = [];
  for (let month = 0; out.length < 100; month++) {
    const at = new Date(first.getFullYear(), first.getMonth() + month, 1).getTime();
    if (at > end) break;
    if (at >= start) out.push(at);
  }
  return out;
}

export function scale(start: number, end: number, width: number): (at: number) => number {
  const factor = width / (end - start);
  return (at) => (at - start) * factor;
}

/** A bar between two times, clipped to [0, width]; null when it is outside. */
export function clippedBar(from: number, to: number, x: (at: number) => number, width: number): { x: number; width: number } | null {
  const left = Math.max(0, x(from));
  const right = Math.min(width, x(to));
  if (right <= 0 || left >= width || right < left) return null;
  // A five-minute token on a one-year axis stays visible.
  return { x: left, width: Math.max(3, right - left) };
}

/** The smallest span whose window reaches the furthest expiry (access or refresh) still ahead. */
export function fittingSpan(
  clients: readonly { token: { expiresAt: number | null; refreshExpiresAt: number | null } | null; nextRefreshAt: number | null }[],
  now: number,
): SpanKey {
  let furthest = now;
  for (const client of clients) {
    for (const at of [client.token?.expiresAt, client.token?.refreshExpiresAt, client.nextRefreshAt]) {
      if (at != null && at > furthest) furthest = at;
    }
  }
  const keys = Object.keys(SPANS) as SpanKey[];
  return keys.find((key) => timeWindow(now, key).end >= furthest) ?? 'year';
}
