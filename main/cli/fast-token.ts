/**
 * `tokendesk token NAME` without the core: read store.json, open the one sealed token with the
 * data key (main/tokens/secrets.ts, node:crypto only), and print it when it is valid beyond the
 * refresh lead time. Anything else (no token, inside the lead time, a store format this reader
 * does not know, a key held by the OS keychain) returns null and the caller loads the full core,
 * which refreshes under the cross-process lock or explains the problem.
 *
 * Deliberately not main/tokens/store.ts: that one loads conf and zod, which would cost more than
 * the whole rest of the command (the bench target is 2.5 × `node -e 0`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_REFRESH_POLICY } from '../model/defaults';
import type { ClientConfig, TokenSet } from '../model/types';
import { lastsFor, refreshDueAt } from '../tokens/scheduler';
import { KEY_FILE_NAME, openKeyring } from '../tokens/secrets';

/** Must match main/tokens/store.ts (STORE_NAME, SCHEMA_VERSION); a test checks it does. */
export const FAST_STORE_FILE = 'store.json';
export const FAST_SCHEMA_VERSION = 1;

interface StoreView {
  schemaVersion?: unknown;
  /** As read: an entry may be anything (vault.ts checks clients for the full core). */
  clients?: (Pick<ClientConfig, 'id' | 'name' | 'refreshPolicy'> | null)[];
  tokens?: Record<string, string>;
  status?: Record<string, { needsSignIn?: boolean }>;
}

/** The access token when it is valid beyond the refresh lead time and for `minValidMs` more, otherwise null. */
export async function fastValidToken(dataDir: string, ref: string, now = Date.now(), minValidMs = 0): Promise<string | null> {
  let doc: StoreView;
  try {
    doc = JSON.parse(fs.readFileSync(path.join(dataDir, FAST_STORE_FILE), 'utf8')) as StoreView;
  } catch {
    return null;
  }
  if (doc.schemaVersion !== FAST_SCHEMA_VERSION || !Array.isArray(doc.clients)) return null;
  const client = doc.clients.find((c) => c?.id === ref) ?? doc.clients.find((c) => c?.name === ref);
  if (!client || doc.status?.[client.id]?.needsSignIn) return null;
  const sealed = doc.tokens?.[client.id];
  // openKeyring would create a key file: a directory without one has no token to read anyway.
  if (typeof sealed !== 'string' || !fs.existsSync(path.join(dataDir, KEY_FILE_NAME))) return null;

  let token: TokenSet;
  try {
    const keyring = await openKeyring({ dataDir });
    token = JSON.parse(keyring.open(sealed)) as TokenSet;
  } catch {
    return null;
  }
  if (typeof token?.accessToken !== 'string' || token.accessToken === '') return null;
  const dueAt = refreshDueAt(token, client.refreshPolicy ?? DEFAULT_REFRESH_POLICY);
  // NaN from a malformed stored value is not "fresh": the full core reads it and says what is wrong.
  if ((dueAt !== null && !(dueAt > now)) || !lastsFor(token, now, minValidMs)) return null;
  return token.accessToken;
}
