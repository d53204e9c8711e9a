/** The text a "Copy as …" action puts on the clipboard. */
import { TokenDeskError } from '../model/errors';
import type { ClientConfig, CopyFormat, TokenSet } from '../model/types';

/** Shell-quote for POSIX shells: 'it'\''s'. */
const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** TOKENDESK_HEJHOME_PROD_TOKEN from "Hejhome prod". */
export function envName(clientName: string): string {
  const slug = clientName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return `${slug || 'CLIENT'}_ACCESS_TOKEN`;
}

/** itcode's tokens travel as cookies (docs/providers.md §4); everyone else's as a Bearer header. */
export function authorizationHeader(token: TokenSet): string {
  if (token.cookies?.['access']) return `Cookie: access=${token.accessToken}`;
  const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType || 'Bearer';
  return `Authorization: ${scheme} ${token.accessToken}`;
}

/**
 * Where "copy as curl" points: an API the provider documents for this token, else the base URL
 * with a `/path` the user replaces (issue #13 row 14: never the bare host, which answers nothing).
 * itcode documents `GET /oauth2/api/userinfo` with the access cookie (docs/providers.md §4 "user
 * info"); a generic server may announce a UserInfo endpoint (OpenID Connect Discovery 1.0 §3).
 * The other presets' documents describe only their token endpoints (§1–§3).
 */
export function curlTarget(client: Pick<ClientConfig, 'provider' | 'baseUrl' | 'generic'>): string {
  const base = client.baseUrl.replace(/\/+$/, '');
  if (client.provider === 'itcode') return `${base}/oauth2/api/userinfo`;
  const userinfo = client.generic?.metadata?.document?.['userinfo_endpoint'];
  if (typeof userinfo === 'string' && userinfo !== '') return userinfo;
  return `${base}/path`;
}

export function copyText(
  format: CopyFormat,
  client: ClientConfig,
  token: TokenSet | null,
  basicHeader: () => string,
): string {
  if (format === 'basic') return `Authorization: ${basicHeader()}`;
  if (!token) throw new TokenDeskError('not_found', `${client.name} has no token yet: issue or sign in first.`);
  switch (format) {
    case 'raw':
      return token.accessToken;
    case 'header':
      return authorizationHeader(token);
    case 'curl':
      return `curl -H ${quote(authorizationHeader(token))} ${quote(curlTarget(client))}`;
    case 'env':
      return `${envName(client.name)}=${token.accessToken}`;
  }
}
