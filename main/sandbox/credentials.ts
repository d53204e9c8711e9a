/**
 * The sandbox's fixed, documented accounts, lifetimes and paths. Nothing here is a real secret:
 * these values are printed in the README and prefilled in the first-run sandbox clients.
 */
import type { PodRefreshForm } from '../model/types';

export const SANDBOX_CREDENTIALS = {
  daouoffice: {
    clientId: 'sandbox-daou-client',
    clientSecret: 'sandbox-daou-secret',
  },
  hejhome: {
    clientId: 'sandbox-hejhome-client',
    clientSecret: 'sandbox-hejhome-secret',
    /** Registered redirect URI; compared as raw, unencoded text (docs/providers.md §1). */
    redirectUri: 'http://127.0.0.1:47823/hejhome/callback',
    /** The account for the ID/PW login page. */
    username: 'sandbox@tokendesk.dev',
    password: 'sandbox-password',
  },
  podshop: {
    clientId: 'sandbox-pod-client',
    /** POD Shop calls it the client key (docs/providers.md §3). */
    clientSecret: 'sandbox-pod-key',
  },
  itcode: {
    /** itcode's backend holds the platform keys itself: the app has no client id (docs/providers.md §4). */
    platformClientIds: {
      naver: 'sandbox-naver-app',
      kakao: 'sandbox-kakao-app',
      google: 'sandbox-google-app',
      github: 'sandbox-github-app',
    },
    /** The real callback (the app catches the redirect before it loads). */
    callbackBase: 'https://project.itcode.dev/oauth2/callback',
    user: { email: 'sandbox@tokendesk.dev', name: 'Sandbox User' },
  },
  oauth2: {
    /** Confidential client: Basic (client_secret_basic) or body (client_secret_post), never both. */
    clientId: 'sandbox-oauth2-client',
    clientSecret: 'sandbox-oauth2-secret',
    /** Public client (token endpoint auth "none"); PKCE is required for it. */
    publicClientId: 'sandbox-oauth2-public',
    /**
     * Registered redirect URIs. A loopback one matches on any port (RFC 8252 §7.3), so a test's
     * loopback listener on a random port is accepted.
     */
    redirectUris: ['http://127.0.0.1/oauth2/callback', 'https://tokendesk.dev/oauth2/callback'],
    /** The resource owner: password grant and the authorize page's login form. */
    username: 'sandbox-user',
    password: 'sandbox-password',
    scope: 'read write',
    /**
     * RFC 7523 §2.1: the key pair whose public half the server holds for the confidential client;
     * a JWT bearer assertion must be signed with it (ES256) and name the client as `iss`.
     */
    assertionKey: {
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      kid: 'sandbox-assertion-key',
      x: 'XYuWThTiVoyxx58rRHo1MLJh3lDE4mmkUMotqVey0Js',
      y: 'umSYp80we67QcO0q5AYQsdYAIGWEkiTxeF5VHzeFvuE',
      d: 'x6gxHMDv6ZPy2I3pGEhDC0CNRtjeB-iCTJAmZ6JIArY',
    },
  },
} as const;

/** Paths of the generic RFC 6749 server and its two quirky token endpoints. */
export const SANDBOX_OAUTH2_PATHS = {
  /** The generic server's issuer path (RFC 8414 §2), and its metadata (§3.1: well-known inserted before the path). */
  issuer: '/oauth2',
  metadata: '/.well-known/oauth-authorization-server/oauth2',
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  /** RFC 7009 */
  revoke: '/oauth2/revoke',
  userinfo: '/oauth2/userinfo',
  /** RFC 8628 §3.1 device authorization endpoint, and §3.3 the verification page. */
  deviceAuthorization: '/oauth2/device_authorization',
  device: '/oauth2/device',
  /** Token endpoint that reads every parameter from the query string only (Hejhome style). */
  queryToken: '/oauth2/quirky/query/token',
  /** Token endpoint whose response uses the field names in SANDBOX_CUSTOM_FIELDS. */
  customFieldsToken: '/oauth2/quirky/fields/token',
} as const;

/** Response field names of SANDBOX_OAUTH2_PATHS.customFieldsToken (a ResponseFieldNames value). */
export const SANDBOX_CUSTOM_FIELDS = {
  accessToken: 'accessToken',
  tokenType: 'tokenType',
  expiresIn: 'expiresIn',
  refreshToken: 'refreshToken',
  refreshExpiresIn: 'refreshExpiresIn',
  scope: 'scope',
} as const;

/** Protected APIs that accept the issued tokens, one per provider. */
export const SANDBOX_API_PATHS = {
  daouoffice: '/public/v1/me',
  hejhome: '/openapi/homes',
  /** Accepts plain Basic as well as Bearer (docs/providers.md §3). */
  podshop: '/ac/ext/v1/me',
  itcode: '/oauth2/api/userinfo',
  oauth2: '/oauth2/userinfo',
} as const;

/** Seconds. */
export interface SandboxLifetimes {
  daouAccess: number;
  hejhomeAccess: number;
  hejhomeRefresh: number;
  podAccess: number;
  podRefresh: number;
  itcodeAccess: number;
  itcodeRefresh: number;
  oauth2Access: number;
  oauth2Refresh: number;
  /** Authorization codes (Hejhome, itcode platforms, generic). */
  authorizationCode: number;
  /** Generic device codes (RFC 8628 §3.2 expires_in). */
  deviceCode: number;
  /** Generic device grant polling interval (RFC 8628 §3.2 interval), before any slow_down. */
  deviceInterval: number;
}

/** A few minutes, so expiry and refresh are visible in the UI without waiting days. */
export const DEFAULT_SANDBOX_LIFETIMES: SandboxLifetimes = {
  daouAccess: 300,
  hejhomeAccess: 300,
  // The refresh token's lifetime is not in Hejhome's response: the preset assumes the documented
  // 360 days (docs/providers.md §1), so the sandbox keeps its refresh tokens that long too.
  hejhomeRefresh: 360 * 86_400,
  podAccess: 240,
  podRefresh: 1800,
  itcodeAccess: 180,
  itcodeRefresh: 1800,
  oauth2Access: 300,
  oauth2Refresh: 3600,
  authorizationCode: 120,
  deviceCode: 600,
  deviceInterval: 5,
};

/** Server behaviour a test may change at runtime. */
export interface SandboxConfig {
  /** POD Shop: the refresh form(s) the server accepts; a disabled form answers podRefusedFormStatus. */
  podRefreshForms: PodRefreshForm[];
  podRefusedFormStatus: 400 | 404 | 415;
  /** Hejhome's registered redirect URI (raw text). */
  hejhomeRedirectUri: string;
  /** Where the fake itcode platforms send the browser back (`?platform=…` is appended). */
  itcodeCallbackBase: string;
  /** The generic server's registered redirect URIs (loopback ones match any port). */
  oauth2RedirectUris: string[];
  /**
   * Refreshes answer "nothing to do": itcode's auto-login without Set-Cookie; Hejhome, POD Shop
   * and Daou hand back the still-valid token they last issued with what is left of its lifetime
   * (docs/providers.md §6 "No refresh loops"). The generic server is not affected.
   */
  refreshNothingToDo: boolean;
  /** Hejhome renews the access token but hands back the same refresh token (docs/providers.md §1). */
  hejhomeSameRefreshToken: boolean;
}

export function defaultSandboxConfig(): SandboxConfig {
  return {
    podRefreshForms: ['body', 'query'],
    podRefusedFormStatus: 404,
    hejhomeRedirectUri: SANDBOX_CREDENTIALS.hejhome.redirectUri,
    itcodeCallbackBase: SANDBOX_CREDENTIALS.itcode.callbackBase,
    oauth2RedirectUris: [...SANDBOX_CREDENTIALS.oauth2.redirectUris],
    refreshNothingToDo: false,
    hejhomeSameRefreshToken: false,
  };
}
