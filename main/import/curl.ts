/**
 * curl commands of a token request (`curl -u id:secret -d grant_type=client_credentials URL`):
 * one or more in a text, each possibly continued over lines with a trailing backslash. Words are
 * split as a POSIX shell would (quotes and backslashes), never evaluated.
 */
import { msg } from '../model/messages';
import { skip, type FoundAuth, type Parsed, type Skipped } from './types';

export function isCurl(text: string): boolean {
  return /^\s*(?:\$\s*)?curl\s/m.test(text);
}

/** POSIX shell word splitting (XCU 2.2 Quoting), without expansions. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error('a single quote is not closed');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let value = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && '$`"\\\n'.includes(line[i + 1] ?? '')) i++;
        value += line[i];
      }
      if (i >= line.length) throw new Error('a double quote is not closed');
      word = (word ?? '') + value;
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** The commands of a text: lines joined at trailing backslashes, one command per `curl` line. */
function commands(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\$\s*/, '').trim())
    .filter((line) => /^curl\s/.test(line));
}

const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-ascii', '--data-binary', '--data-urlencode']);
/** Options that take a value we do not need (skipped with it). */
const VALUE_FLAGS = new Set(['-X', '--request', '-o', '--output', '-A', '--user-agent', '-e', '--referer', '--connect-timeout', '-m', '--max-time', '--cacert', '--cert', '--key', '-b', '--cookie', '-x', '--proxy']);

export function parseCurl(text: string, parsed: Parsed): void {
  commands(text).forEach((command, index) => {
    const source = `curl command ${index + 1}`;
    try {
      const found = fromCurl(shellWords(command), source);
      if ('reason' in found) parsed.skipped.push(found);
      else parsed.found.push(found);
    } catch (error) {
      parsed.skipped.push(skip(source, msg('skip_curl_unreadable', { reason: (error as Error).message })));
    }
  });
}

function fromCurl(words: string[], source: string): FoundAuth | Skipped {
  let url: string | undefined;
  let user: string | undefined;
  let basic: string | undefined;
  const form = new URLSearchParams();
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const value = () => inline ?? words[++i] ?? '';
    if (flag === '-u' || flag === '--user') user = value();
    else if (flag === '-H' || flag === '--header') {
      const header = value();
      const match = /^authorization:\s*basic\s+(\S+)/i.exec(header);
      if (match) basic = Buffer.from(match[1]!, 'base64').toString('utf8');
    } else if (DATA_FLAGS.has(flag)) {
      const data = value();
      if (flag === '--data-urlencode') {
        const eq = data.indexOf('=');
        if (eq > 0) form.append(data.slice(0, eq), data.slice(eq + 1));
      } else for (const [key, item] of new URLSearchParams(data)) form.append(key, item);
    } else if (flag === '-F' || flag === '--form') {
      const field = value();
      const eq = field.indexOf('=');
      if (eq > 0) form.append(field.slice(0, eq), field.slice(eq + 1));
    } else if (flag === '--url') url = value();
    else if (VALUE_FLAGS.has(flag)) value();
    else if (!flag.startsWith('-')) url = word;
  }
  if (!url) return skip(source, msg('skip_curl_no_url'));
  const target = new URL(url);
  // Parameters in the query string count as well (some token endpoints read them there).
  for (const [key, item] of target.searchParams) if (!form.has(key)) form.append(key, item);
  const grant = form.get('grant_type');
  if (!grant) return skip(source, msg('skip_curl_no_grant'));
  const pair = user ?? basic;
  const colon = pair?.indexOf(':') ?? -1;
  const taken = new Set(['grant_type', 'client_id', 'client_secret', 'scope', 'username', 'password', 'redirect_uri', 'code', 'code_verifier', 'refresh_token']);
  const extraParams = Object.fromEntries([...form].filter(([key]) => !taken.has(key)));
  const clientId = pair !== undefined ? (colon === -1 ? pair : pair.slice(0, colon)) : (form.get('client_id') ?? '');
  return {
    source,
    name: `${target.host} ${clientId}`.trim(),
    grant,
    tokenUrl: `${target.origin}${target.pathname}`,
    clientId,
    clientSecret: pair !== undefined && colon !== -1 ? pair.slice(colon + 1) : (form.get('client_secret') ?? undefined),
    scope: form.get('scope') ?? undefined,
    redirectUri: form.get('redirect_uri') ?? undefined,
    clientAuth: pair !== undefined ? 'basic' : 'body',
    username: form.get('username') ?? undefined,
    password: form.get('password') ?? undefined,
    extraParams,
  };
}
