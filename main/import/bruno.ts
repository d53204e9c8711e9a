/**
 * A Bruno collection folder: request files (*.bru), collection.bru and folder.bru for inherited
 * auth, and environments/*.bru. Parsed with Bruno's own grammar (@usebruno/lang), never by hand.
 * Bruno keeps secret variables out of its files (`vars:secret [ name ]`): those come back empty,
 * and the import asks for them.
 */
import lang from '@usebruno/lang';
import { unresolvedReason } from './postman';
import { msg } from '../model/messages';
import { resolveVars, skip, type FoundAuth, type ImportFile, type Parsed } from './types';

export function isBrunoFolder(files: ImportFile[]): boolean {
  return files.some((file) => file.path === 'bruno.json') || files.some((file) => file.path.endsWith('.bru'));
}

/** `envName`: the environment file to use (its name or path); by default the only one, or the first by name. */
export function parseBruno(files: ImportFile[], envName: string | null, parsed: Parsed): void {
  let collectionName = 'collection';
  try {
    collectionName = (JSON.parse(files.find((file) => file.path === 'bruno.json')?.text ?? '{}') as { name?: string }).name ?? collectionName;
  } catch {
    parsed.skipped.push(skip('Bruno › bruno.json', msg('skip_bruno_json')));
  }
  const environments = files.filter((file) => /^environments\/[^/]+\.bru$/.test(file.path)).sort((a, b) => a.path.localeCompare(b.path));
  const wanted = envName === null ? environments[0] : environments.find((file) => file.path === envName || file.path === `environments/${envName}.bru` || file.path.endsWith(`/${envName}`));
  if (envName !== null && !wanted) {
    parsed.skipped.push(skip('Bruno', msg('skip_bruno_no_environment', { name: envName, found: environments.map((file) => file.path).join(', ') || '—' })));
  }
  const vars: Record<string, string> = {};
  if (wanted) {
    parsed.format = `Bruno (environment ${wanted.path.replace(/^environments\/|\.bru$/g, '')})`;
    for (const variable of lang.bruToEnvJsonV2(wanted.text).variables ?? []) {
      if (variable.enabled !== false) vars[variable.name] = variable.value ?? '';
    }
  }
  for (const file of files.filter((candidate) => candidate.path.endsWith('.bru') && !candidate.path.startsWith('environments/'))) {
    const base = file.path.split('/').pop()!;
    const isCollection = file.path === 'collection.bru';
    const isFolder = base === 'folder.bru';
    let doc;
    try {
      doc = isCollection || isFolder ? lang.collectionBruToJson(file.text) : lang.bruToJsonV2(file.text);
    } catch (error) {
      parsed.skipped.push(skip(`Bruno › ${file.path}`, msg('skip_bruno_unreadable', { reason: (error as Error).message.split('\n')[0]! })));
      continue;
    }
    const auth = doc.auth ?? doc.request?.auth;
    const mode = doc.http?.auth ?? auth?.mode;
    if (!auth?.oauth2 || (mode !== undefined && mode !== 'oauth2')) continue;
    const trail = ['Bruno', collectionName, ...file.path.replace(/\.bru$/, '').split('/')];
    if (isCollection) trail.pop();
    const name = isCollection ? collectionName : isFolder ? (trail.at(-2) ?? collectionName) : (doc.meta?.name ?? trail.at(-1)!);
    const source = trail.join(' › ');
    const oauth = auth.oauth2;
    const unresolved = new Set<string>();
    const text = (value: string | undefined) => (value ? resolveVars(value, vars, unresolved) : undefined);
    const found: FoundAuth = {
      source,
      name,
      grant: oauth.grantType ?? 'authorization_code',
      tokenUrl: text(oauth.accessTokenUrl) ?? '',
      authUrl: text(oauth.authorizationUrl),
      clientId: text(oauth.clientId) ?? '',
      clientSecret: text(oauth.clientSecret),
      scope: text(oauth.scope),
      redirectUri: text(oauth.callbackUrl),
      clientAuth: oauth.credentialsPlacement === 'body' ? 'body' : 'basic',
      pkce: oauth.pkce === true,
      username: text(oauth.username),
      password: text(oauth.password),
    };
    if (unresolved.size > 0) parsed.skipped.push(skip(source, unresolvedReason(unresolved, 'skip_unresolved_env_name')));
    else parsed.found.push(found);
  }
}
