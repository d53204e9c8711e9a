import { describe, expect, it } from 'vitest';
import { emptyForm } from '../../renderer/src/lib/editor';
import { applyMetadata, authMethodsFor, metadataRows } from '../../renderer/src/lib/standards';

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
