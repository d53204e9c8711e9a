/**
 * The one way a moment becomes text, for everything the app shows or the command line prints. It
 * cannot throw: a value no Date can hold (a provider's `expires_in: 1e20` stored by an older
 * version, a damaged store) reads as "invalid date (…)" instead of taking a whole list down with
 * "Invalid time value". Ground floor: no imports.
 */

/** JavaScript dates span ±8.64e15 ms from the epoch (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

export function isValidInstant(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/** What is shown for a value that is not a moment at all. */
export function invalidInstantText(ms: unknown): string {
  return `invalid date (${String(ms).slice(0, 40)})`;
}

/** ISO 8601 in UTC ("2026-11-29T20:31:02.000Z"); null stays null. */
export function isoInstant(ms: number | null | undefined): string | null {
  if (ms == null) return null;
  return isValidInstant(ms) ? new Date(ms).toISOString() : invalidInstantText(ms);
}

/** A locale's date and time, through the formatter the caller keeps (Intl formatters are costly to build). */
export function localInstant(ms: number, formatter: { format(date: number): string }): string {
  if (!isValidInstant(ms)) return invalidInstantText(ms);
  try {
    return formatter.format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
