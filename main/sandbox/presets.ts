/**
 * The ready-made sandbox clients of the first launch, as plain input fields: the desk turns them
 * into clients. Pure: no server needed, only its URL.
 */
import type { GenericSettings, ItcodePlatform, PodRefreshForm, PodShopEnv, ProviderId } from '../model/types';
import { DEFAULT_GENERIC } from '../model/defaults';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS } from './credentials';

export interface SandboxClientPreset {
  name: string;
  provider: ProviderId;
  baseUrl: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string | null;
  scope: string | null;
  env: PodShopEnv | null;
  platform: ItcodePlatform | null;
  podRefreshForm: PodRefreshForm;
  generic: GenericSettings | null;
  /** Password grant only; the sandbox presets use the authorization code grant, so null. */
  password: string | null;
}

const NONE = { env: null, platform: null, podRefreshForm: 'body', generic: null, password: null } as const;

export function sandboxClientPresets(url: string): SandboxClientPreset[] {
  const base = url.replace(/\/+$/, '');
  const { daouoffice, hejhome, podshop, oauth2 } = SANDBOX_CREDENTIALS;
  return [
    {
      ...NONE,
      name: 'Sandbox — Daou Office',
      provider: 'daouoffice',
      baseUrl: base,
      clientId: daouoffice.clientId,
      clientSecret: daouoffice.clientSecret,
      redirectUri: null,
      scope: null,
    },
    {
      ...NONE,
      name: 'Sandbox — Hejhome',
      provider: 'hejhome',
      baseUrl: base,
      clientId: hejhome.clientId,
      clientSecret: hejhome.clientSecret,
      redirectUri: hejhome.redirectUri,
      scope: 'openapi',
    },
    {
      ...NONE,
      name: 'Sandbox — POD Shop',
      provider: 'podshop',
      baseUrl: base,
      clientId: podshop.clientId,
      clientSecret: podshop.clientSecret,
      redirectUri: null,
      scope: null,
      // The doc's examples use the dev host; the base URL overrides it anyway.
      env: 'dev',
    },
    {
      ...NONE,
      name: 'Sandbox — itcode (naver)',
      provider: 'itcode',
      baseUrl: base,
      // itcode's backend holds the platform keys: the app has no client id or secret.
      clientId: '',
      clientSecret: null,
      redirectUri: SANDBOX_CREDENTIALS.itcode.callbackBase,
      scope: null,
      platform: 'naver',
    },
    {
      ...NONE,
      name: 'Sandbox — Generic OAuth 2.0',
      provider: 'oauth2',
      baseUrl: base,
      clientId: oauth2.clientId,
      clientSecret: oauth2.clientSecret,
      // Loopback: the sandbox accepts it on any port (RFC 8252 §7.3).
      redirectUri: 'http://127.0.0.1:47823/oauth2/callback',
      scope: oauth2.scope,
      generic: {
        ...DEFAULT_GENERIC,
        authorizationUrl: `${base}${SANDBOX_OAUTH2_PATHS.authorize}`,
        tokenUrl: `${base}${SANDBOX_OAUTH2_PATHS.token}`,
        revocationUrl: `${base}${SANDBOX_OAUTH2_PATHS.revoke}`,
      },
    },
    {
      ...NONE,
      // Issue #12: a client from the sandbox's issuer, with DPoP-bound tokens (RFC 9449). Its
      // metadata is read on "Refresh discovery"; the endpoints are the ones discovery gives.
      name: 'Sandbox — OAuth 2.0 with DPoP',
      provider: 'oauth2',
      baseUrl: base,
      clientId: oauth2.clientId,
      clientSecret: oauth2.clientSecret,
      redirectUri: null,
      scope: oauth2.scope,
      generic: {
        ...DEFAULT_GENERIC,
        grant: 'client_credentials',
        pkce: false,
        issuer: `${base}${SANDBOX_OAUTH2_PATHS.issuer}`,
        tokenUrl: `${base}${SANDBOX_OAUTH2_PATHS.token}`,
        revocationUrl: `${base}${SANDBOX_OAUTH2_PATHS.revoke}`,
        dpop: true,
      },
    },
  ];
}
