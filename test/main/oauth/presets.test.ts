import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../../main/model/types';
import { capabilitiesOf, defaultBaseUrl, PRESETS, providerInfos } from '../../../main/oauth/presets';
import { clientConfig } from '../../helpers/oauth-browser';

describe('presets', () => {
  it('has one preset per provider', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...PROVIDER_IDS].sort());
    expect(providerInfos().map((info) => info.id).sort()).toEqual([...PROVIDER_IDS].sort());
  });

  it('offers POD Shop only the documented dev-api host; a production host is typed by the user', () => {
    const pod = providerInfos().find((info) => info.id === 'podshop')!;
    expect(pod.environments).toEqual([{ id: 'dev', label: 'dev-api.pod.shop', baseUrl: 'https://dev-api.pod.shop' }]);
    expect(pod.fields.find((f) => f.key === 'baseUrl')!.default).toBe('https://dev-api.pod.shop');
    expect(pod.fields.some((f) => f.key === 'env')).toBe(false);
    expect(defaultBaseUrl('podshop')).toBe('https://dev-api.pod.shop');
    expect(defaultBaseUrl('podshop', 'dev')).toBe('https://dev-api.pod.shop');
    expect(defaultBaseUrl('podshop', 'prod')).toBe('');
    expect(JSON.stringify(providerInfos())).not.toContain('https://api.pod.shop');
  });

  it('knows the documented base URLs', () => {
    expect(defaultBaseUrl('hejhome')).toBe('https://goqual.io');
    expect(defaultBaseUrl('daouoffice')).toBe('https://api.daouoffice.com');
    expect(defaultBaseUrl('itcode')).toBe('https://api.itcode.dev');
    expect(defaultBaseUrl('oauth2')).toBe('');
  });

  it('asks a Hejhome user for client id, secret and redirect URI only', () => {
    const fields = providerInfos().find((info) => info.id === 'hejhome')!.fields.filter((f) => f.key !== 'baseUrl');
    expect(fields.map((f) => f.key)).toEqual(['clientId', 'clientSecret', 'redirectUri']);
  });

  it('derives capabilities from the provider and its settings', () => {
    expect(capabilitiesOf(clientConfig('daouoffice'))).toMatchObject({ issue: true, signIn: false, refresh: true });
    expect(capabilitiesOf(clientConfig('podshop'))).toMatchObject({ issue: true, basicHeader: true });
    expect(capabilitiesOf(clientConfig('hejhome'))).toMatchObject({ issue: false, signIn: true, refresh: true });
    expect(capabilitiesOf(clientConfig('itcode', { platform: 'naver' }))).toMatchObject({ signIn: true, reconsent: true, userInfo: true, signOut: true, revoke: true });
    expect(capabilitiesOf(clientConfig('itcode', { platform: 'google' })).reconsent).toBe(false);
    const generic = {
      grant: 'client_credentials' as const,
      authorizationUrl: null,
      tokenUrl: 'https://x.test/token',
      refreshUrl: null,
      revocationUrl: 'https://x.test/revoke',
      clientAuth: 'basic' as const,
      paramsIn: 'body' as const,
      pkce: true,
      extraParams: {},
      responseFields: {},
      username: null,
    };
    expect(capabilitiesOf(clientConfig('oauth2', { generic }))).toMatchObject({ issue: true, signIn: false, revoke: true });
    expect(capabilitiesOf(clientConfig('oauth2', { generic: { ...generic, grant: 'authorization_code', authorizationUrl: '/authorize' } }))).toMatchObject({
      issue: false,
      signIn: true,
    });
  });
});
