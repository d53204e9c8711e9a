/**
 * The editor's and the detail's view of a generic client's standards settings (issue #12): the
 * client authentication methods the server supports (RFC 8414 §2), the form filled from
 * discovered metadata, and the metadata rows the detail shows. Pure, unit-tested.
 */
import type { ClientAuthMethod, GenericGrant, ServerMetadata } from '../../../main/ipc/contract';
import { GRANT_TYPE_NAMES } from '../../../main/model/types';
import type { ClientForm } from './editor';

/** Every method TokenDesk can use, in the order the editor offers them. */
export const AUTH_METHODS: readonly ClientAuthMethod[] = [
  'basic',
  'body',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
  'none',
];

/** RFC 8414 names → ours (`basic` / `body` predate the standards work). */
const RFC_NAMES: Record<string, ClientAuthMethod> = {
  client_secret_basic: 'basic',
  client_secret_post: 'body',
  client_secret_jwt: 'client_secret_jwt',
  private_key_jwt: 'private_key_jwt',
  tls_client_auth: 'tls_client_auth',
  self_signed_tls_client_auth: 'self_signed_tls_client_auth',
  none: 'none',
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The methods the server supports (client_secret_basic when it does not say); all without metadata. */
export function authMethodsFor(metadata: ServerMetadata | null): ClientAuthMethod[] {
  if (!metadata) return [...AUTH_METHODS];
  const listed = metadata.document['token_endpoint_auth_methods_supported'];
  const names = Array.isArray(listed) ? strings(listed) : ['client_secret_basic'];
  const supported = new Set(names.map((name) => RFC_NAMES[name]).filter((m): m is ClientAuthMethod => m !== undefined));
  return AUTH_METHODS.filter((method) => supported.has(method));
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The form after a discovery: the issuer as the server states it, its endpoints, a supported auth method. */
export function applyMetadata(form: ClientForm, metadata: ServerMetadata): ClientForm {
  const doc = metadata.document;
  const methods = authMethodsFor(metadata);
  return {
    ...form,
    metadata,
    issuer: text(doc['issuer']) || form.issuer,
    authorizationUrl: text(doc['authorization_endpoint']),
    tokenUrl: text(doc['token_endpoint']),
    revocationUrl: text(doc['revocation_endpoint']),
    clientAuth: methods.includes(form.clientAuth) || methods.length === 0 ? form.clientAuth : methods[0]!,
  };
}

/** The metadata the detail shows: [label key, value] rows, lists joined, absent members left out. */
export function metadataRows(metadata: ServerMetadata): [string, string][] {
  const doc = metadata.document;
  const rows: [string, string][] = [];
  const add = (key: string, value: unknown) => {
    const shown = Array.isArray(value) ? strings(value).join(', ') : text(value);
    if (shown) rows.push([key, shown]);
  };
  add('issuer', doc['issuer']);
  add('token_endpoint', doc['token_endpoint']);
  add('authorization_endpoint', doc['authorization_endpoint']);
  add('token_endpoint_auth_methods_supported', doc['token_endpoint_auth_methods_supported']);
  add('grant_types_supported', doc['grant_types_supported']);
  add('code_challenge_methods_supported', doc['code_challenge_methods_supported']);
  add('dpop_signing_alg_values_supported', doc['dpop_signing_alg_values_supported']);
  add('jwks_uri', doc['jwks_uri']);
  return rows;
}

/**
 * The extension grants (RFC 8693 token exchange, RFC 7523 §2.1 JWT bearer) only where the
 * discovered server lists them in grant_types_supported; without metadata, every grant (the user
 * typed the endpoints and knows the server). The RFC 6749 grants are always offered.
 */
export function offersExtensionGrant(metadata: ServerMetadata | null, grant: GenericGrant): boolean {
  if (grant !== 'token_exchange' && grant !== 'jwt_bearer') return true;
  if (!metadata) return true;
  return strings(metadata.document['grant_types_supported']).includes(GRANT_TYPE_NAMES[grant]);
}
