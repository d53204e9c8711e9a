/**
 * Discovery (issue #12 item 1): an issuer's metadata, read through the recorded client, checked
 * by oauth4webapi (the `issuer` it states must be the one asked for, RFC 8414 §3.3), and turned
 * into a generic client's settings. OpenID Connect Discovery 1.0 §4 first, then RFC 8414 §3.
 */
import * as oauth from 'oauth4webapi';
import { DEFAULT_GENERIC, DEFAULT_REFRESH_POLICY } from '../../model/defaults';
import { TokenDeskError } from '../../model/errors';
import { GRANT_TYPE_NAMES, type ClientAuthMethod, type GenericGrant, type GenericSettings, type ServerMetadata } from '../../model/types';
import { errorFromResponse } from '../provider-errors';
import type { FlowDeps, FlowInput } from '../requests';
import { recordedFetch, standardsOptions } from './fetch';

/** The metadata URL of each kind for `issuer` (RFC 8414 §3.1 inserts its well-known path before the issuer's path). */
function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer.trim());
  } catch {
    throw new TokenDeskError('bad_request', `The issuer "${issuer}" is not a URL. Enter the server's issuer, e.g. https://login.example.com.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TokenDeskError('bad_request', 'An issuer has no query or fragment (RFC 8414 §2): enter it without "?" or "#".');
  }
  return url;
}

/** The network settings discovery uses before a client exists (a staging server's CA, a proxy). */
export interface DiscoveryNetwork {
  proxy?: string | null;
  caCertificates?: string | null;
}

/** A stand-in client for discovery before the client exists: nothing of it is stored or recorded. */
export function discoveryInput(issuer: string, network: DiscoveryNetwork): FlowInput {
  const now = new Date(0).toISOString();
  return {
    client: {
      id: 'discovery',
      name: 'discovery',
      provider: 'oauth2',
      baseUrl: issuer,
      clientId: '',
      redirectUri: null,
      scope: null,
      env: null,
      platform: null,
      podRefreshForm: 'body',
      generic: { ...DEFAULT_GENERIC, proxy: network.proxy ?? null, caCertificates: network.caCertificates ?? null },
      autoRefresh: false,
      refreshPolicy: DEFAULT_REFRESH_POLICY,
      sandbox: false,
      createdAt: now,
      updatedAt: now,
    },
    secrets: { clientSecret: null, password: null },
  };
}

/** Reads `issuer`'s metadata: OpenID Connect Discovery, or RFC 8414 when the server has only that. */
export async function discoverMetadata(deps: FlowDeps, input: FlowInput, issuer: string): Promise<ServerMetadata> {
  const url = parseIssuer(issuer);
  const fetcher = recordedFetch(deps, input);
  const options = standardsOptions(fetcher);
  const host = url.host;
  let lastStatus = 0;
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    try {
      const response = await oauth.discoveryRequest(url, { ...options, algorithm });
      lastStatus = response.status;
      if (response.status === 404) continue;
      const document = await oauth.processDiscoveryResponse(url, response);
      return { fetchedAt: deps.now(), document: { ...document } as Record<string, unknown> };
    } catch (error) {
      if (error instanceof TokenDeskError) throw error;
      const last = fetcher.lastResponse();
      if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
        throw new TokenDeskError(
          'invalid_response',
          `${host} describes itself as issuer "${(error.cause as { body?: { issuer?: unknown } }).body?.issuer}", not "${issuer}" (RFC 8414 §3.3). Enter the issuer exactly as the server states it.`,
          last ? { status: last.status, rawBody: last.body } : {},
        );
      }
      if (last && last.status !== 200) throw errorFromResponse(last, { provider: host, action: 'discovery' });
      throw new TokenDeskError(
        'invalid_response',
        `${host}'s metadata could not be used: ${error instanceof Error ? error.message : String(error)}.`,
        last ? { status: last.status, rawBody: last.body } : {},
      );
    }
  }
  throw new TokenDeskError(
    'not_found',
    `${host} publishes no metadata (HTTP ${lastStatus} at /.well-known/openid-configuration and /.well-known/oauth-authorization-server). Check the issuer, or enter the endpoints by hand.`,
  );
}

const string = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** RFC 8414 §2 method names → ours (`basic` and `body` predate the standards work). */
const METHOD_NAMES: Record<string, ClientAuthMethod> = {
  client_secret_basic: 'basic',
  client_secret_post: 'body',
  none: 'none',
  client_secret_jwt: 'client_secret_jwt',
  private_key_jwt: 'private_key_jwt',
  tls_client_auth: 'tls_client_auth',
  self_signed_tls_client_auth: 'self_signed_tls_client_auth',
};

/** Our name → the RFC 8414 / CLI name. */
export function rfcAuthMethod(method: ClientAuthMethod): string {
  return Object.entries(METHOD_NAMES).find(([, ours]) => ours === method)?.[0] ?? method;
}

/** An RFC 8414 / CLI name (or ours) → ours; null if unknown. */
export function authMethodFromName(name: string): ClientAuthMethod | null {
  return METHOD_NAMES[name] ?? (Object.values(METHOD_NAMES).includes(name as ClientAuthMethod) ? (name as ClientAuthMethod) : null);
}

/**
 * The client authentication methods the server supports at its token endpoint (RFC 8414 §2:
 * client_secret_basic when it does not say).
 */
export function supportedAuthMethods(metadata: ServerMetadata): ClientAuthMethod[] {
  const listed = metadata.document['token_endpoint_auth_methods_supported'];
  const names = Array.isArray(listed) ? listed.filter((v): v is string => typeof v === 'string') : ['client_secret_basic'];
  return names.map((name) => METHOD_NAMES[name]).filter((m): m is ClientAuthMethod => m !== undefined);
}

/**
 * Whether the server offers a grant (RFC 8414 §2 `grant_types_supported`); a server that does
 * not list its grants is taken at its word for the RFC 6749 ones only, its default being
 * authorization_code and implicit.
 */
export function offersGrant(metadata: ServerMetadata, grant: GenericGrant): boolean {
  const listed = metadata.document['grant_types_supported'];
  if (!Array.isArray(listed)) return grant === 'authorization_code';
  return listed.includes(GRANT_TYPE_NAMES[grant]);
}

/**
 * The settings a discovered issuer gives: its endpoints (RFC 8414 §2) and the metadata itself.
 * The auth method stays when the server supports it, or becomes the first it offers.
 */
export function settingsFromMetadata(settings: GenericSettings, metadata: ServerMetadata): GenericSettings {
  const doc = metadata.document;
  const supported = supportedAuthMethods(metadata);
  return {
    ...settings,
    issuer: string(doc['issuer']),
    metadata,
    authorizationUrl: string(doc['authorization_endpoint']),
    tokenUrl: string(doc['token_endpoint']) ?? '',
    revocationUrl: string(doc['revocation_endpoint']),
    clientAuth: supported.length === 0 || supported.includes(settings.clientAuth) ? settings.clientAuth : supported[0]!,
  };
}
