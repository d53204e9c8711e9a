import { describe, expect, test } from 'vitest';
import type { ProviderInfo } from '../../main/ipc/contract';
import { emptyForm, toClientInput, validateForm } from '../../renderer/src/lib/editor';

const daou: ProviderInfo = {
  id: 'daouoffice',
  label: 'Daou Office',
  grant: 'client_credentials',
  fields: [
    { key: 'baseUrl', required: true, default: 'https://api.daouoffice.com' },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
  ],
  environments: [],
};
const pod: ProviderInfo = {
  id: 'podshop',
  label: 'POD Shop',
  grant: 'basic',
  fields: [
    { key: 'env', required: true, default: 'prod' },
    { key: 'baseUrl', required: true, default: 'https://api.pod.shop' },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
    { key: 'podRefreshForm', required: false, default: 'body' },
  ],
  environments: [
    { id: 'prod', label: 'Production', baseUrl: 'https://api.pod.shop' },
    { id: 'dev', label: 'Development', baseUrl: 'https://dev-api.pod.shop' },
  ],
};
const generic: ProviderInfo = { id: 'oauth2', label: 'OAuth 2.0', grant: 'any', fields: [{ key: 'clientId', required: false, default: null }, { key: 'generic', required: true, default: null }], environments: [] };

describe('client editor validation', () => {
  test('a new Daou client needs a name, a client id and a secret; the base URL has a default', () => {
    expect(validateForm(emptyForm('daouoffice'), daou, [], null)).toEqual({
      name: 'editor.invalid.name',
      clientId: 'editor.invalid.required',
      clientSecret: 'editor.invalid.required',
    });
  });

  test('names are unique (case-insensitive) and addresses must be http(s)', () => {
    const form = { ...emptyForm('daouoffice'), name: 'Daou', clientId: 'id', clientSecret: 's', baseUrl: 'ftp://x' };
    expect(validateForm(form, daou, ['daou'], null)).toEqual({ name: 'editor.invalid.nameTaken', baseUrl: 'editor.invalid.url' });
  });

  test('the generic client checks its grant’s URLs, the username of the password grant and extra parameters', () => {
    const form = { ...emptyForm('oauth2'), name: 'G', grant: 'authorization_code' as const, extraParams: 'audience' };
    expect(validateForm(form, generic, [], null)).toEqual({
      tokenUrl: 'editor.invalid.required',
      authorizationUrl: 'editor.invalid.required',
      extraParams: 'editor.invalid.extraParams',
    });
    const password = { ...form, grant: 'password' as const, tokenUrl: 'https://id.example/token', extraParams: 'audience=api' };
    expect(validateForm(password, generic, [], null)).toEqual({ username: 'editor.invalid.required' });
  });
});

describe('client editor input', () => {
  test('sends only the provider’s fields; an empty base URL means the preset’s default', () => {
    const form = { ...emptyForm('daouoffice'), name: ' Daou ', clientId: 'id', clientSecret: 'secret', redirectUri: 'ignored' };
    expect(toClientInput(form, daou, null)).toEqual({ name: 'Daou', provider: 'daouoffice', clientId: 'id', clientSecret: 'secret', autoRefresh: true });
  });

  test('POD Shop: the environment picks the base URL', () => {
    const form = { ...emptyForm('podshop'), name: 'P', clientId: 'id', clientSecret: 'k', env: 'dev' as const };
    expect(toClientInput(form, pod, null)).toMatchObject({ env: 'dev', baseUrl: 'https://dev-api.pod.shop', podRefreshForm: 'body' });
  });

  test('an empty secret while editing keeps the stored one; "remove" sends null', () => {
    const form = { ...emptyForm('daouoffice'), name: 'D', clientId: 'id' };
    const editing = { hasSecret: true } as never;
    expect(toClientInput(form, daou, editing)).not.toHaveProperty('clientSecret');
    expect(toClientInput({ ...form, removeSecret: true }, daou, editing).clientSecret).toBeNull();
  });

  test('generic: extra parameters and custom response field names', () => {
    const form = {
      ...emptyForm('oauth2'),
      name: 'G',
      grant: 'client_credentials' as const,
      tokenUrl: 'https://id.example/token',
      paramsIn: 'query' as const,
      extraParams: 'audience=api\n resource = https://r ',
      fieldAccessToken: 'accessToken',
    };
    expect(toClientInput(form, generic, null).generic).toEqual({
      grant: 'client_credentials',
      authorizationUrl: null,
      tokenUrl: 'https://id.example/token',
      refreshUrl: null,
      revocationUrl: null,
      clientAuth: 'basic',
      paramsIn: 'query',
      pkce: false,
      extraParams: { audience: 'api', resource: 'https://r' },
      responseFields: { accessToken: 'accessToken' },
      username: null,
      issuer: null,
      metadata: null,
      dpop: false,
      proxy: null,
      caCertificates: null,
      clientCertificate: null,
    });
  });
});
