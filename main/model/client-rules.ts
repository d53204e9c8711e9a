/**
 * The rules a client definition follows, as data. Main refuses a client that breaks one
 * (core/clients.ts throws the first issue's message), and the renderer's editor checks the same
 * rules as the user types, shows every issue beside its field and marks the fields they require
 * (issue #13, row 2). Ground floor: pure, so the renderer bundles it without the rest of main.
 */
import { LIMITS } from './limits';
import type { GenericSettings, ProviderField, ProviderInfo } from './types';
import { urlProblem, type UrlProblem } from './urls';

/** What the rules read: a client as it will be stored (defaults applied, text trimmed). */
export interface ClientDraft {
  name: string;
  /** null: left empty, so the provider's default (or the token URL's origin) applies. */
  baseUrl: string | null;
  clientId: string;
  redirectUri: string | null;
  platform: string | null;
  generic: GenericSettings | null;
  allowInsecureHttp: boolean;
  /** A client secret will be stored (typed now, or kept from before); null: judged elsewhere. */
  hasSecret: boolean | null;
}

export type ClientField =
  | 'name'
  | 'baseUrl'
  | 'clientId'
  | 'clientSecret'
  | 'redirectUri'
  | 'platform'
  | 'tokenUrl'
  | 'authorizationUrl'
  | 'refreshUrl'
  | 'revocationUrl'
  | 'deviceAuthorizationUrl'
  | 'username'
  | 'clientCertificate';

/** required: missing; the others are the address problems of urls.ts. */
export type ClientIssueCode = 'required' | UrlProblem['code'];

export interface ClientIssue {
  field: ClientField;
  code: ClientIssueCode;
  /** The English sentence main reports (the CLI's text and the IPC error); the renderer translates the code. */
  message: string;
}

const blank = (value: string | null | undefined): value is null | undefined | '' => value == null || value.trim() === '';

const REQUIRED_NAMES: Partial<Record<ProviderField['key'], string>> = {
  clientId: 'a client id',
  redirectUri: 'a redirect URI',
  platform: 'a platform',
  generic: 'a token URL',
};

/** The shared-secret methods need a client secret (RFC 6749 §2.3.1, RFC 7523 §2.2 client_secret_jwt); presets say so in their fields. */
export function secretRequired(info: ProviderInfo, generic: GenericSettings | null): boolean {
  if (generic) return ['basic', 'body', 'client_secret_jwt'].includes(generic.clientAuth);
  return info.fields.some((field) => field.key === 'clientSecret' && field.required);
}

/** The value a field left empty takes: what the editor shows as "Default: …" is what is stored. */
export function fieldDefault(info: ProviderInfo, key: ProviderField['key']): string | null {
  return info.fields.find((field) => field.key === key)?.default ?? null;
}

/** Every rule the draft breaks, in the order main checks them (its first is the one main reports). */
export function clientIssues(draft: ClientDraft, info: ProviderInfo): ClientIssue[] {
  const issues: ClientIssue[] = [];
  const rules = { allowInsecureHttp: draft.allowInsecureHttp };
  const address = (field: ClientField, label: string, value: string, redirect = false) => {
    const problem = urlProblem(label, value, { ...rules, redirect });
    if (problem) issues.push({ field, ...problem });
  };
  const required = (field: ClientField, message: string) => issues.push({ field, code: 'required', message });

  if (blank(draft.name)) required('name', 'The name is empty; nothing was saved.');
  else if (draft.name.length > LIMITS.nameChars) issues.push({ field: 'name', code: 'too_long', message: `The name is longer than ${LIMITS.nameChars} characters; nothing was saved.` });
  if (draft.baseUrl !== null) address('baseUrl', 'Base URL', draft.baseUrl);
  if (draft.redirectUri !== null) address('redirectUri', 'Redirect URI', draft.redirectUri, true);
  const generic = draft.generic;
  for (const field of info.fields) {
    if (!field.required) continue;
    const missing =
      (field.key === 'clientId' && blank(draft.clientId)) ||
      (field.key === 'redirectUri' && draft.redirectUri === null) ||
      (field.key === 'platform' && draft.platform === null) ||
      (field.key === 'generic' && (generic === null || blank(generic.tokenUrl)));
    const name = REQUIRED_NAMES[field.key];
    if (missing && name) required(field.key === 'generic' ? 'tokenUrl' : (field.key as ClientField), `${info.label} needs ${name}.`);
  }
  if (draft.hasSecret === false && secretRequired(info, generic)) required('clientSecret', `${info.label} needs a client secret.`);
  if (!generic) return issues;

  if (!blank(generic.tokenUrl)) address('tokenUrl', 'Token URL', generic.tokenUrl);
  for (const [field, label, value] of [
    ['authorizationUrl', 'Authorization URL', generic.authorizationUrl],
    ['refreshUrl', 'Refresh URL', generic.refreshUrl],
    ['revocationUrl', 'Revocation URL', generic.revocationUrl],
    ['deviceAuthorizationUrl', 'Device authorization URL', generic.deviceAuthorizationUrl],
  ] as const) {
    if (!blank(value)) address(field, label, value);
  }
  if (generic.grant === 'authorization_code') {
    if (blank(generic.authorizationUrl)) required('authorizationUrl', 'The authorization code grant needs an authorization URL.');
    if (draft.redirectUri === null) required('redirectUri', 'The authorization code grant needs a redirect URI.');
  }
  if (generic.grant === 'password' && blank(generic.username)) required('username', 'The password grant needs a username.');
  if (generic.grant === 'device_code' && blank(generic.deviceAuthorizationUrl) && typeof generic.metadata?.document['device_authorization_endpoint'] !== 'string') {
    required('deviceAuthorizationUrl', 'The device code grant needs a device authorization URL (RFC 8628 §3.1), or an issuer whose discovery names one.');
  }
  // RFC 8705 §2: the TLS methods authenticate with the client certificate itself.
  if ((generic.clientAuth === 'tls_client_auth' || generic.clientAuth === 'self_signed_tls_client_auth') && blank(generic.clientCertificate)) {
    required('clientCertificate', `${generic.clientAuth} needs a client certificate and its key: choose both files.`);
  }
  return issues;
}

/**
 * The fields the rules require for this provider and these choices (grant, client
 * authentication, a discovered device endpoint): those an empty form is refused for. They carry
 * the editor's required mark. `secretKept`: a stored secret stays, so none must be typed.
 */
export function requiredFields(info: ProviderInfo, generic: GenericSettings | null, secretKept: boolean): Set<ClientField> {
  const empty: ClientDraft = {
    name: '',
    baseUrl: null,
    clientId: '',
    redirectUri: fieldDefault(info, 'redirectUri'),
    platform: fieldDefault(info, 'platform'),
    generic: generic && { ...generic, tokenUrl: '', authorizationUrl: null, username: null, deviceAuthorizationUrl: null, clientCertificate: null },
    allowInsecureHttp: false,
    hasSecret: secretKept,
  };
  return new Set(clientIssues(empty, info).map((issue) => issue.field));
}
