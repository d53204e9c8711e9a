/** What every importer produces; the preview it leads to travels to the renderer, so its types live in main/model/operations.ts. */
import type { ClientInput } from '../model/schemas';
import { format, type MessageText } from '../model/messages';
import type { Skipped } from '../model/operations';

export type { ImportCandidate, ImportPreview, Skipped } from '../model/operations';

/** One file handed to the importer: Bruno folders arrive as many, with paths relative to the folder. */
export interface ImportFile {
  path: string;
  text: string;
}

/** OAuth 2.0 settings as found in a tool's file, variables already resolved. */
export interface FoundAuth {
  /** Where it was found: "Postman › Daou › Get me". */
  source: string;
  /** The client name to suggest. */
  name: string;
  /** The tool's own grant name (authorization_code_with_pkce, password_credentials …). */
  grant: string;
  tokenUrl: string;
  authUrl?: string | undefined;
  clientId: string;
  clientSecret?: string | undefined;
  scope?: string | undefined;
  redirectUri?: string | undefined;
  clientAuth?: 'basic' | 'body' | undefined;
  pkce?: boolean | undefined;
  username?: string | undefined;
  password?: string | undefined;
  extraParams?: Record<string, string> | undefined;
}

export const skip = (source: string, text: MessageText): Skipped => ({ source, reason: format(text), text });

/** An importer's raw result: found settings (or ready inputs, for TokenDesk's own export) and what it skipped. */
export interface Parsed {
  format: string;
  found: FoundAuth[];
  inputs: ClientInput[];
  skipped: Skipped[];
}

export const emptyParsed = (format: string): Parsed => ({ format, found: [], inputs: [], skipped: [] });

/** Replaces {{name}} (and Insomnia's {{ _.name }}) from `vars`; what stays unresolved is reported. */
export function resolveVars(text: string | undefined, vars: Record<string, string>, unresolved: Set<string>): string | undefined {
  if (text === undefined) return undefined;
  return text.replace(/\{\{\s*(?:_\.)?([\w.-]+)\s*\}\}/g, (all, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      unresolved.add(name);
      return all;
    }
    return value;
  });
}
