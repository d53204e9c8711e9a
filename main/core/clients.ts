/** Client definitions: from the editor's input to a stored ClientConfig (the export format: import/tokendesk.ts). */
import { DEFAULT_GENERIC, DEFAULT_REFRESH_POLICY } from '../model/defaults';
import { clientInputSchema, type ClientInput } from '../model/schemas';
import { TokenDeskError } from '../model/errors';
import type { ClientConfig, ProviderInfo } from '../model/types';
import { checkUrl } from '../model/urls';

const blank = (value: string | null | undefined): boolean => value == null || value.trim() === '';

/**
 * Builds the stored config from editor input. `existing` is the client being edited (its id,
 * creation time and unspecified settings are kept). Required fields come from the provider's info.
 */
export function buildClient(
  unchecked: ClientInput,
  existing: ClientConfig | null,
  info: ProviderInfo,
  context: { id: string; now: Date; defaultBaseUrl: string },
): ClientConfig {
  const input = checkClientInput(unchecked);
  const generic = input.provider === 'oauth2' ? { ...DEFAULT_GENERIC, ...(existing?.generic ?? {}), ...(input.generic ?? {}) } : null;
  const config: ClientConfig = {
    id: existing?.id ?? context.id,
    name: input.name.trim(),
    provider: input.provider,
    baseUrl: blank(input.baseUrl) ? context.defaultBaseUrl : (input.baseUrl as string).trim().replace(/\/+$/, ''),
    clientId: input.clientId.trim(),
    redirectUri: blank(input.redirectUri) ? null : (input.redirectUri as string).trim(),
    scope: blank(input.scope) ? null : (input.scope as string).trim(),
    env: input.provider === 'podshop' ? (input.env ?? existing?.env ?? 'dev') : null,
    platform: input.provider === 'itcode' ? (input.platform ?? existing?.platform ?? null) : null,
    podRefreshForm: input.podRefreshForm ?? existing?.podRefreshForm ?? 'body',
    generic,
    autoRefresh: input.autoRefresh ?? existing?.autoRefresh ?? true,
    allowInsecureHttp: input.allowInsecureHttp ?? existing?.allowInsecureHttp ?? false,
    refreshPolicy: input.refreshPolicy ?? existing?.refreshPolicy ?? DEFAULT_REFRESH_POLICY,
    sandbox: existing?.sandbox ?? false,
    envPrefix: input.envPrefix !== undefined ? input.envPrefix : (existing?.envPrefix ?? null),
    sinks: existing?.sinks ?? [],
    createdAt: existing?.createdAt ?? context.now.toISOString(),
    updatedAt: context.now.toISOString(),
  };
  const rules = { allowInsecureHttp: config.allowInsecureHttp === true };
  checkUrl('Base URL', config.baseUrl, rules);
  if (config.redirectUri !== null) checkUrl('Redirect URI', config.redirectUri, { ...rules, redirect: true });
  for (const field of info.fields) {
    if (!field.required) continue;
    const missing =
      (field.key === 'clientId' && blank(config.clientId)) ||
      (field.key === 'redirectUri' && config.redirectUri === null) ||
      (field.key === 'platform' && config.platform === null) ||
      (field.key === 'generic' && (generic === null || blank(generic.tokenUrl)));
    if (missing) throw new TokenDeskError('bad_request', `${info.label} needs ${fieldLabel(field.key)}.`);
  }
  if (generic) {
    checkUrl('Token URL', generic.tokenUrl, rules);
    for (const [label, value] of [
      ['Authorization URL', generic.authorizationUrl],
      ['Refresh URL', generic.refreshUrl],
      ['Revocation URL', generic.revocationUrl],
    ] as const) {
      if (!blank(value)) checkUrl(label, value as string, rules);
    }
    if (generic.grant === 'authorization_code') {
      if (blank(generic.authorizationUrl)) throw new TokenDeskError('bad_request', 'The authorization code grant needs an authorization URL.');
      if (config.redirectUri === null) throw new TokenDeskError('bad_request', 'The authorization code grant needs a redirect URI.');
    }
    if (generic.grant === 'password' && blank(generic.username)) {
      throw new TokenDeskError('bad_request', 'The password grant needs a username.');
    }
    if (generic.grant === 'device_code' && blank(generic.deviceAuthorizationUrl) && typeof generic.metadata?.document['device_authorization_endpoint'] !== 'string') {
      throw new TokenDeskError('bad_request', 'The device code grant needs a device authorization URL (RFC 8628 §3.1), or an issuer whose discovery names one.');
    }
  }
  return config;
}

const INPUT_LABELS: Record<string, string> = {
  name: 'The name',
  clientId: 'The client ID',
  clientSecret: 'The client secret',
  password: 'The password',
  baseUrl: 'The base URL',
  redirectUri: 'The redirect URI',
  scope: 'The scope',
  tokenUrl: 'The token URL',
  authorizationUrl: 'The authorization URL',
  refreshUrl: 'The refresh URL',
  revocationUrl: 'The revocation URL',
};

/**
 * The shared schema's limits, applied here as well as at the IPC and agent doors: standalone
 * command lines and imports reach the core without crossing either, and a client one door accepts
 * must be reachable through every other (issue #11, row 13).
 */
export function checkClientInput(input: ClientInput): ClientInput {
  const parsed = clientInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path.at(-1) ?? '');
  const label = INPUT_LABELS[key] ?? `The field "${issue?.path.join('.') ?? 'input'}"`;
  throw new TokenDeskError('bad_request', `${label} ${issue?.message ?? 'is not valid'}; nothing was saved.`);
}

/** Is a client secret required for this input (and missing)? */
export function secretRequired(info: ProviderInfo, config: ClientConfig): boolean {
  // Only the shared-secret methods need one (RFC 6749 §2.3.1, RFC 7523 §2.2 client_secret_jwt).
  if (config.generic) return ['basic', 'body', 'client_secret_jwt'].includes(config.generic.clientAuth);
  return info.fields.some((field) => field.key === 'clientSecret' && field.required);
}

function fieldLabel(key: string): string {
  const labels: Record<string, string> = {
    clientId: 'a client id',
    clientSecret: 'a client secret',
    redirectUri: 'a redirect URI',
    platform: 'a platform',
    generic: 'a token URL',
  };
  return labels[key] ?? key;
}

/** "Hejhome", "Hejhome (2)", "Hejhome (3)" … */
export function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  const base = name.replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}
