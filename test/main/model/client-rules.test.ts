import { describe, expect, test } from 'vitest';
import { buildClient } from '../../../main/core/clients';
import { clientIssues, fieldDefault, requiredFields, secretRequired, type ClientDraft } from '../../../main/model/client-rules';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import type { GenericSettings, ProviderId } from '../../../main/model/types';
import { providerInfos } from '../../../main/oauth/presets';

const info = (id: ProviderId) => providerInfos().find((candidate) => candidate.id === id)!;
const draft = (over: Partial<ClientDraft> = {}): ClientDraft => ({
  name: 'A client',
  baseUrl: 'https://api.example',
  clientId: 'id',
  redirectUri: null,
  platform: null,
  generic: null,
  allowInsecureHttp: false,
  hasSecret: true,
  ...over,
});
const generic = (over: Partial<GenericSettings> = {}): GenericSettings => ({
  ...DEFAULT_GENERIC,
  tokenUrl: 'https://id.example/token',
  authorizationUrl: 'https://id.example/authorize',
  ...over,
});
const fields = (issues: { field: string; code: string }[]) => issues.map((issue) => `${issue.field}:${issue.code}`);
const context = { id: 'c1', now: new Date(0), defaultBaseUrl: 'https://api.example' };

describe('client rules (main refuses with them; the editor checks them as you type)', () => {
  test('every broken rule is reported at once, each with its field and a code', () => {
    const issues = clientIssues(
      draft({ name: ' ', baseUrl: 'ftp://x', clientId: ' ', generic: generic({ tokenUrl: '', authorizationUrl: null, refreshUrl: 'http://id.example/r' }), hasSecret: false }),
      info('oauth2'),
    );
    expect(fields(issues)).toEqual([
      'name:required',
      'baseUrl:not_http',
      'clientId:required',
      'tokenUrl:required',
      'clientSecret:required',
      'refreshUrl:insecure_http',
      'authorizationUrl:required',
      'redirectUri:required',
    ]);
  });

  test('main refuses a client with the first issue’s message, the same sentence as before', () => {
    const input = { name: 'G', provider: 'oauth2' as const, clientId: 'id', generic: generic({ grant: 'password' }) };
    const [first] = clientIssues(draft({ generic: input.generic }), info('oauth2'));
    expect(first?.message).toBe('The password grant needs a username.');
    expect(() => buildClient(input, null, info('oauth2'), context)).toThrow(first!.message);
    expect(() => buildClient({ ...input, generic: generic({ grant: 'password', username: 'me' }) }, null, info('oauth2'), context)).not.toThrow();
  });

  test('the generic redirect URI’s shown default is the one stored (issue #13, row 2)', () => {
    // Before: the editor showed "Default: http://127.0.0.1/callback", main stored null and refused
    // the authorization code grant ("needs a redirect URI").
    const input = { name: 'G', provider: 'oauth2' as const, clientId: 'id', generic: generic() };
    expect(fieldDefault(info('oauth2'), 'redirectUri')).toBe('http://127.0.0.1/callback');
    expect(buildClient(input, null, info('oauth2'), context).redirectUri).toBe('http://127.0.0.1/callback');
    // A provider without a default still needs one typed.
    expect(() => buildClient({ name: 'H', provider: 'hejhome', clientId: 'id' }, null, info('hejhome'), context)).toThrow('Hejhome needs a redirect URI.');
  });

  test('the secret follows client authentication: shared-secret methods need one, keys and certificates do not', () => {
    expect(secretRequired(info('oauth2'), generic({ clientAuth: 'basic' }))).toBe(true);
    expect(secretRequired(info('oauth2'), generic({ clientAuth: 'client_secret_jwt' }))).toBe(true);
    expect(secretRequired(info('oauth2'), generic({ clientAuth: 'private_key_jwt' }))).toBe(false);
    expect(secretRequired(info('oauth2'), generic({ clientAuth: 'none' }))).toBe(false);
    expect(secretRequired(info('daouoffice'), null)).toBe(true);
    expect(fields(clientIssues(draft({ generic: generic({ clientAuth: 'none' }), redirectUri: 'http://127.0.0.1/cb', hasSecret: false }), info('oauth2')))).toEqual([]);
  });

  test('addresses: cleartext only to this computer unless allowed; app schemes only for the redirect URI', () => {
    const daou = info('daouoffice');
    expect(fields(clientIssues(draft({ baseUrl: 'http://api.example' }), daou))).toEqual(['baseUrl:insecure_http']);
    expect(fields(clientIssues(draft({ baseUrl: 'http://api.example', allowInsecureHttp: true }), daou))).toEqual([]);
    expect(fields(clientIssues(draft({ baseUrl: 'http://127.0.0.1:4000' }), daou))).toEqual([]);
    expect(fields(clientIssues(draft({ baseUrl: 'not a url' }), daou))).toEqual(['baseUrl:invalid_url']);
    expect(fields(clientIssues(draft({ baseUrl: `https://x.example/${'a'.repeat(2000)}` }), daou))).toEqual(['baseUrl:too_long']);
    const oauth2 = info('oauth2');
    expect(fields(clientIssues(draft({ generic: generic(), redirectUri: 'com.example.app:/cb' }), oauth2))).toEqual([]);
    expect(fields(clientIssues(draft({ generic: generic({ tokenUrl: 'com.example.app:/t' }), redirectUri: 'http://127.0.0.1/cb' }), oauth2))).toEqual(['tokenUrl:not_http']);
  });

  test('grant rules: the device grant needs its endpoint unless discovery names it; TLS client auth needs a certificate', () => {
    const oauth2 = info('oauth2');
    const device = generic({ grant: 'device_code', authorizationUrl: null });
    expect(fields(clientIssues(draft({ generic: device }), oauth2))).toEqual(['deviceAuthorizationUrl:required']);
    const discovered = { ...device, metadata: { fetchedAt: 0, document: { device_authorization_endpoint: 'https://id.example/device' } } };
    expect(fields(clientIssues(draft({ generic: discovered }), oauth2))).toEqual([]);
    const tls = generic({ grant: 'client_credentials', clientAuth: 'tls_client_auth' });
    expect(fields(clientIssues(draft({ generic: tls, hasSecret: false }), oauth2))).toEqual(['clientCertificate:required']);
    expect(fields(clientIssues(draft({ generic: { ...tls, clientCertificate: '-----BEGIN CERTIFICATE-----' }, hasSecret: false }), oauth2))).toEqual([]);
  });

  test('required marks come from the same rules and follow the grant and the client authentication', () => {
    const sorted = (set: Set<string>) => [...set].sort();
    const oauth2 = info('oauth2');
    expect(sorted(requiredFields(oauth2, generic(), false))).toEqual(['authorizationUrl', 'clientId', 'clientSecret', 'name', 'tokenUrl']);
    expect(sorted(requiredFields(oauth2, generic({ grant: 'password', clientAuth: 'none' }), false))).toEqual(['clientId', 'name', 'tokenUrl', 'username']);
    expect(sorted(requiredFields(oauth2, generic({ grant: 'client_credentials', clientAuth: 'self_signed_tls_client_auth' }), false))).toEqual([
      'clientCertificate',
      'clientId',
      'name',
      'tokenUrl',
    ]);
    // A stored secret that stays: the field is not required.
    expect(sorted(requiredFields(info('daouoffice'), null, true))).toEqual(['clientId', 'name']);
    expect(sorted(requiredFields(info('hejhome'), null, false))).toEqual(['clientId', 'clientSecret', 'name', 'redirectUri']);
    // itcode: the platform and the redirect URI have defaults.
    expect(sorted(requiredFields(info('itcode'), null, false))).toEqual(['name']);
  });
});
