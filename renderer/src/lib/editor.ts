/**
 * The client editor's model: form ↔ ClientInput, and validation by the rules main applies
 * (main/model/client-rules.ts) to the input this form would send. Pure, unit-tested.
 */
import { clientIssues, fieldDefault, requiredFields as rulesRequire, type ClientDraft, type ClientIssueCode } from '../../../main/model/client-rules';
import type { ClientInput, ProviderField, ProviderInfo } from '../../../main/ipc/contract';
import type { ClientAuthMethod, ClientConfig, ClientView, GenericGrant, GenericSettings, ItcodePlatform, ProviderId, ServerMetadata } from '../../../main/ipc/contract';

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
  /** RFC 8628 §3.1; empty when discovery names it. */
  deviceAuthorizationUrl: string;
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
  /** RFC 8693 (grant token_exchange): client ids ('' = none), audience, resource, requested type. */
  subjectClientId: string;
  actorClientId: string;
  audience: string;
  resource: string;
  requestedTokenType: string;
  /** RFC 7523 §2.1 (grant jwt_bearer): the assertion's sub ('' = the client id). */
  assertionSubject: string;
}

export type FormErrorKey =
  | 'editor.invalid.name'
  | 'editor.invalid.nameTaken'
  | 'editor.invalid.url'
  | 'editor.invalid.required'
  | 'editor.invalid.extraParams'
  | 'editor.invalid.insecureHttp'
  | 'editor.invalid.tooLong';
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
    platform: 'naver',
    podRefreshForm: 'body',
    autoRefresh: true,
    allowInsecureHttp: false,
    grant: 'client_credentials',
    authorizationUrl: '',
    tokenUrl: '',
    refreshUrl: '',
    revocationUrl: '',
    deviceAuthorizationUrl: '',
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
    subjectClientId: '',
    actorClientId: '',
    audience: '',
    resource: '',
    requestedTokenType: '',
    assertionSubject: '',
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
      deviceAuthorizationUrl: generic.deviceAuthorizationUrl ?? '',
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
      subjectClientId: generic.tokenExchange?.subjectClientId ?? '',
      actorClientId: generic.tokenExchange?.actorClientId ?? '',
      audience: generic.tokenExchange?.audience ?? '',
      resource: generic.tokenExchange?.resource ?? '',
      requestedTokenType: generic.tokenExchange?.requestedTokenType ?? '',
      assertionSubject: generic.assertionSubject ?? '',
    }),
  };
}

export function fieldOf(provider: ProviderInfo | undefined, key: ProviderField['key']): ProviderField | undefined {
  return provider?.fields.find((field) => field.key === key);
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

/** Are any of the generic client's folded advanced settings in use? Then the editor opens them unfolded. */
export function advancedInUse(form: ClientForm): boolean {
  const text = [form.refreshUrl, form.revocationUrl, form.extraParams, form.fieldAccessToken, form.fieldExpiresIn, form.fieldRefreshToken, form.proxy, form.caCertificates];
  return text.some((value) => value.trim() !== '') || form.dpop || form.paramsIn === 'query' || (form.grant === 'authorization_code' && !form.pkce);
}

const ISSUE_KEYS: Record<ClientIssueCode, FormErrorKey> = {
  required: 'editor.invalid.required',
  invalid_url: 'editor.invalid.url',
  not_http: 'editor.invalid.url',
  insecure_http: 'editor.invalid.insecureHttp',
  too_long: 'editor.invalid.tooLong',
};

/** A stored secret stays when the user types none (and did not ask to remove it). */
const secretKept = (form: ClientForm, editing: ClientView | null): boolean => editing?.hasSecret === true && !form.removeSecret;

/** What main will judge: the input this form sends, with the defaults main applies. */
function draftOf(form: ClientForm, provider: ProviderInfo, editing: ClientView | null): ClientDraft {
  const input = toClientInput(form, provider, editing);
  return {
    name: input.name,
    // Left empty: the provider's default, or (generic) the token URL's origin, which is judged as the token URL.
    baseUrl: input.baseUrl ?? null,
    clientId: input.clientId,
    redirectUri: input.redirectUri ?? fieldDefault(provider, 'redirectUri'),
    platform: input.platform ?? fieldDefault(provider, 'platform'),
    generic: (input.generic as GenericSettings | undefined) ?? null,
    allowInsecureHttp: form.allowInsecureHttp,
    hasSecret: form.clientSecret !== '' || secretKept(form, editing),
  };
}

/**
 * Every error of the form at once: the rules main itself applies (main/model/client-rules.ts),
 * plus what only the editor knows: the names already taken (`others`) and the extra parameters'
 * text. `editing` is the client being edited (its stored secret may stay).
 */
export function validateForm(form: ClientForm, provider: ProviderInfo | undefined, others: readonly string[], editing: ClientView | null): FormErrors {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'editor.invalid.name';
  else if (others.some((other) => other.toLowerCase() === name.toLowerCase())) errors.name = 'editor.invalid.nameTaken';
  if (!provider) return errors;
  for (const issue of clientIssues(draftOf(form, provider, editing), provider)) errors[issue.field] ??= ISSUE_KEYS[issue.code];
  if (fieldOf(provider, 'generic') && parseExtraParams(form.extraParams) === null) errors.extraParams = 'editor.invalid.extraParams';
  return errors;
}

/** The fields that carry the required mark: those the rules require for these choices (grant, client authentication). */
export function requiredFields(form: ClientForm, provider: ProviderInfo | undefined, editing: ClientView | null): Set<keyof ClientForm> {
  const fields = new Set<keyof ClientForm>(['name']);
  if (!provider) return fields;
  const generic = (toClientInput(form, provider, editing).generic as GenericSettings | undefined) ?? null;
  for (const field of rulesRequire(provider, generic, secretKept(form, editing))) fields.add(field);
  return fields;
}

const orNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** A field left empty takes the provider's default: what the form shows is what is saved. */
const orDefault = (text: string, provider: ProviderInfo | undefined, key: ProviderField['key']): string | null =>
  orNull(text) ?? (provider ? fieldDefault(provider, key) : null);

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
  if (has('redirectUri')) input.redirectUri = orDefault(form.redirectUri, provider, 'redirectUri');
  if (has('scope')) input.scope = orDefault(form.scope, provider, 'scope');
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
      deviceAuthorizationUrl: form.grant === 'device_code' ? orNull(form.deviceAuthorizationUrl) : null,
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
      ...(form.grant === 'token_exchange' && form.subjectClientId
        ? {
            tokenExchange: {
              subjectClientId: form.subjectClientId,
              actorClientId: orNull(form.actorClientId),
              audience: orNull(form.audience),
              resource: orNull(form.resource),
              requestedTokenType: orNull(form.requestedTokenType),
            },
          }
        : {}),
      ...(form.grant === 'jwt_bearer' ? { assertionSubject: orNull(form.assertionSubject) } : {}),
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
