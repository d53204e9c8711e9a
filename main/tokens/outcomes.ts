/**
 * What a failed or ageing token leaves behind in the store: the client's status (needs sign-in,
 * last error, failures in a row) and the notices the user sees. The manager decides when; this
 * module writes it, through the vault, each in its own transaction.
 */
import { randomUUID } from 'node:crypto';
import { isoInstant } from '../model/dates';
import { reasonOf, TokenDeskError, toErrorInfo } from '../model/errors';
import { format, msg, type MessageText } from '../model/messages';
import type { Notice, TokenSet } from '../model/types';
import { isNoNewToken } from './refresh-guard';
import type { StoreDocument } from './store';
import type { Vault } from './vault';

/** Consecutive failed refreshes before a 'refresh_failing' notice. */
export const FAILING_NOTICE_AFTER = 3;

export interface NoticeSink {
  now(): number;
  /** Every new notice, once it is in the store. */
  notify(notice: Notice): void;
}

/** invalid_grant, or a 400/401 rejection of a refresh (RFC 6749 §5.2): only signing in again helps. */
export function isSignInError(error: unknown): boolean {
  if (!(error instanceof TokenDeskError)) return false;
  if (error.code === 'invalid_grant' || error.code === 'needs_signin') return true;
  return error.code === 'provider_rejected' && (error.status === 400 || error.status === 401);
}

/** Worth another try: the network, a timeout, TLS, or a server error. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof TokenDeskError)) return false;
  if (error.code === 'network' || error.code === 'timeout' || error.code === 'tls') return true;
  return error.status !== undefined && error.status >= 500;
}

/** Best effort: the caller already answers with the error; a failed write is retried on the next one. */
export async function markNeedsSignIn(vault: Vault, clientId: string, error: unknown, notes: NoticeSink): Promise<void> {
  const name = vault.record(clientId)?.config.name ?? clientId;
  const info = toErrorInfo(error);
  await vault
    .transaction(() => {
      if (!vault.record(clientId)) return;
      const failures = vault.status(clientId).failures + 1;
      vault.update((doc) => {
        doc.status[clientId] = { needsSignIn: true, lastError: info, failures };
        addNotice(doc, clientId, 'needs_signin', msg('notice_needs_signin', { name, reason: reasonOf(info) }), notes);
      });
    })
    .catch(() => undefined);
}

export async function recordFailure(vault: Vault, clientId: string, error: unknown, notes: NoticeSink): Promise<void> {
  const info = toErrorInfo(error);
  await vault
    .transaction(() => {
      const client = vault.record(clientId)?.config;
      if (!client) return;
      const failures = vault.status(clientId).failures + 1;
      vault.update((doc) => {
        doc.status[clientId] = { needsSignIn: false, lastError: info, failures };
        // A provider that answers "nothing new", or a refresh held back by the call ceiling, will
        // not mend within a few tries: the user hears of it at once.
        if (failures >= FAILING_NOTICE_AFTER || isNoNewToken(error) || info.code === 'rate_limited') {
          const text = failures === 1
            ? msg('notice_refresh_failed', { name: client.name, reason: reasonOf(info) })
            : msg('notice_refresh_failing', { name: client.name, failures, reason: reasonOf(info) });
          addNotice(doc, clientId, 'refresh_failing', text, notes);
        }
      });
    })
    .catch(() => undefined);
}

/** Once the refresh token is within its warning days (Settings.notifications.refreshTokenWarnDays). */
export async function warnRefreshExpiry(vault: Vault, clientId: string, warnAt: (token: TokenSet) => number | null, notes: NoticeSink): Promise<void> {
  await vault.transaction(() => {
    const client = vault.record(clientId)?.config;
    if (!client || vault.hasNotice(clientId, 'refresh_token_expiring')) return;
    const token = vault.token(clientId);
    const at = token ? warnAt(token) : null;
    if (!token?.refreshExpiresAt || at === null || at > notes.now()) return;
    const when = isoInstant(token.refreshExpiresAt) ?? '';
    vault.update((doc) => addNotice(doc, clientId, 'refresh_token_expiring', msg('notice_refresh_token_expiring', { name: client.name, when }), notes));
  });
}

/** Replaces the client's notice of the same kind, and tells the OS when that kind is enabled. */
function addNotice(doc: StoreDocument, clientId: string, kind: Notice['kind'], text: MessageText, notes: NoticeSink): void {
  const notice: Notice = { id: randomUUID(), clientId, kind, message: format(text), text, at: notes.now() };
  doc.notices = [...doc.notices.filter((n) => n.clientId !== clientId || n.kind !== kind), notice];
  // After the store write that holds it (update() writes right after this change returns).
  queueMicrotask(() => notes.notify(notice));
}
