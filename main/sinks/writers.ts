/**
 * Sinks: files that hold a client's current access token for other tools, rewritten on every
 * issue and refresh. Each writer changes its one value and keeps everything else of the file as
 * it was; every write is atomic and leaves the file 0600 (main/tokens/files.ts).
 */
import fs from 'node:fs';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { Sink } from '../model/types';
import { writeFileAtomic } from '../tokens/files';
import { dotenvQuote } from './formats';

/** Writes `token` into the sink's file. Throws an Error whose message says what went wrong. */
export function writeSink(sink: Sink, token: string): void {
  // A symbolic link stays a link: the file it points to is the one rewritten.
  const target = realTarget(sink.path);
  const current = readIfExists(target);
  switch (sink.kind) {
    case 'file':
      return writeFileAtomic(target, token);
    case 'dotenv':
      return writeFileAtomic(target, setDotenvVariable(current ?? '', sink.key, token));
    case 'json':
      return writeFileAtomic(target, setJsonPointer(current, sink.key, token, sink.path));
    case 'postman':
      return writeFileAtomic(target, setPostmanVariable(current, sink.key, token, sink.path));
  }
}

function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const ASSIGNMENT = /^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)/;

/**
 * Replaces the value of `name` in a .env text, or appends `name=value`. Lines are read as dotenv
 * does: a quoted value may run over several lines (so a line inside another variable's value is
 * never taken for an assignment); comments, blank lines, order and line endings stay.
 */
export function setDotenvVariable(text: string, name: string, value: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const quoted = dotenvQuote(value);
  let found = false;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const lineEnd = nextLineEnd(text, i);
    const line = text.slice(i, lineEnd);
    const match = ASSIGNMENT.exec(line);
    let entryEnd = lineEnd;
    if (match) {
      const valueStart = i + match[0].length;
      const quote = text[valueStart];
      if (quote === '"' || quote === "'" || quote === '`') {
        const close = closingQuote(text, valueStart + 1, quote);
        // An unclosed quote is read by dotenv as a plain value up to the end of its line.
        if (close !== -1) entryEnd = nextLineEnd(text, close);
      }
      if (match[3] === name && !found) {
        found = true;
        const rest = text.slice(valueStart, entryEnd);
        out += `${match[1]}${match[2] ?? ''}${name}${match[4]}${quoted}${trailingComment(rest)}`;
        i = entryEnd;
        continue;
      }
    }
    out += text.slice(i, entryEnd);
    i = entryEnd;
  }
  if (!found) {
    if (out.length > 0 && !out.endsWith('\n')) out += eol;
    out += `${name}=${quoted}${eol}`;
  }
  return out;
}

function nextLineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl + 1;
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** What follows a value on its last line (` # expires hourly`), and the line ending. */
function trailingComment(entry: string): string {
  const eol = /\r?\n$/.exec(entry)?.[0] ?? '';
  const body = entry.slice(0, entry.length - eol.length);
  const quote = body[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = closingQuote(body, 1, quote);
    return (close === -1 ? '' : body.slice(close + 1)) + eol;
  }
  const hash = body.search(/[ \t]#/);
  return (hash === -1 ? '' : body.slice(hash)) + eol;
}

/** RFC 6901 JSON Pointer: "/auth/token"; "~1" is "/" and "~0" is "~" inside a name. */
export function parsePointer(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new TokenDeskError('bad_request', msg('sink_json_pointer', { pointer }));
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenDeskError('storage', msg('sink_not_json', { path: file, reason: (error as Error).message }), { cause: error });
  }
}

/**
 * Where the value at `target` sits in a JSON text (already checked by JSON.parse), so that only
 * those characters change: the file's own spacing, line breaks and key order stay as they were.
 */
function findSpan(text: string, target: string[]): [number, number] | null {
  let i = 0;
  let found: [number, number] | null = null;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (at: string[]): void => {
    skipSpace();
    const start = i;
    const first = text[i];
    if (first === '{' || first === '[') {
      const close = first === '{' ? '}' : ']';
      i++;
      skipSpace();
      for (let index = 0; text[i] !== close; index++) {
        skipSpace();
        let key = String(index);
        if (first === '{') {
          key = readString();
          skipSpace();
          i++; // the colon
        }
        readValue([...at, key]);
        skipSpace();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (first === '"') readString();
    else while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
    if (at.length === target.length && at.every((part, k) => part === target[k])) found = [start, i];
  };
  readValue([]);
  return found;
}

function replaceSpan(text: string, span: [number, number], value: string): string {
  return text.slice(0, span[0]) + JSON.stringify(value) + text.slice(span[1]);
}

/** The file's own indentation, for a file TokenDesk has to restructure (a new key). */
function indentOf(text: string | null): string | number {
  const match = text ? /\n([ \t]+)\S/.exec(text) : null;
  return match ? match[1]! : 2;
}

function serialize(value: unknown, like: string | null): string {
  const eol = like?.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(value, null, indentOf(like));
  return (eol === '\n' ? body : body.replace(/\n/g, eol)) + (like === null || /\r?\n$/.test(like) ? eol : '');
}

export function setJsonPointer(text: string | null, pointer: string, value: string, file = 'the file'): string {
  const root: unknown = text === null || text.trim() === '' ? {} : parseJson(text, file);
  const parts = parsePointer(pointer);
  let node = root;
  for (const [index, part] of parts.entries()) {
    if (node === null || typeof node !== 'object') throw new TokenDeskError('storage', msg('sink_json_not_object', { path: file, pointer }));
    const container = node as Record<string, unknown>;
    if (index === parts.length - 1) {
      if (Array.isArray(container) && !/^\d+$/.test(part)) throw new TokenDeskError('storage', msg('sink_json_not_index', { path: file, part, pointer }));
      container[part] = value;
    } else {
      container[part] ??= {};
      node = container[part];
    }
  }
  const span = text === null ? null : findSpan(text, parts);
  return span && text !== null ? replaceSpan(text, span, value) : serialize(root, text);
}

interface PostmanEnvironment {
  values: { key: string; value: unknown; type?: string; enabled?: boolean }[];
}

/** A Postman environment export (`values: [{key, value, type, enabled}]`): one variable's value. */
export function setPostmanVariable(text: string | null, key: string, value: string, file = 'the file'): string {
  const env = (text === null ? { name: 'TokenDesk', values: [], _postman_variable_scope: 'environment' } : parseJson(text, file)) as PostmanEnvironment;
  if (env === null || typeof env !== 'object' || !Array.isArray(env.values)) throw new TokenDeskError('storage', msg('sink_not_postman', { path: file }));
  const index = env.values.findIndex((entry) => entry !== null && typeof entry === 'object' && entry.key === key);
  const span = text !== null && index !== -1 ? findSpan(text, ['values', String(index), 'value']) : null;
  if (span && text !== null) return replaceSpan(text, span, value);
  if (index !== -1) env.values[index]!.value = value;
  // Postman's "secret" type masks the value in its UI.
  else env.values.push({ key, value, type: 'secret', enabled: true });
  return serialize(env, text);
}
