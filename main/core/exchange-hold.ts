/**
 * Holding a client's recorded exchanges until its operation ends, so the token exchange can be
 * recorded with its security check (issue #12 item 8): the check needs the outcome (id_token
 * validated, refresh token rotated), which is known only after the response was processed.
 * Nothing is dropped: whatever the outcome, every held exchange is recorded, in order.
 */
import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../model/errors';
import type { Exchange, SecurityCheck } from '../model/types';
import { refusedSignInChecks } from '../oauth/standards/security-check';

interface Hold {
  depth: number;
  exchanges: Exchange[];
}

/** The token response of an operation: the last successful (or, `anyStatus`, the last) request that carried a grant_type. */
export function tokenExchangeOf(exchanges: readonly Exchange[], anyStatus = false): Exchange | null {
  for (let i = exchanges.length - 1; i >= 0; i -= 1) {
    const exchange = exchanges[i]!;
    const carriesGrant = /(^|[?&])grant_type=/.test(exchange.requestBody ?? '') || /[?&]grant_type=/.test(exchange.url);
    if (carriesGrant && (anyStatus || (exchange.status !== null && exchange.status >= 200 && exchange.status < 300))) return exchange;
  }
  return null;
}

/**
 * The check of a refused operation: attached to its token request when it made one, otherwise to
 * `record`, the exchange the refusal happened at (an authorization response refused before any
 * token request: RFC 9207 `iss`, `state`).
 */
export interface Refused {
  security: SecurityCheck[];
  record: () => Exchange;
}

/**
 * For a sign-in's `refused` hook: a refusal by the sign-in's own checks becomes their list; when no
 * token request was made, the authorization response it was refused at is the record (its `code`
 * is masked like any secret field when shown).
 */
export function signInRefusal(error: unknown, exchanges: readonly Exchange[], at: { clientId: string; callbackUrl: string; now: number }): Refused | null {
  if (!(error instanceof TokenDeskError) || !error.refusal) return null;
  return {
    security: refusedSignInChecks(error.refusal, exchanges.map((exchange) => exchange.url)),
    record: () => ({
      id: randomUUID(),
      clientId: at.clientId,
      startedAt: at.now,
      durationMs: 0,
      method: 'GET',
      url: at.callbackUrl,
      requestHeaders: {},
      requestBody: null,
      status: null,
      responseHeaders: {},
      responseBody: null,
      error: error.message,
    }),
  };
}

export class ExchangeHolds {
  readonly #holds = new Map<string, Hold>();
  readonly #record: (exchange: Exchange) => void;

  constructor(record: (exchange: Exchange) => void) {
    this.#record = record;
  }

  /** The recorder's entry: a held client's exchange waits, any other is recorded at once. */
  offer(exchange: Exchange): void {
    const hold = this.#holds.get(exchange.clientId);
    if (hold) hold.exchanges.push(exchange);
    else this.#record(exchange);
  }

  /**
   * Runs `operation` holding the client's exchanges; on success `checks` gets the result and the
   * held exchanges and returns the check for the token exchange. Nested runs share the outer hold.
   */
  async run<T>(
    clientId: string,
    operation: () => Promise<T>,
    checks: (result: T, exchanges: readonly Exchange[]) => SecurityCheck[] | null,
    refused?: (error: unknown, exchanges: readonly Exchange[]) => Refused | null,
  ): Promise<T> {
    const existing = this.#holds.get(clientId);
    const hold = existing ?? { depth: 0, exchanges: [] };
    hold.depth += 1;
    this.#holds.set(clientId, hold);
    try {
      const result = await operation();
      const security = checks(result, hold.exchanges);
      const target = security ? tokenExchangeOf(hold.exchanges) : null;
      if (security && target && !target.security) hold.exchanges[hold.exchanges.indexOf(target)] = { ...target, security };
      return result;
    } catch (error) {
      const refusal = refused?.(error, hold.exchanges) ?? null;
      if (refusal) {
        const target = tokenExchangeOf(hold.exchanges, true);
        if (target && !target.security) hold.exchanges[hold.exchanges.indexOf(target)] = { ...target, security: refusal.security };
        else if (!target) hold.exchanges.push({ ...refusal.record(), security: refusal.security });
      }
      throw error;
    } finally {
      hold.depth -= 1;
      if (hold.depth === 0) {
        this.#holds.delete(clientId);
        for (const exchange of hold.exchanges) this.#record(exchange);
      }
    }
  }
}
