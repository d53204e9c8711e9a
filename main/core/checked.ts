/**
 * The token exchanges the desk records with their security check (issue #12 item 8): a refresh or
 * issue through the manager, and the completion of a sign-in. Exchanges are held until the outcome
 * is known (exchange-hold.ts), then recorded with the check beside the token exchange.
 */
import type { ClientConfig, Exchange } from '../model/types';
import { completeSignIn, type FlowDeps, type FlowInput, type PendingSignIn } from '../oauth/flows';
import { basicSignInFacts, securityChecks } from '../oauth/standards/security-check';
import type { Refresher } from '../tokens/manager';
import type { Vault } from '../tokens/vault';
import { oauthRefresher } from '../tokens/refresher';
import { exchanging, grantTokensFor, type GrantTokenSource } from '../tokens/grant-tokens';
import { signInRefusal, type ExchangeHolds } from './exchange-hold';

/**
 * The manager's refresher with the security check; a token exchange client (RFC 8693) that
 * issues first gets its subject and actor clients' valid tokens from `grants`.
 */
export function checkedRefresher(holds: ExchangeHolds, deps: FlowDeps, grants: GrantTokenSource): Refresher {
  const refresher = oauthRefresher(deps);
  return (client, secrets, current) => {
    const kind = current && (current.refreshToken || current.cookies?.['refresh']) ? 'refresh' : 'issue';
    return exchanging(client, async () => {
      const grantTokens = kind === 'issue' ? await grantTokensFor(client, grants) : undefined;
      return holds.run(
        client.id,
        () => refresher(client, secrets, current, grantTokens),
        (next, exchanges) => securityChecks({ kind, urls: exchanges.map((exchange) => exchange.url), previous: current, next, requestedScope: client.scope }),
      );
    });
  };
}

export function checkedSignIn(holds: ExchangeHolds, deps: FlowDeps, input: FlowInput & { client: ClientConfig }, pending: PendingSignIn, callbackUrl: string) {
  return holds.run(
    input.client.id,
    () => completeSignIn(deps, input, pending, callbackUrl),
    (next, exchanges) =>
      securityChecks({
        kind: 'sign_in',
        urls: exchanges.map((exchange) => exchange.url),
        previous: null,
        next,
        requestedScope: input.client.scope,
        facts: next.verified ?? basicSignInFacts(pending, callbackUrl),
      }),
    // A sign-in refused by its own checks (iss, state, id_token) is recorded with the one that failed.
    (error, exchanges) => signInRefusal(error, exchanges, { clientId: input.client.id, callbackUrl, now: deps.now() }),
  );
}

/** Fire and forget: the history is a convenience, so a failed write is reported, never thrown. */
export function recordExchange(vault: Vault, exchange: Exchange): void {
  vault
    .recordExchange(exchange.clientId, exchange)
    .catch((error: unknown) => console.error(`TokenDesk: an exchange could not be recorded: ${(error as Error).message}`));
}
