/**
 * The domain types every part of TokenDesk shares: main process core, CLI, and (as types only)
 * the renderer. Plain data, no classes: values cross IPC, the agent socket and the store as JSON.
 * The ground floor: this folder imports nothing of the app (eslint.config.js enforces it).
 */
import type { MessageText } from './messages';

export const PROVIDER_IDS = ['hejhome', 'daouoffice', 'podshop', 'itcode', 'oauth2'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const ITCODE_PLATFORMS = ['naver', 'kakao', 'google', 'github'] as const;
export type ItcodePlatform = (typeof ITCODE_PLATFORMS)[number];

export type PodShopEnv = 'prod' | 'dev';
/** POD Shop refresh: the doc's table (body, /token/refresh) or its curl example (query, /external/{id}/refresh). */
export type PodRefreshForm = 'body' | 'query';

/** RFC 6749 §4, RFC 8628 (device_code), RFC 8693 (token_exchange), RFC 7523 §2.1 (jwt_bearer). */
export const GENERIC_GRANTS = ['authorization_code', 'client_credentials', 'password', 'device_code', 'token_exchange', 'jwt_bearer'] as const;
export type GenericGrant = (typeof GENERIC_GRANTS)[number];
/** Each grant's name in RFC 8414 §2 `grant_types_supported` (the extension grants are URNs). */
export const GRANT_TYPE_NAMES: Record<GenericGrant, string> = {
  authorization_code: 'authorization_code',
  client_credentials: 'client_credentials',
  password: 'password',
  device_code: 'urn:ietf:params:oauth:grant-type:device_code',
  token_exchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
  jwt_bearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
};

/**
 * RFC 8693 §2.1: the subject token (and the actor token) are other clients' valid access tokens,
 * fetched (and refreshed when due) at the moment of the exchange; the clients are named by id.
 */
export interface TokenExchangeSettings {
  subjectClientId: string;
  actorClientId?: string | null;
  audience?: string | null;
  resource?: string | null;
  /** §3 token type identifier, e.g. urn:ietf:params:oauth:token-type:access_token. */
  requestedTokenType?: string | null;
}
/**
 * RFC 6749 §2.3.1 `basic` (client_secret_basic) and `body` (client_secret_post), `none` (public
 * client), RFC 7523 §2.2 JWT assertions (`client_secret_jwt`, `private_key_jwt`), RFC 8705 §2
 * certificates (`tls_client_auth`, `self_signed_tls_client_auth`).
 */
export const CLIENT_AUTH_METHODS = [
  'basic',
  'body',
  'none',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** RFC 8414 §2 / OpenID Connect Discovery 1.0 §3 metadata as the server sent it, and when. */
export interface ServerMetadata {
  /** epoch ms */
  fetchedAt: number;
  document: Record<string, unknown>;
}
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

/** Every knob of the generic RFC 6749 client (docs/providers.md §5). */
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
  /*
   * Issue #12 (standards). Optional: clients stored before them read as "not set". A client with
   * an issuer, DPoP, a JWT or certificate auth method runs through oauth4webapi (main/oauth/standards).
   */
  /** RFC 8414 issuer identifier the endpoints were discovered from. */
  issuer?: string | null;
  metadata?: ServerMetadata | null;
  /** RFC 9449: token and refresh requests carry DPoP proofs (the key pair is ClientSecrets.dpopKey). */
  dpop?: boolean;
  /** http(s)://[user:pass@]host:port for this client's requests; otherwise HTTPS_PROXY / NO_PROXY. */
  proxy?: string | null;
  /** PEM certificates trusted for this client's servers, besides the system's. */
  caCertificates?: string | null;
  /** RFC 8705 client certificate (PEM); its key is ClientSecrets.tlsClientKey. */
  clientCertificate?: string | null;
  /** The public JWK of the private_key_jwt key, to register with the server. */
  clientPublicJwk?: Record<string, unknown> | null;  /** RFC 9126: push the authorization request first (a server that requires it gets it anyway). */
  par?: boolean;
  /** RFC 8628 §3.1, when not discovered: the device authorization endpoint. */
  deviceAuthorizationUrl?: string | null;
  /** Grant token_exchange (RFC 8693). */
  tokenExchange?: TokenExchangeSettings | null;
  /** Grant jwt_bearer (RFC 7523 §3): the assertion's `sub`; unset, the client id. */
  assertionSubject?: string | null;
}

export interface RefreshPolicy {
  /** Refresh this fraction of the lifetime before expiry (0.1 = 10%). */
  leadFraction: number;
  /** ...but never earlier than this many seconds before expiry. */
  maxLeadSeconds: number;
}

export const SINK_KINDS = ['dotenv', 'json', 'postman', 'file'] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

/** A file that gets the client's access token on every issue and refresh (main/sinks/). */
export interface Sink {
  id: string;
  kind: SinkKind;
  /** Absolute path of the file. */
  path: string;
  /** dotenv and postman: the variable's name; json: a JSON Pointer (RFC 6901); file: ''. */
  key: string;
}

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
  /** Cleartext http:// to a host other than loopback, allowed by the user (badge in the UI, warning on every send). */
  allowInsecureHttp?: boolean;
  /** Created for the built-in sandbox. */
  sandbox: boolean;
  /** `tokendesk exec`/`env` variables are <envPrefix>_TOKEN and _AUTHORIZATION; unset: TOKENDESK_<NAME>. */
  envPrefix?: string | null;
  sinks?: Sink[];
  createdAt: string;
  updatedAt: string;
}

/** Secrets of a client: encrypted at rest, never sent to the renderer. */
export interface ClientSecrets {
  clientSecret: string | null;
  /** password grant (generic, legacy). */
  password: string | null;
  /** private_key_jwt signing key: PKCS#8 PEM or a private JWK (JSON). */
  privateKey?: string | null;
  /** RFC 8705 client certificate's private key (PEM). */
  tlsClientKey?: string | null;
  /** RFC 9449 DPoP key pair: a private JWK (JSON), generated by TokenDesk. */
  dpopKey?: string | null;
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
  /** POD Shop: the refresh form its server took last, tried first next time (docs/providers.md §3). */
  refreshForm?: PodRefreshForm;
  /** The provider's token response body as received (parsed JSON or text): secret-bearing. */
  raw: unknown;
  /** What a standards flow verified on the way (PKCE, state, iss, nonce, id_token); merged into the exchange's security check. */
  verified?: SignInFacts;
}

/** What the authorization step of a sign-in established (main/oauth/standards/security-check.ts). */
export interface SignInFacts {
  /** The PKCE method sent, null without PKCE. */
  pkce: 'S256' | 'plain' | null;
  stateMatched: boolean;
  /** RFC 9207: matched; absent from a server that does not announce it; not checked otherwise. */
  iss: 'matched' | 'absent' | 'not_supported';
  /** OpenID Connect: the nonce sent and found again in the id_token. */
  nonce: 'matched' | 'not_sent';
  /** The id_token checked against the JWKS with jose; null when there was none. */
  idToken: { signature: boolean; claims: boolean; atHash: 'matched' | 'absent' } | null;
  /** RFC 9126: the request went by PAR. */
  par: boolean;
}

export type ClientState =
  | 'none' // no token yet
  | 'damaged' // its stored settings or client secret cannot be read: see ClientView.damage
  | 'valid'
  | 'refreshing'
  | 'expiring' // inside the refresh lead time
  | 'expired'
  | 'needs_signin'
  | 'error';

/** What issue #12 item 8 lists for every sign-in and token exchange (main/oauth/standards/security-check.ts). */
export const SECURITY_CHECK_IDS = [
  'pkce',
  'state',
  'iss',
  'nonce',
  'id_token_signature',
  'id_token_claims',
  'token_bound',
  'transport',
  'scope',
  'refresh_token',
] as const;
export type SecurityCheckId = (typeof SECURITY_CHECK_IDS)[number];

/**
 * verified: checked and good; failed: checked and bad (the exchange was refused, or is unsafe);
 * unverified: could have been checked or protected and was not; not_applicable: no such thing here.
 */
export type SecurityOutcome = 'verified' | 'failed' | 'unverified' | 'not_applicable';

/** One line of the security check: a code and its parameters, translated by the renderer. */
export interface SecurityCheck {
  id: SecurityCheckId;
  outcome: SecurityOutcome;
  /** A short code for why (e.g. 'plain', 'absent', 'rotated', 'reused', 'narrowed'). */
  reason: string;
  params?: Record<string, string>;
}

/**
 * Why a sign-in was refused by one of its own checks (RFC 9207 iss, state, the id_token): the
 * check that failed and what had been verified before it, so the record can show them.
 */
export interface SignInRefusal {
  failed: { id: SecurityCheckId; reason: string };
  facts: Partial<SignInFacts>;
}

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
  /** For the token response of a sign-in, issue, refresh or device grant: what was verified. */
  security?: SecurityCheck[];
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
  /** The message as a code and parameters, for the renderer to translate (`message` is its English). */
  text?: MessageText;
}

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
  device: boolean; // RFC 8628 device authorization grant
  introspect: boolean; // RFC 7662
}

/** A device sign-in waiting for the user (RFC 8628 §3.2-§3.3): what to show, large. */
export interface DeviceSignInView {
  clientId: string;
  userCode: string;
  verificationUri: string;
  /** With the user code in it: the QR code's content. */
  verificationUriComplete: string | null;
  /** epoch ms */
  expiresAt: number;
  intervalMs: number;
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
  /** POD Shop: the refresh form that worked last; absent until one did. */
  refreshForm?: PodRefreshForm;
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
  /** What of the client's stored data cannot be read, and what to do (issue #11, item 2). */
  damage: ClientDamage | null;
}

/**
 * What of a client's stored data cannot be read (checked lazily, one client at a time): the
 * client is still listed, can be edited, re-entered and removed, and no other client is touched.
 * - settings: its configuration fails the schema (a bad field, an unknown provider).
 * - secret: its sealed client secret / password does not open (changed on disk, another key).
 * - token: its sealed token does not open or fails the schema; signing in again replaces it.
 */
export type DamageKind = 'settings' | 'secret' | 'token';
export interface ClientDamage {
  kind: DamageKind;
  /** English fallback of `text`. */
  message: string;
  text: MessageText;
}

export const copyFormats = ['raw', 'header', 'curl', 'env', 'basic'] as const;
export type CopyFormat = (typeof copyFormats)[number];

export interface ProviderField {
  key: 'baseUrl' | 'clientId' | 'clientSecret' | 'redirectUri' | 'scope' | 'env' | 'platform' | 'podRefreshForm' | 'generic' | 'password';
  required: boolean;
  /** The preset's default, shown in the editor. */
  default: string | null;
}
export interface ProviderInfo {
  id: ProviderId;
  label: string;
  grant: string;
  fields: ProviderField[];
  /** Base URLs to pick from (POD Shop: prod and dev). */
  environments: { id: string; label: string; baseUrl: string }[];
}

export interface AppWarning {
  code: string;
  message: string;
  text?: MessageText;
  path?: string;
}

export interface AppInfo {
  version: string;
  /** 'keychain': the data key is wrapped by the OS keychain; 'file': it sits in a 0600 key file. */
  keyProtection: 'keychain' | 'file';
  /** Lasting warnings (plaintext-equivalent keychain, a store moved aside …). */
  warnings: AppWarning[];
  sandboxUrl: string | null;
  platform: string;
}

export interface TokenDetail {
  clientId: string;
  /** Masked unless revealed. */
  rawResponse: string | null;
  jwt: { header: Record<string, unknown>; claims: Record<string, unknown> } | null;
  /** OpenID Connect: the id_token of the token response, decoded. */
  idToken?: { header: Record<string, unknown>; claims: Record<string, unknown> } | null;
}

export interface Notice {
  id: string;
  clientId: string | null;
  kind: 'needs_signin' | 'refresh_failing' | 'refresh_token_expiring' | 'sink_failed' | 'info';
  /** English fallback of `text`. */
  message: string;
  /** Absent on notices stored by older versions. */
  text?: MessageText;
  at: number;
}
