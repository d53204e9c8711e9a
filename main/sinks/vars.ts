/**
 * The environment variables a client's token travels in (`tokendesk exec`, `tokendesk env`):
 * `<PREFIX>_TOKEN`, the access token, and `<PREFIX>_AUTHORIZATION`, the whole header value
 * ("Bearer …"). The prefix is the client's own (ClientConfig.envPrefix) or TOKENDESK_ + its name.
 */
import type { ClientConfig, TokenSet } from '../model/types';

/** A POSIX environment variable name (IEEE Std 1003.1, 8.1): letters, digits, underscore, no leading digit. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "Sandbox — Daou Office" → TOKENDESK_SANDBOX_DAOU_OFFICE. */
export function defaultEnvPrefix(clientName: string): string {
  const slug = clientName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return `TOKENDESK_${slug || 'CLIENT'}`;
}

export function envPrefix(client: Pick<ClientConfig, 'name' | 'envPrefix'>): string {
  return client.envPrefix || defaultEnvPrefix(client.name);
}

/** The Authorization header's value: the token type as the provider named it, Bearer by default (RFC 6750 §2.1). */
export function authorizationValue(token: Pick<TokenSet, 'accessToken' | 'tokenType'>): string {
  const scheme = !token.tokenType || token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType;
  return `${scheme} ${token.accessToken}`;
}

export type EnvVars = [name: string, value: string][];

export function tokenVars(client: Pick<ClientConfig, 'name' | 'envPrefix'>, token: Pick<TokenSet, 'accessToken' | 'tokenType'>): EnvVars {
  const prefix = envPrefix(client);
  return [
    [`${prefix}_TOKEN`, token.accessToken],
    [`${prefix}_AUTHORIZATION`, authorizationValue(token)],
  ];
}
