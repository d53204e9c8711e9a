/**
 * The domain types every part of TokenDesk shares: main process core, CLI, and (as types only)
 * the renderer. Plain data, no classes: values cross IPC, the agent socket and the store as JSON.
 */

export const PROVIDER_IDS = ['hejhome', 'daouoffice', 'podshop', 'itcode', 'oauth2'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const ITCODE_PLATFORMS = ['naver', 'kakao', 'google', 'github'] as const;
export type ItcodePlatform = (typeof ITCODE_PLATFORMS)[number];

export type PodShopEnv = 'prod' | 'dev';
/** POD Shop refresh: the doc's table (body, /token/refresh) or its curl example (query, /external/{id}/refresh). */
export type PodRefreshForm = 'body' | 'query';

export type GenericGrant = 'authorization_code' | 'client_credentials' | 'password';
export type ClientAuthMethod = 'basic' | 'body' | 'none';
export type ParamPlacement = 'body' | 'query';

/** Custom names of token response fields, for APIs that do not use RFC 6749 §5.1 names. */
export interface ResponseFieldNames {
  accessToken?: string;
  tokenType?: string;
  expiresIn?: string;
  refreshToken?: string;
  refreshExpiresIn?: string;
  scope?: string;
}

/** Every knob of the generic RFC 6749 client (PROVIDERS.md, "A generic RFC 6749 client"). */
export interface GenericSettings {
  grant: GenericGrant;
  authorizationUrl: string | null;
  tokenUrl: string;
  refreshUrl: string | null;
  revocationUrl: string | null;
  clientAuth: ClientAuthMethod;
  paramsIn: ParamPlacement;
  pkce: boolean;
  extraParams: Record<string, string>;
  responseFields: ResponseFieldNames;
  /** password grant only (legacy); the password itself is a secret (ClientSecrets.password). */
  username: string | null;
}

export interface RefreshPolicy {
  /** Refresh this fraction of the lifetime before expiry (0.1 = 10%). */
  leadFraction: number;
  /** ...but never earlier than this many seconds before expiry. */
  maxLeadSeconds: number;
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = { leadFraction: 0.1, maxLeadSeconds: 300 };

/** A configured client, as stored (without its secrets) and as shown. */
export interface ClientConfig {
  id: string;
  /** Unique, used by the command line (`tokendesk token NAME`). */
  name: string;
  provider: ProviderId;
  baseUrl: string;
  clientId: string;
  redirectUri: string | null;
  scope: string | null;
  /** POD Shop only. */
  env: PodShopEnv | null;
  /** itcode only. */
  platform: ItcodePlatform | null;
  /** POD Shop only; default 'body'. */
  podRefreshForm: PodRefreshForm;
  /** oauth2 (generic) only. */
  generic: GenericSettings | null;
  autoRefresh: boolean;
  refreshPolicy: RefreshPolicy;
  /** Created for the built-in sandbox. */
  sandbox: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Secrets of a client: encrypted at rest, never sent to the renderer. */
export interface ClientSecrets {
  clientSecret: string | null;
  /** password grant (generic, legacy). */
  password: string | null;
}

/** A token set as TokenDesk keeps it, whatever the provider's response looked like. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** epoch ms, null when the provider gave no lifetime. */
  expiresAt: number | null;
  issuedAt: number;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  scope: string | null;
  /** itcode: the cookies the tokens came in (name → value). */
  cookies: Record<string, string> | null;
  /** The provider's token response body as received (parsed JSON or text): secret-bearing. */
  raw: unknown;
}

export type ClientState =
  | 'none' // no token yet
  | 'valid'
  | 'refreshing'
  | 'expiring' // inside the refresh lead time
  | 'expired'
  | 'needs_signin'
  | 'error';

/** One recorded HTTP exchange (PROVIDERS issue §4). Stored encrypted; masked before it leaves main. */
export interface Exchange {
  id: string;
  clientId: string;
  startedAt: number;
  durationMs: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number | null;
  responseHeaders: Record<string, string | string[]>;
  responseBody: string | null;
  /** A network-level failure (no response). */
  error: string | null;
}

export type ErrorCode =
  | 'bad_request' // invalid IPC / CLI input
  | 'untrusted_sender'
  | 'not_found'
  | 'conflict'
  | 'provider_rejected' // the provider answered with an error (4xx/5xx, RFC 6749 §5.2, Daou, itcode flag:false)
  | 'invalid_grant' // refresh token / code no longer valid → sign in again
  | 'needs_signin'
  | 'invalid_response' // not JSON, HTML page, 200 without access token
  | 'network'
  | 'timeout'
  | 'tls'
  | 'state_mismatch'
  | 'cancelled'
  | 'unsupported'
  | 'storage'
  | 'rate_limited' // TokenDesk held back a provider call: the per-client ceiling (tokens/refresh-guard.ts)
  | 'internal';

/** What crosses IPC / the agent socket for a failure (Electron drops custom error classes). */
export interface ErrorInfo {
  code: ErrorCode;
  /** One clear sentence: what happened and what to do next. */
  message: string;
  /** The provider's own message, as it wrote it (Korean included). */
  providerMessage?: string;
  status?: number;
  /** The raw response body, for bodies that were not what we expected. */
  rawBody?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** What a client offers in the UI and the CLI. */
export interface Capabilities {
  issue: boolean; // non-interactive grant
  signIn: boolean; // interactive (authorization code, itcode social login)
  refresh: boolean;
  revoke: boolean;
  signOut: boolean;
  userInfo: boolean;
  reconsent: boolean;
  basicHeader: boolean; // POD Shop direct Basic calls
}

/** A token as the renderer sees it: values masked. */
export interface TokenView {
  accessTokenMasked: string;
  tokenType: string;
  expiresAt: number | null;
  issuedAt: number;
  hasRefreshToken: boolean;
  refreshTokenMasked: string | null;
  refreshExpiresAt: number | null;
  scope: string | null;
  isJwt: boolean;
}

export interface ClientView {
  config: ClientConfig;
  hasSecret: boolean;
  state: ClientState;
  token: TokenView | null;
  nextRefreshAt: number | null;
  /** When the refresh lead time starts ("expiring soon"), whether or not auto-refresh is on. */
  expiringAt: number | null;
  lastError: ErrorInfo | null;
  capabilities: Capabilities;
}
