/**
 * RFC 8693 §2.1: a token exchange client sends other clients' access tokens as its subject (and
 * actor) token. They are fetched at the moment of the exchange, refreshed first when due, so the
 * exchange never sends a stale one. A chain of exchanges that comes back to a client it started
 * from would wait on itself forever: it is refused, whatever process or path started it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { reasonOf, toErrorInfo, TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { ClientConfig, TokenSet } from '../model/types';
import type { GrantTokens } from '../oauth/requests';
import { ACCESS_TOKEN_TYPE } from '../oauth/standards/grants';

export interface GrantTokenSource {
  client(clientId: string): ClientConfig | null;
  /** The client's access token, refreshed (or issued) first when it is due. */
  validToken(clientId: string): Promise<TokenSet>;
}

/** The clients whose exchange is being prepared on this async path, outermost first. */
const resolving = new AsyncLocalStorage<readonly string[]>();

/** Runs `work` (the exchange of `client`) with `client` on the path, so a cycle back to it is caught. */
export function exchanging<T>(client: ClientConfig, work: () => Promise<T>): Promise<T> {
  return resolving.run([...(resolving.getStore() ?? []), client.id], work);
}

async function tokenOf(client: ClientConfig, source: GrantTokenSource, otherId: string): Promise<string> {
  const path = resolving.getStore() ?? [];
  const other = source.client(otherId);
  if (!other) throw new TokenDeskError('bad_request', msg('exchange_client_missing', { name: client.name }));
  if (otherId === client.id || path.includes(otherId)) {
    throw new TokenDeskError('bad_request', msg('exchange_cycle', { name: client.name, other: other.name }));
  }
  try {
    return (await exchanging(client, () => source.validToken(otherId))).accessToken;
  } catch (error) {
    if (error instanceof TokenDeskError && error.text?.code === 'exchange_cycle') throw error;
    throw new TokenDeskError(error instanceof TokenDeskError ? error.code : 'internal', msg('exchange_token_unavailable', { name: client.name, other: other.name, reason: reasonOf(toErrorInfo(error)) }), {
      cause: error,
    });
  }
}

/** The subject and actor tokens a token_exchange client sends; undefined for every other client. */
export async function grantTokensFor(client: ClientConfig, source: GrantTokenSource): Promise<GrantTokens | undefined> {
  const exchange = client.generic?.grant === 'token_exchange' ? client.generic.tokenExchange : null;
  if (!exchange) return undefined;
  const subject = await tokenOf(client, source, exchange.subjectClientId);
  const actor = exchange.actorClientId ? await tokenOf(client, source, exchange.actorClientId) : null;
  return {
    subject: { token: subject, type: ACCESS_TOKEN_TYPE },
    ...(actor !== null ? { actor: { token: actor, type: ACCESS_TOKEN_TYPE } } : {}),
  };
}
