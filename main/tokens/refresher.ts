/**
 * The manager's refresher in the app: refresh with the stored refresh token (or itcode's refresh
 * cookie), re-issue where the grant needs no user, otherwise "sign in". The OAuth exchange itself
 * is main/oauth's; the token path runs manager → here → oauth, never back up through core.
 */
import { TokenDeskError } from '../model/errors';
import { issueToken, refreshToken, type FlowDeps } from '../oauth/flows';
import type { GrantTokens } from '../oauth/requests';
import { capabilitiesOf } from '../oauth/presets';
import type { Refresher } from './manager';

/** `grantTokens`: a token exchange client's subject/actor tokens (RFC 8693), fetched by the caller. */
export function oauthRefresher(deps: FlowDeps): (...args: [...Parameters<Refresher>, grantTokens?: GrantTokens]) => ReturnType<Refresher> {
  return async (client, secrets, current, grantTokens) => {
    const input = grantTokens ? { client, secrets, grantTokens } : { client, secrets };
    if (current && (current.refreshToken || current.cookies?.['refresh'])) return refreshToken(deps, input, current);
    if (capabilitiesOf(client).issue) return issueToken(deps, input);
    if (!current) throw new TokenDeskError('needs_signin', `${client.name} is not signed in yet: sign in first.`);
    throw new TokenDeskError('needs_signin', `${client.name} has no refresh token: sign in again.`);
  };
}
