/**
 * Import: recognise what a file (or a Bruno folder) is, read every OAuth 2.0 setting in it, and
 * build the preview — the clients to be created, deduplicated, each with where it was found and
 * whether a secret is missing — plus what was skipped and why. Nothing is saved here.
 */
import { parse as parseYaml } from 'yaml';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import { parseClientExport } from './tokendesk';
import type { ClientInput } from '../model/schemas';
import { isBrunoFolder, parseBruno } from './bruno';
import { isCurl, parseCurl } from './curl';
import { isInsomniaV4, isInsomniaV5, parseInsomniaV4, parseInsomniaV5 } from './insomnia';
import { dedupeKey, toClientInput } from './map';
import { isPostmanCollection, parsePostman, postmanEnvironmentVars } from './postman';
import { emptyParsed, skip, type ImportFile, type Parsed, type Skipped } from './types';

export interface ImportSource {
  /** One file, or every file of a Bruno folder (paths relative to it). */
  files: ImportFile[];
  /** A Postman environment export, or the name of a Bruno environment. */
  environment?: ImportFile | null;
}

export interface ReadImport {
  format: string;
  /** With their secrets: the caller seals them at once. */
  inputs: { input: ClientInput; sources: string[] }[];
  skipped: Skipped[];
}

function parseData(file: ImportFile): unknown {
  const trimmed = file.text.trimStart();
  try {
    return trimmed.startsWith('{') || trimmed.startsWith('[') ? JSON.parse(file.text) : parseYaml(file.text);
  } catch (error) {
    throw new TokenDeskError('bad_request', msg('import_not_json_or_yaml', { path: file.path, reason: (error as Error).message.split('\n')[0]! }));
  }
}

export function readImport(source: ImportSource): ReadImport {
  const { files } = source;
  let parsed: Parsed;
  if (files.length !== 1 || isBrunoFolder(files)) {
    if (!isBrunoFolder(files)) throw new TokenDeskError('bad_request', msg('import_no_bruno_collection'));
    parsed = emptyParsed('Bruno');
    parseBruno(files, source.environment?.path ?? null, parsed);
  } else {
    const file = files[0]!;
    if (isCurl(file.text)) {
      parsed = emptyParsed('curl');
      parseCurl(file.text, parsed);
    } else {
      const data = parseData(file);
      if (isPostmanCollection(data)) {
        parsed = emptyParsed('Postman collection');
        const env = source.environment ? postmanEnvironmentVars(parseData(source.environment)) : {};
        if (env === null) throw new TokenDeskError('bad_request', msg('import_not_postman_environment', { path: source.environment?.path ?? '' }));
        parsePostman(data, env, parsed);
      } else if (isInsomniaV4(data)) {
        parsed = emptyParsed('Insomnia v4');
        parseInsomniaV4(data, parsed);
      } else if (isInsomniaV5(data)) {
        parsed = emptyParsed('Insomnia v5');
        parseInsomniaV5(data, parsed);
      } else if ((data as { format?: unknown } | null)?.format === 'tokendesk-clients') {
        parsed = emptyParsed('TokenDesk export');
        parsed.inputs = parseClientExport(file.text);
      } else {
        throw new TokenDeskError('bad_request', msg('import_unknown_format', { path: file.path }));
      }
    }
  }
  const byKey = new Map<string, { input: ClientInput; sources: string[] }>();
  const add = (input: ClientInput, source: string) => {
    const key = dedupeKey(input);
    const seen = byKey.get(key);
    if (seen) {
      seen.sources.push(source);
      seen.input.clientSecret ??= input.clientSecret ?? null;
      seen.input.password ??= input.password ?? null;
    } else byKey.set(key, { input, sources: [source] });
  };
  for (const input of parsed.inputs) add(input, `${parsed.format} › ${input.name}`);
  for (const found of parsed.found) {
    const input = toClientInput(found);
    if ('reason' in input) parsed.skipped.push(skip(found.source, input.reason));
    else add(input, found.source);
  }
  return { format: parsed.format, inputs: [...byKey.values()], skipped: parsed.skipped };
}
