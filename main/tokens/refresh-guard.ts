/**
 * What keeps a refresh from ever hammering a provider, whatever the provider answers and whatever
 * the schedule does (docs/providers.md §6 "No refresh loops"): a refresh must bring a new token,
 * a failed scheduled refresh waits longer each time, and no client calls its provider more than
 * CALLS_PER_MINUTE times in any minute.
 */
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { TokenSet } from '../model/types';

/** The most refreshes (provider calls) one client may make in any sliding minute. */
export const CALLS_PER_MINUTE = 10;
const MINUTE_MS = 60_000;
/** After a failed scheduled refresh, try again after this, doubling per failure, up to an hour. */
export const SCHEDULED_RETRY_MS = 5 * 60_000;
export const SCHEDULED_RETRY_MAX_MS = 3_600_000;

/** The wait before the next scheduled attempt after `failures` failures in a row (1, 2, …). */
export function scheduledRetryDelay(failures: number): number {
  return Math.min(SCHEDULED_RETRY_MS * 2 ** Math.max(0, failures - 1), SCHEDULED_RETRY_MAX_MS);
}

/**
 * A refresh that returns the access token it replaces, or an expiry no later than the current
 * one, is not a refresh: itcode's auto-login answers so while an access cookie is sent, and
 * Hejhome may hand back a still-valid token (docs/providers.md §1, §4). Saving it would schedule
 * the next refresh in the past, at once, forever.
 */
export function assertNewToken(clientName: string, current: TokenSet, next: TokenSet): void {
  const same = next.accessToken === current.accessToken;
  const notLater = next.expiresAt !== null && current.expiresAt !== null && next.expiresAt <= current.expiresAt;
  if (!same && !notLater) return;
  const why = msg(same ? 'why_same_access_token' : 'why_expiry_not_later');
  throw markNoNewToken(new TokenDeskError('invalid_response', msg('refresh_no_new_token', { name: clientName, why })));
}

const noNewToken = new WeakSet<Error>();

function markNoNewToken(error: TokenDeskError): TokenDeskError {
  noNewToken.add(error);
  return error;
}

/** The error of assertNewToken: retrying at once cannot help, so it is reported at once. */
export function isNoNewToken(error: unknown): boolean {
  return error instanceof Error && noNewToken.has(error);
}

/** Provider calls per client in a sliding minute; past the ceiling a call is refused, not made. */
export class CallCeiling {
  readonly #calls = new Map<string, number[]>();
  readonly perMinute: number;

  constructor(perMinute: number = CALLS_PER_MINUTE) {
    this.perMinute = perMinute;
  }

  /** Counts a call now, or returns when the next one will be allowed (nothing counted). */
  take(clientId: string, now: number): { ok: true } | { ok: false; retryAt: number } {
    const recent = (this.#calls.get(clientId) ?? []).filter((at) => at > now - MINUTE_MS);
    if (recent.length >= this.perMinute) {
      this.#calls.set(clientId, recent);
      return { ok: false, retryAt: recent[0]! + MINUTE_MS };
    }
    recent.push(now);
    this.#calls.set(clientId, recent);
    return { ok: true };
  }

  forget(clientId: string): void {
    this.#calls.delete(clientId);
  }
}

export function ceilingError(clientName: string, perMinute: number, retryAt: number): TokenDeskError {
  return new TokenDeskError('rate_limited', msg('refresh_held_back', { name: clientName, perMinute, retryAt: new Date(retryAt).toISOString() }));
}
