import { localInstant } from '../../../main/model/dates';

/**
 * Pure formatting helpers (no runes, no DOM): durations, dates, JSON. Everything here runs once per
 * row per tick on the dashboard, so the Intl formatters are built once per locale and their output
 * is memoised: a tick over 1,000 rows must stay within a few milliseconds.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type DurationParts = { days?: number; hours?: number; minutes?: number; seconds?: number };
interface DurationFormatter {
  format(parts: DurationParts): string;
}
type DurationFormatCtor = new (locale: string, options: { style: 'narrow' | 'short' | 'long' }) => DurationFormatter;

/**
 * The two most significant units: "3d 4h", "12m 5s", "5s". Rounded up, as countdowns are: the last
 * second reads "1s", never an empty "0s" (Intl.DurationFormat leaves zero units out).
 */
export function durationParts(ms: number): DurationParts {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return hours > 0 ? { days, hours } : { days };
  if (hours > 0) return minutes > 0 ? { hours, minutes } : { hours };
  if (minutes > 0) return seconds > 0 ? { minutes, seconds } : { minutes };
  return { seconds };
}

const durationCaches = new Map<string, { formatter: DurationFormatter | null; cache: Map<string, string> }>();

/** A compact duration through Intl.DurationFormat (narrow style), memoised per locale. */
export function formatDuration(ms: number, locale: string, fallbackUnits?: Record<'d' | 'h' | 'm' | 's', string>): string {
  let entry = durationCaches.get(locale);
  if (!entry) {
    const Ctor = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
    entry = { formatter: Ctor ? new Ctor(locale, { style: 'narrow' }) : null, cache: new Map() };
    durationCaches.set(locale, entry);
  }
  const parts = durationParts(ms);
  const key = `${parts.days ?? ''}d${parts.hours ?? ''}h${parts.minutes ?? ''}m${parts.seconds ?? ''}`;
  let text = entry.cache.get(key);
  if (text === undefined) {
    text = entry.formatter ? entry.formatter.format(parts) : fallbackDuration(parts, fallbackUnits);
    if (entry.cache.size > 20_000) entry.cache.clear();
    entry.cache.set(key, text);
  }
  return text;
}

function fallbackDuration(parts: DurationParts, units: Record<'d' | 'h' | 'm' | 's', string> = { d: '{n}d', h: '{n}h', m: '{n}m', s: '{n}s' }): string {
  const out: string[] = [];
  if (parts.days !== undefined) out.push(units.d.replace('{n}', String(parts.days)));
  if (parts.hours !== undefined) out.push(units.h.replace('{n}', String(parts.hours)));
  if (parts.minutes !== undefined) out.push(units.m.replace('{n}', String(parts.minutes)));
  if (parts.seconds !== undefined) out.push(units.s.replace('{n}', String(parts.seconds)));
  return out.join(' ');
}

/** How much of a lifetime is left, 0…1 (1 = just issued). */
export function remainingFraction(issuedAt: number, expiresAt: number, now: number): number {
  const total = expiresAt - issuedAt;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (expiresAt - now) / total));
}

const dateCaches = new Map<string, Intl.DateTimeFormat>();
/** Through the app's one date formatter, which cannot throw (a damaged expiry reads "invalid date"). */
export function formatDateTime(ms: number, locale: string): string {
  let formatter = dateCaches.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    dateCaches.set(locale, formatter);
  }
  return localInstant(ms, formatter);
}

export { SECOND, MINUTE, HOUR, DAY };

/** JSON pretty-printed with two spaces, or null when the text is not JSON. */
export function prettyJson(text: string | null | undefined): string | null {
  if (text == null) return null;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space';
export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)/gy;

/**
 * Splits pretty JSON into tokens for light highlighting. Rendered as text nodes (never as HTML),
 * so a hostile response body cannot inject markup.
 */
export function highlightJson(pretty: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  JSON_TOKEN.lastIndex = 0;
  let index = 0;
  while (index < pretty.length) {
    JSON_TOKEN.lastIndex = index;
    const match = JSON_TOKEN.exec(pretty);
    if (!match) {
      tokens.push({ kind: 'punct', text: pretty.slice(index) });
      break;
    }
    if (match[1] !== undefined) {
      if (match[2] !== undefined) {
        tokens.push({ kind: 'key', text: match[1] });
        tokens.push({ kind: 'punct', text: match[2] });
      } else tokens.push({ kind: 'string', text: match[1] });
    } else if (match[3] !== undefined) tokens.push({ kind: 'number', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'literal', text: match[4] });
    else if (match[5] !== undefined) tokens.push({ kind: 'punct', text: match[5] });
    else tokens.push({ kind: 'space', text: match[6] ?? '' });
    index = JSON_TOKEN.lastIndex;
  }
  return tokens;
}
