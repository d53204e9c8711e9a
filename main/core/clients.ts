/** Client definitions: from the editor's input to a stored ClientConfig (the export format: import/tokendesk.ts). */
import { DEFAULT_GENERIC, DEFAULT_REFRESH_POLICY } from '../model/defaults';
import { clientInputSchema, type ClientInput } from '../model/schemas';
import { TokenDeskError } from '../model/errors';
import { clientIssues, fieldDefault, secretRequired as secretRequiredBy } from '../model/client-rules';
import type { ClientConfig, ItcodePlatform, ProviderInfo } from '../model/types';

const blank = (value: string | null | undefined): boolean => value == null || value.trim() === '';

/**
 * Builds the stored config from editor input. `existing` is the client being edited (its id,
 * creation time and unspecified settings are kept). A field left empty takes the default the
 * provider's info announces (the editor shows it), and the client must pass the shared rules
 * (model/client-rules.ts, which the editor checks as the user types): the first broken one is thrown.
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
    redirectUri: blank(input.redirectUri) ? fieldDefault(info, 'redirectUri') : (input.redirectUri as string).trim(),
    scope: blank(input.scope) ? null : (input.scope as string).trim(),
    env: input.provider === 'podshop' ? (input.env ?? existing?.env ?? 'dev') : null,
    platform: input.provider === 'itcode' ? (input.platform ?? existing?.platform ?? (fieldDefault(info, 'platform') as ItcodePlatform | null)) : null,
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
  const [issue] = clientIssues({ ...config, allowInsecureHttp: config.allowInsecureHttp === true, hasSecret: null }, info);
  if (issue) throw new TokenDeskError('bad_request', issue.message);
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

/** Is a client secret required for this client? The shared rule (model/client-rules.ts). */
export function secretRequired(info: ProviderInfo, config: ClientConfig): boolean {
  return secretRequiredBy(info, config.generic);
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
