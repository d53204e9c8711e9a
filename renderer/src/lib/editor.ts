/** The client editor's model: form ↔ ClientInput, and inline validation. Pure, unit-tested. */
import type { ClientInput, ProviderField, ProviderInfo } from '../../../main/ipc/contract';
import type { ClientAuthMethod, ClientConfig, ClientView, GenericGrant, ItcodePlatform, ProviderId, ServerMetadata } from '../../../main/ipc/contract';

export const ITCODE_PLATFORM_LIST = ['naver', 'kakao', 'google', 'github'] as const satisfies readonly ItcodePlatform[];

export interface ClientForm {
  provider: ProviderId;
  name: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  removeSecret: boolean;
  password: string;
  redirectUri: string;
  scope: string;
  env: 'prod' | 'dev';
  platform: ItcodePlatform;
  podRefreshForm: 'body' | 'query';
  autoRefresh: boolean;
  /** Cleartext http:// to a host other than this computer (issue #11): off unless the user says so. */
  allowInsecureHttp: boolean;
  grant: GenericGrant;
  authorizationUrl: string;
  tokenUrl: string;
  refreshUrl: string;
  revocationUrl: string;
  clientAuth: ClientAuthMethod;
  paramsIn: 'body' | 'query';
  pkce: boolean;
  username: string;
  extraParams: string;
  fieldAccessToken: string;
  fieldExpiresIn: string;
  fieldRefreshToken: string;
  /** Issue #12: discovery, DPoP, transport and keys of the generic client. */
  issuer: string;
  metadata: ServerMetadata | null;
  dpop: boolean;
  proxy: string;
  caCertificates: string;
  clientCertificate: string;
  /** Write-only, like the client secret: empty keeps the stored one. */
  tlsClientKey: string;
  privateKey: string;
}

export type FormErrorKey = 'editor.invalid.name' | 'editor.invalid.nameTaken' | 'editor.invalid.url' | 'editor.invalid.required' | 'editor.invalid.extraParams';
export type FormErrors = Partial<Record<keyof ClientForm, FormErrorKey>>;

export function emptyForm(provider: ProviderId): ClientForm {
  return {
    provider,
    name: '',
    baseUrl: '',
    clientId: '',
    clientSecret: '',
    removeSecret: false,
    password: '',
    redirectUri: '',
    scope: '',
    env: 'prod',
    platform: 'naver',
    podRefreshForm: 'body',
    autoRefresh: true,
    allowInsecureHttp: false,
    grant: 'client_credentials',
    authorizationUrl: '',
    tokenUrl: '',
    refreshUrl: '',
    revocationUrl: '',
    clientAuth: 'basic',
    paramsIn: 'body',
    pkce: true,
    username: '',
    extraParams: '',
    fieldAccessToken: '',
    fieldExpiresIn: '',
    fieldRefreshToken: '',
    issuer: '',
    metadata: null,
    dpop: false,
    proxy: '',
    caCertificates: '',
    clientCertificate: '',
    tlsClientKey: '',
    privateKey: '',
  };
}

export function formFromConfig(config: ClientConfig): ClientForm {
  const form = emptyForm(config.provider);
  const generic = config.generic;
  return {
    ...form,
    name: config.name,
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    redirectUri: config.redirectUri ?? '',
    scope: config.scope ?? '',
    env: config.env ?? 'prod',
    platform: config.platform ?? 'naver',
    podRefreshForm: config.podRefreshForm,
    autoRefresh: config.autoRefresh,
    allowInsecureHttp: config.allowInsecureHttp === true,
    ...(generic && {
      grant: generic.grant,
      authorizationUrl: generic.authorizationUrl ?? '',
      tokenUrl: generic.tokenUrl,
      refreshUrl: generic.refreshUrl ?? '',
      revocationUrl: generic.revocationUrl ?? '',
      clientAuth: generic.clientAuth,
      paramsIn: generic.paramsIn,
      pkce: generic.pkce,
      username: generic.username ?? '',
      extraParams: Object.entries(generic.extraParams)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
      fieldAccessToken: generic.responseFields.accessToken ?? '',
      fieldExpiresIn: generic.responseFields.expiresIn ?? '',
      fieldRefreshToken: generic.responseFields.refreshToken ?? '',
      issuer: generic.issuer ?? '',
      metadata: generic.metadata ?? null,
      dpop: generic.dpop === true,
      proxy: generic.proxy ?? '',
      caCertificates: generic.caCertificates ?? '',
      clientCertificate: generic.clientCertificate ?? '',
    }),
  };
}

export function fieldOf(provider: ProviderInfo | undefined, key: ProviderField['key']): ProviderField | undefined {
  return provider?.fields.find((field) => field.key === key);
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function parseExtraParams(text: string): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) return null;
    params[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  }
  return params;
}

/**
 * Inline validation. `editing` is the client being edited (its stored secret may stay), and
 * `others` the names already taken.
 */
export function validateForm(form: ClientForm, provider: ProviderInfo | undefined, others: readonly string[], editing: ClientView | null): FormErrors {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'editor.invalid.name';
  else if (others.some((other) => other.toLowerCase() === name.toLowerCase())) errors.name = 'editor.invalid.nameTaken';

  const need = (key: ProviderField['key']): boolean => {
    const field = fieldOf(provider, key);
    return field !== undefined && field.required && field.default === null;
  };
  if (form.baseUrl.trim() && !isHttpUrl(form.baseUrl.trim())) errors.baseUrl = 'editor.invalid.url';
  else if (need('baseUrl') && !form.baseUrl.trim()) errors.baseUrl = 'editor.invalid.required';
  if (need('clientId') && !form.clientId.trim()) errors.clientId = 'editor.invalid.required';
  const secretKept = editing?.hasSecret === true && !form.removeSecret;
  if (need('clientSecret') && !form.clientSecret && !secretKept) errors.clientSecret = 'editor.invalid.required';
  if (form.redirectUri.trim() && !isHttpUrl(form.redirectUri.trim())) errors.redirectUri = 'editor.invalid.url';
  else if (need('redirectUri') && !form.redirectUri.trim()) errors.redirectUri = 'editor.invalid.required';

  if (fieldOf(provider, 'generic')) {
    if (!isHttpUrl(form.tokenUrl.trim())) errors.tokenUrl = form.tokenUrl.trim() ? 'editor.invalid.url' : 'editor.invalid.required';
    if (form.grant === 'authorization_code' && !isHttpUrl(form.authorizationUrl.trim()))
      errors.authorizationUrl = form.authorizationUrl.trim() ? 'editor.invalid.url' : 'editor.invalid.required';
    for (const key of ['refreshUrl', 'revocationUrl'] as const) {
      if (form[key].trim() && !isHttpUrl(form[key].trim())) errors[key] = 'editor.invalid.url';
    }
    if (form.grant === 'password' && !form.username.trim()) errors.username = 'editor.invalid.required';
    if (parseExtraParams(form.extraParams) === null) errors.extraParams = 'editor.invalid.extraParams';
  }
  return errors;
}

const orNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** The ClientInput for clients:create / clients:update: only the fields the provider uses. */
export function toClientInput(form: ClientForm, provider: ProviderInfo | undefined, editing: ClientView | null): ClientInput {
  const has = (key: ProviderField['key']) => fieldOf(provider, key) !== undefined;
  const input: ClientInput = { name: form.name.trim(), provider: form.provider, clientId: form.clientId.trim(), autoRefresh: form.autoRefresh };
  if (form.allowInsecureHttp || editing?.config?.allowInsecureHttp) input.allowInsecureHttp = form.allowInsecureHttp;
  if (has('baseUrl') && form.baseUrl.trim()) input.baseUrl = form.baseUrl.trim();
  if (has('clientSecret')) {
    if (form.clientSecret) input.clientSecret = form.clientSecret;
    else if (editing && form.removeSecret) input.clientSecret = null;
  }
  if (has('redirectUri')) input.redirectUri = orNull(form.redirectUri);
  if (has('scope')) input.scope = orNull(form.scope);
  if (has('env')) {
    input.env = form.env;
    // The environment picks the base URL unless the user typed another one.
    const envUrl = provider?.environments.find((env) => env.id === form.env)?.baseUrl;
    if (envUrl && (!form.baseUrl.trim() || provider?.environments.some((env) => env.baseUrl === form.baseUrl.trim()))) input.baseUrl = envUrl;
  }
  if (has('platform')) input.platform = form.platform;
  if (has('podRefreshForm')) input.podRefreshForm = form.podRefreshForm;
  if (has('generic')) {
    const responseFields: Record<string, string> = {};
    if (form.fieldAccessToken.trim()) responseFields['accessToken'] = form.fieldAccessToken.trim();
    if (form.fieldExpiresIn.trim()) responseFields['expiresIn'] = form.fieldExpiresIn.trim();
    if (form.fieldRefreshToken.trim()) responseFields['refreshToken'] = form.fieldRefreshToken.trim();
    input.generic = {
      grant: form.grant,
      authorizationUrl: form.grant === 'authorization_code' ? orNull(form.authorizationUrl) : null,
      tokenUrl: form.tokenUrl.trim(),
      refreshUrl: orNull(form.refreshUrl),
      revocationUrl: orNull(form.revocationUrl),
      clientAuth: form.clientAuth,
      paramsIn: form.paramsIn,
      pkce: form.grant === 'authorization_code' && form.pkce,
      extraParams: parseExtraParams(form.extraParams) ?? {},
      responseFields,
      username: form.grant === 'password' ? orNull(form.username) : null,
      issuer: orNull(form.issuer),
      metadata: orNull(form.issuer) ? form.metadata : null,
      dpop: form.dpop,
      proxy: orNull(form.proxy),
      caCertificates: orNull(form.caCertificates),
      clientCertificate: form.clientAuth.endsWith('tls_client_auth') || form.clientCertificate.trim() ? orNull(form.clientCertificate) : null,
    };
    if (form.privateKey.trim()) input.privateKey = form.privateKey.trim();
    if (form.tlsClientKey.trim()) input.tlsClientKey = form.tlsClientKey.trim();
    if (form.grant === 'password') {
      if (form.password) input.password = form.password;
      else if (editing && form.removeSecret) input.password = null;
    }
  }
  if (has('password') && !has('generic')) {
    if (form.password) input.password = form.password;
  }
  return input;
}
