/**
 * Postman collection v2.1 (schema.getpostman.com/json/collection/v2.1.0): every `oauth2` auth at
 * collection, folder and request level, `{{variables}}` from the collection and an optional
 * environment export.
 */
import { msg, type MessageText } from '../model/messages';
import { resolveVars, skip, type FoundAuth, type Parsed, type Skipped } from './types';

interface PostmanAuth {
  type?: string;
  oauth2?: { key: string; value?: unknown }[];
}
interface PostmanItem {
  name?: string;
  auth?: PostmanAuth;
  item?: PostmanItem[];
  request?: { auth?: PostmanAuth } | string;
}
interface PostmanCollection extends PostmanItem {
  info?: { name?: string; schema?: string };
  variable?: { key?: string; value?: unknown; disabled?: boolean }[];
}

export function isPostmanCollection(data: unknown): data is PostmanCollection {
  const schema = (data as PostmanCollection | null)?.info?.schema;
  return typeof schema === 'string' && schema.includes('schema.getpostman.com/json/collection/');
}

/** A Postman environment export: `values: [{key, value, enabled}]`. */
export function postmanEnvironmentVars(data: unknown): Record<string, string> | null {
  const values = (data as { values?: unknown } | null)?.values;
  if (!Array.isArray(values)) return null;
  const vars: Record<string, string> = {};
  for (const entry of values as { key?: unknown; value?: unknown; enabled?: boolean }[]) {
    if (typeof entry?.key === 'string' && entry.enabled !== false) vars[entry.key] = String(entry.value ?? '');
  }
  return vars;
}

const GRANTS: Record<string, string> = {
  authorization_code: 'authorization_code',
  authorization_code_with_pkce: 'authorization_code',
  password_credentials: 'password',
  client_credentials: 'client_credentials',
  implicit: 'implicit',
};

export function parsePostman(collection: PostmanCollection, environment: Record<string, string>, parsed: Parsed): void {
  if (!collection.info?.schema?.includes('v2.1')) {
    parsed.skipped.push(skip(`Postman › ${collection.info?.name ?? 'collection'}`, msg('skip_postman_version')));
    return;
  }
  const vars: Record<string, string> = {};
  for (const variable of collection.variable ?? []) {
    if (typeof variable.key === 'string' && !variable.disabled) vars[variable.key] = String(variable.value ?? '');
  }
  // The environment wins over collection variables, as in Postman's own variable scopes.
  Object.assign(vars, environment);
  const walk = (item: PostmanItem, trail: string[]): void => {
    const here = [...trail, item.name ?? 'untitled'];
    const auths = [item.auth, typeof item.request === 'object' ? item.request.auth : undefined];
    for (const auth of auths) {
      if (auth?.type === 'oauth2') {
        const found = fromPostmanAuth(auth, here, vars);
        if ('reason' in found) parsed.skipped.push(found);
        else parsed.found.push(found);
      }
    }
    for (const child of item.item ?? []) walk(child, here);
  };
  walk({ ...collection, name: collection.info?.name ?? 'collection' }, ['Postman']);
}

function fromPostmanAuth(auth: PostmanAuth, trail: string[], vars: Record<string, string>): FoundAuth | Skipped {
  const source = trail.join(' › ');
  const raw = new Map((auth.oauth2 ?? []).map((entry) => [entry.key, entry.value]));
  const unresolved = new Set<string>();
  const text = (key: string) => {
    const value = raw.get(key);
    return typeof value === 'string' && value !== '' ? resolveVars(value, vars, unresolved) : undefined;
  };
  // Postman's default grant is the authorization code.
  const grantName = text('grant_type') ?? 'authorization_code';
  const extraParams: Record<string, string> = {};
  const tokenParams = raw.get('tokenRequestParams');
  if (Array.isArray(tokenParams)) {
    for (const param of tokenParams as { key?: string; value?: string; send_as?: string; enabled?: boolean }[]) {
      if (param.key && param.enabled !== false && (param.send_as ?? 'request_body') === 'request_body') {
        extraParams[param.key] = resolveVars(param.value ?? '', vars, unresolved) ?? '';
      }
    }
  }
  const found: FoundAuth = {
    source,
    name: text('tokenName') ?? trail.at(-1) ?? 'Postman',
    grant: GRANTS[grantName] ?? grantName,
    tokenUrl: text('accessTokenUrl') ?? '',
    authUrl: text('authUrl'),
    clientId: text('clientId') ?? '',
    clientSecret: text('clientSecret'),
    scope: text('scope'),
    redirectUri: text('redirect_uri'),
    clientAuth: text('client_authentication') === 'body' ? 'body' : 'basic',
    pkce: grantName === 'authorization_code_with_pkce',
    username: text('username'),
    password: text('password'),
    extraParams,
  };
  if (unresolved.size > 0) return skip(source, unresolvedReason(unresolved, 'skip_unresolved_env_file'));
  return found;
}

/** `where`: the message that says which environment would define the names. */
export function unresolvedReason(names: Set<string>, where: 'skip_unresolved_env_file' | 'skip_unresolved_env_name' | 'skip_unresolved_environment'): MessageText {
  return msg(where, { names: [...names].map((name) => `{{${name}}}`).join(', ') });
}
