import { describe, expect, it } from 'vitest';
import type { ClientConfig, ServerMetadata } from '../../main/ipc/contract';
import { DEFAULT_REFRESH_POLICY } from '../../main/model/defaults';
import { providerInfos } from '../../main/oauth/presets';
import { emptyForm, formFromConfig, toClientInput } from '../../renderer/src/lib/editor';
import { applyMetadata, authMethodsFor, metadataRows, offersExtensionGrant } from '../../renderer/src/lib/standards';

const generic = providerInfos().find((info) => info.id === 'oauth2')!;
const clientConfig: ClientConfig = {
  id: 'id-x',
  name: 'x',
  provider: 'oauth2',
  baseUrl: 'https://as.example',
  clientId: 'c',
  redirectUri: null,
  scope: null,
  env: null,
  platform: null,
  podRefreshForm: 'body',
  generic: null,
  autoRefresh: true,
  refreshPolicy: DEFAULT_REFRESH_POLICY,
  sandbox: false,
  createdAt: '',
  updatedAt: '',
};

const metadata = {
  fetchedAt: 0,
  document: {
    issuer: 'https://as.example',
    token_endpoint: 'https://as.example/token',
    authorization_endpoint: 'https://as.example/auth',
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_post', 'unknown_method'],
    dpop_signing_alg_values_supported: ['ES256', 'EdDSA'],
  },
};

describe('the editor offers what the server supports', () => {
  it('maps RFC 8414 method names to the editor’s, in the editor’s order', () => {
    expect(authMethodsFor(metadata)).toEqual(['body', 'private_key_jwt']);
    expect(authMethodsFor(null)).toHaveLength(7);
    expect(authMethodsFor({ fetchedAt: 0, document: {} })).toEqual(['basic']);
  });

  it('a discovery fills the endpoints and moves an unsupported auth method to a supported one', () => {
    const form = applyMetadata({ ...emptyForm('oauth2'), issuer: 'https://as.example/', clientAuth: 'basic' }, metadata);
    expect(form).toMatchObject({ issuer: 'https://as.example', tokenUrl: 'https://as.example/token', authorizationUrl: 'https://as.example/auth', clientAuth: 'body', metadata });
  });

  it('the detail lists the metadata members that are present', () => {
    expect(metadataRows(metadata)).toEqual([
      ['issuer', 'https://as.example'],
      ['token_endpoint', 'https://as.example/token'],
      ['authorization_endpoint', 'https://as.example/auth'],
      ['token_endpoint_auth_methods_supported', 'private_key_jwt, client_secret_post, unknown_method'],
      ['dpop_signing_alg_values_supported', 'ES256, EdDSA'],
    ]);
  });
});

describe('the extension grants in the editor (RFC 8693, RFC 7523 §2.1)', () => {
  const listing = (grants: string[]): ServerMetadata => ({ fetchedAt: 0, document: { issuer: 'https://as.example', grant_types_supported: grants } });

  it('are offered only where the discovered server lists them; the RFC 6749 grants always', () => {
    const metadata = listing(['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']);
    expect(offersExtensionGrant(metadata, 'token_exchange')).toBe(true);
    expect(offersExtensionGrant(metadata, 'jwt_bearer')).toBe(false);
    expect(offersExtensionGrant(metadata, 'password')).toBe(true);
    expect(offersExtensionGrant(null, 'jwt_bearer')).toBe(true);
  });

  it('keep their settings through the form: subject/actor client ids, audience, resource, type; the assertion subject', () => {
    const form = {
      ...emptyForm('oauth2'),
      name: 'x',
      clientId: 'c',
      tokenUrl: 'https://as.example/token',
      grant: 'token_exchange' as const,
      subjectClientId: 'id-user',
      actorClientId: '',
      audience: 'orders',
      resource: '',
      requestedTokenType: '',
    };
    const input = toClientInput(form, generic, null);
    expect(input.generic).toMatchObject({ grant: 'token_exchange', tokenExchange: { subjectClientId: 'id-user', actorClientId: null, audience: 'orders', resource: null, requestedTokenType: null } });
    expect(input.generic?.assertionSubject).toBeUndefined();
    expect(formFromConfig({ ...clientConfig, generic: input.generic! })).toMatchObject({ subjectClientId: 'id-user', audience: 'orders', actorClientId: '' });
    const bearer = toClientInput({ ...form, grant: 'jwt_bearer', assertionSubject: 'alice' }, generic, null);
    expect(bearer.generic).toMatchObject({ grant: 'jwt_bearer', assertionSubject: 'alice' });
    expect(bearer.generic?.tokenExchange).toBeUndefined();
  });
});
