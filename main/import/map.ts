/**
 * Found OAuth settings → the client TokenDesk creates: a preset when the token endpoint is one of
 * the four APIs TokenDesk knows (docs/providers.md: Daou Office's /public/auth/v1/oauth2/token,
 * POD Shop's /ac/oauth/ext/token, Hejhome's goqual.io with its /login/openapi page, itcode.dev),
 * otherwise the generic RFC 6749 client with the grant, endpoints, client authentication, PKCE and
 * extra parameters as found.
 */
import { DEFAULT_GENERIC } from '../model/defaults';
import type { GenericGrant } from '../model/types';
import type { ClientInput } from '../model/schemas';
import { msg, type MessageText } from '../model/messages';
import type { FoundAuth } from './types';

const GRANTS: Record<string, GenericGrant> = {
  client_credentials: 'client_credentials',
  authorization_code: 'authorization_code',
  password: 'password',
};

const hostIs = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** The ClientInput for found settings (secrets included; the caller seals them), or why it cannot be one. */
export function toClientInput(found: FoundAuth): ClientInput | { reason: MessageText } {
  let token: URL;
  try {
    token = new URL(found.tokenUrl);
  } catch {
    return { reason: found.tokenUrl ? msg('skip_token_url_invalid', { url: found.tokenUrl }) : msg('skip_no_token_url') };
  }
  const base = { name: found.name.trim().slice(0, 100) || token.host, clientId: found.clientId.trim(), clientSecret: found.clientSecret || null, scope: found.scope || null };
  const authPath = found.authUrl ? safePath(found.authUrl) : null;
  if (token.pathname === '/public/auth/v1/oauth2/token' || hostIs(token.hostname, 'daouoffice.com')) {
    return { ...base, provider: 'daouoffice', baseUrl: token.origin };
  }
  if (token.pathname.startsWith('/ac/oauth/ext/token') || hostIs(token.hostname, 'pod.shop')) {
    return { ...base, provider: 'podshop', baseUrl: token.origin, env: token.hostname.startsWith('dev-') ? 'dev' : 'prod' };
  }
  if (hostIs(token.hostname, 'goqual.io') || authPath === '/login/openapi') {
    return { ...base, provider: 'hejhome', baseUrl: token.origin, redirectUri: found.redirectUri || null };
  }
  if (hostIs(token.hostname, 'itcode.dev')) {
    return { reason: msg('skip_itcode') };
  }
  if (found.grant === 'implicit') return { reason: msg('skip_implicit') };
  const grant = GRANTS[found.grant];
  if (!grant) return { reason: msg('skip_grant_unsupported', { grant: found.grant }) };
  return {
    ...base,
    provider: 'oauth2',
    baseUrl: token.origin,
    redirectUri: found.redirectUri || null,
    password: found.password || null,
    generic: {
      ...DEFAULT_GENERIC,
      grant,
      tokenUrl: found.tokenUrl,
      authorizationUrl: found.authUrl || null,
      // A client without a secret is a public client (RFC 6749 §2.1): no client authentication.
      clientAuth: found.clientSecret === undefined && grant === 'authorization_code' ? 'none' : (found.clientAuth ?? 'basic'),
      // PKCE for every authorization code client (RFC 9700 §2.1.1), whether or not the tool had it on.
      pkce: grant === 'authorization_code' ? true : (found.pkce ?? false),
      extraParams: found.extraParams ?? {},
      username: found.username || null,
    },
  };
}

function safePath(address: string): string | null {
  try {
    return new URL(address).pathname;
  } catch {
    return null;
  }
}

/** Two findings are one client when they would send the same token request. */
export function dedupeKey(input: ClientInput): string {
  return JSON.stringify([input.provider, input.baseUrl, input.clientId, input.scope ?? null, input.generic?.grant ?? null, input.generic?.tokenUrl ?? null, input.generic?.username ?? null]);
}
