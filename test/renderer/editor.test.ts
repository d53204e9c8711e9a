import { describe, expect, test } from 'vitest';
import type { ProviderInfo } from '../../main/ipc/contract';
import { providerInfos } from '../../main/oauth/presets';
import { advancedInUse, emptyForm, requiredFields, toClientInput, validateForm } from '../../renderer/src/lib/editor';

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
// The real presets: the editor must agree with what main announces and enforces.
const pod = providerInfos().find((info) => info.id === 'podshop')!;
const generic = providerInfos().find((info) => info.id === 'oauth2')!;

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
    const form = { ...emptyForm('oauth2'), name: 'G', clientId: 'id', clientSecret: 's', grant: 'authorization_code' as const, extraParams: 'audience' };
    expect(validateForm(form, generic, [], null)).toEqual({
      tokenUrl: 'editor.invalid.required',
      authorizationUrl: 'editor.invalid.required',
      extraParams: 'editor.invalid.extraParams',
    });
    const password = { ...form, grant: 'password' as const, tokenUrl: 'https://id.example/token', extraParams: 'audience=api' };
    expect(validateForm(password, generic, [], null)).toEqual({ username: 'editor.invalid.required' });
  });

  test('the generic client agrees with main: a secret unless the client authenticates otherwise; the redirect URI default is sent (issue #13, row 2)', () => {
    const form = { ...emptyForm('oauth2'), name: 'G', clientId: 'id', grant: 'authorization_code' as const, tokenUrl: 'https://id.example/token', authorizationUrl: 'https://id.example/authorize' };
    // Before, the form accepted this and main refused it, one error per submit ("needs a client secret").
    expect(validateForm(form, generic, [], null)).toEqual({ clientSecret: 'editor.invalid.required' });
    expect(validateForm({ ...form, clientAuth: 'none' }, generic, [], null)).toEqual({});
    expect(validateForm({ ...form, clientAuth: 'private_key_jwt' }, generic, [], null)).toEqual({});
    // Before, "Default: http://127.0.0.1/callback" was only shown; main got null and refused it.
    expect(toClientInput(form, generic, null).redirectUri).toBe('http://127.0.0.1/callback');
  });

  test('cleartext to another host is refused as main refuses it, unless allowed', () => {
    const form = { ...emptyForm('daouoffice'), name: 'D', clientId: 'id', clientSecret: 's', baseUrl: 'http://api.example' };
    expect(validateForm(form, daou, [], null)).toEqual({ baseUrl: 'editor.invalid.insecureHttp' });
    expect(validateForm({ ...form, allowInsecureHttp: true }, daou, [], null)).toEqual({});
    expect(validateForm({ ...form, name: 'x'.repeat(101) }, daou, [], null)).toEqual({ name: 'editor.invalid.tooLong', baseUrl: 'editor.invalid.insecureHttp' });
  });

  test('the device grant asks for its endpoint, which the form sends', () => {
    const form = { ...emptyForm('oauth2'), name: 'G', clientId: 'id', clientSecret: 's', grant: 'device_code' as const, tokenUrl: 'https://id.example/token' };
    expect(validateForm(form, generic, [], null)).toEqual({ deviceAuthorizationUrl: 'editor.invalid.required' });
    const filled = { ...form, deviceAuthorizationUrl: 'https://id.example/device' };
    expect(validateForm(filled, generic, [], null)).toEqual({});
    expect(toClientInput(filled, generic, null).generic?.deviceAuthorizationUrl).toBe('https://id.example/device');
  });

  test('required marks come from the same rules: they follow the grant and the client authentication', () => {
    const form = { ...emptyForm('oauth2'), grant: 'authorization_code' as const };
    expect([...requiredFields(form, generic, null)].sort()).toEqual(['authorizationUrl', 'clientId', 'clientSecret', 'name', 'tokenUrl']);
    expect([...requiredFields({ ...form, grant: 'password', clientAuth: 'none' }, generic, null)].sort()).toEqual(['clientId', 'name', 'tokenUrl', 'username']);
    expect([...requiredFields(emptyForm('daouoffice'), daou, { hasSecret: true } as never)].sort()).toEqual(['clientId', 'name']);
  });
});

describe('client editor input', () => {
  test('sends only the provider’s fields; an empty base URL means the preset’s default', () => {
    const form = { ...emptyForm('daouoffice'), name: ' Daou ', clientId: 'id', clientSecret: 'secret', redirectUri: 'ignored' };
    expect(toClientInput(form, daou, null)).toEqual({ name: 'Daou', provider: 'daouoffice', clientId: 'id', clientSecret: 'secret', autoRefresh: true });
  });

  test('POD Shop: one host control, the base URL, whose default is the documented dev host', () => {
    const form = { ...emptyForm('podshop'), name: 'P', clientId: 'id', clientSecret: 'k' };
    expect(pod.fields.map((field) => field.key)).not.toContain('env');
    expect(validateForm(form, pod, [], null)).toEqual({});
    expect(toClientInput(form, pod, null)).toEqual({ name: 'P', provider: 'podshop', clientId: 'id', clientSecret: 'k', podRefreshForm: 'body', autoRefresh: true });
    expect(toClientInput({ ...form, baseUrl: 'https://pod.example' }, pod, null).baseUrl).toBe('https://pod.example');
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
      deviceAuthorizationUrl: null,
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

describe('client editor layout', () => {
  test('the folded advanced settings open by themselves when the client uses one of them', () => {
    const form = { ...emptyForm('oauth2'), grant: 'authorization_code' as const, tokenUrl: 'https://id.example/token', baseUrl: 'https://id.example' };
    expect(advancedInUse(form)).toBe(false);
    expect(advancedInUse({ ...form, revocationUrl: 'https://id.example/revoke' })).toBe(true);
    expect(advancedInUse({ ...form, dpop: true })).toBe(true);
    expect(advancedInUse({ ...form, pkce: false })).toBe(true);
    expect(advancedInUse({ ...form, extraParams: 'audience=api' })).toBe(true);
  });
});
