/**
 * Insomnia exports: v4 (JSON, `__export_format: 4`, a flat `resources` list) and v5 (YAML,
 * `type: collection.insomnia.rest/5.0`, nested `collection` and `environments`). OAuth 2.0 lives
 * in a request's or a folder's `authentication`; `{{ _.name }}` comes from the environments (the
 * base one, then its sub-environments in order).
 */
import { unresolvedReason } from './postman';
import { resolveVars, skip, type FoundAuth, type Parsed } from './types';

interface InsomniaAuth {
  type?: string;
  disabled?: boolean;
  grantType?: string;
  accessTokenUrl?: string;
  authorizationUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  redirectUrl?: string;
  credentialsInBody?: boolean;
  usePkce?: boolean;
  username?: string;
  password?: string;
  audience?: string;
  resource?: string;
}
interface V4Resource {
  _id?: string;
  _type?: string;
  parentId?: string | null;
  name?: string;
  authentication?: InsomniaAuth;
  data?: Record<string, unknown>;
}
interface V5Item {
  name?: string;
  authentication?: InsomniaAuth;
  children?: V5Item[];
}
interface V5Environment {
  data?: Record<string, unknown>;
  subEnvironments?: V5Environment[];
}

export function isInsomniaV4(data: unknown): data is { resources: V4Resource[] } {
  const doc = data as { __export_format?: unknown; resources?: unknown } | null;
  return doc?.__export_format === 4 && Array.isArray(doc.resources);
}

export function isInsomniaV5(data: unknown): data is { name?: string; collection?: V5Item[]; environments?: V5Environment } {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === 'string' && /^collection\.insomnia\.rest\/5\./.test(type);
}

/** Nested values flatten to dotted names, as Insomnia's templates address them ({{ _.api.url }}). */
function flatten(data: Record<string, unknown> | undefined, into: Record<string, string>, prefix = ''): void {
  for (const [key, value] of Object.entries(data ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Record<string, unknown>, into, `${prefix}${key}.`);
    else into[`${prefix}${key}`] = String(value);
  }
}

export function parseInsomniaV4(doc: { resources: V4Resource[] }, parsed: Parsed): void {
  const byId = new Map(doc.resources.map((resource) => [resource._id, resource]));
  const vars: Record<string, string> = {};
  const environments = doc.resources.filter((resource) => resource._type === 'environment');
  // The base environment's parent is the workspace; sub-environments hang below it.
  const base = environments.filter((env) => byId.get(env.parentId ?? '')?._type !== 'environment');
  for (const env of [...base, ...environments.filter((env) => !base.includes(env))]) flatten(env.data, vars);
  for (const resource of doc.resources) {
    if (resource._type !== 'request' && resource._type !== 'request_group') continue;
    const trail: string[] = [];
    for (let at: V4Resource | undefined = resource; at; at = byId.get(at.parentId ?? '')) trail.unshift(at.name ?? 'untitled');
    collect(resource.authentication, ['Insomnia', ...trail], vars, parsed);
  }
}

export function parseInsomniaV5(doc: { name?: string; collection?: V5Item[]; environments?: V5Environment }, parsed: Parsed): void {
  const vars: Record<string, string> = {};
  const addEnv = (env: V5Environment | undefined) => {
    if (!env) return;
    flatten(env.data, vars);
    env.subEnvironments?.forEach(addEnv);
  };
  addEnv(doc.environments);
  const walk = (items: V5Item[] | undefined, trail: string[]) => {
    for (const item of items ?? []) {
      const here = [...trail, item.name ?? 'untitled'];
      collect(item.authentication, here, vars, parsed);
      walk(item.children, here);
    }
  };
  walk(doc.collection, ['Insomnia', doc.name ?? 'collection']);
}

function collect(auth: InsomniaAuth | undefined, trail: string[], vars: Record<string, string>, parsed: Parsed): void {
  if (auth?.type !== 'oauth2' || auth.disabled) return;
  const source = trail.join(' › ');
  const unresolved = new Set<string>();
  const text = (value: string | undefined) => (value ? resolveVars(value, vars, unresolved) : undefined);
  const extraParams: Record<string, string> = {};
  if (auth.audience) extraParams['audience'] = text(auth.audience) ?? '';
  if (auth.resource) extraParams['resource'] = text(auth.resource) ?? '';
  const found: FoundAuth = {
    source,
    name: trail.at(-1) ?? 'Insomnia',
    grant: auth.grantType ?? 'authorization_code',
    tokenUrl: text(auth.accessTokenUrl) ?? '',
    authUrl: text(auth.authorizationUrl),
    clientId: text(auth.clientId) ?? '',
    clientSecret: text(auth.clientSecret),
    scope: text(auth.scope),
    redirectUri: text(auth.redirectUrl),
    clientAuth: auth.credentialsInBody ? 'body' : 'basic',
    pkce: auth.usePkce === true,
    username: text(auth.username),
    password: text(auth.password),
    extraParams,
  };
  if (unresolved.size > 0) parsed.skipped.push(skip(source, unresolvedReason(unresolved, 'skip_unresolved_environment')));
  else parsed.found.push(found);
}
