/** What every importer produces, and what the preview shows before anything is saved. */
import type { ClientInput } from '../model/schemas';
import { format, type MessageText } from '../model/messages';

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

export interface Skipped {
  source: string;
  /** English, for the command line; `text` is the same as a message code the app translates. */
  reason: string;
  text?: MessageText;
}

export const skip = (source: string, text: MessageText): Skipped => ({ source, reason: format(text), text });

/** A client the import would create: its settings without the secrets (those stay sealed in main). */
export interface ImportCandidate {
  input: ClientInput;
  sources: string[];
  hasSecret: boolean;
  hasPassword: boolean;
  /** The client cannot work without a secret the file did not hold: the import asks for it. */
  needsSecret: boolean;
  needsPassword: boolean;
}

export interface ImportPreview {
  /** Identifies the pending import for applyImport. */
  id: string;
  format: string;
  clients: ImportCandidate[];
  skipped: Skipped[];
}

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
