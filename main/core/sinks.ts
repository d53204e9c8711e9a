/**
 * The desk's sinks (main/sinks/): files that get the access token on every issue and refresh.
 * A failing sink becomes one 'sink_failed' notice per client, cleared by the next write that
 * succeeds; it never fails the refresh that produced the token.
 */
import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../model/errors';
import { format, msg } from '../model/messages';
import type { SinkInput } from '../model/schemas';
import type { Notice, TokenSet } from '../model/types';
import { newSink } from '../sinks/config';
import { failureText, publishToSinks, type SinkFailure } from '../sinks/publish';
import type { ClientRecord, Vault } from '../tokens/vault';
import type { SinkResult } from './desk-api';

export interface SinkContext {
  vault: Vault;
  now(): number;
  /** The notices changed. */
  changed(): void;
  /** A new notice, for the OS when its kind is enabled. */
  notify(notice: Notice): void;
}

/** Adds a sink to a client (not twice the same file and key) and writes the current token there at once. */
export async function addSink(ctx: SinkContext, record: ClientRecord, input: SinkInput, token: TokenSet | null): Promise<Omit<SinkResult, 'client'>> {
  const sink = newSink(input);
  await ctx.vault.transaction(() => {
    const client = ctx.vault.config(record.id);
    const sinks = client.sinks ?? [];
    if (sinks.some((other) => other.path === sink.path && other.key === sink.key)) {
      throw new TokenDeskError('conflict', msg('sink_exists', { name: client.name, what: sink.key ? `${sink.key} in ${sink.path}` : sink.path }));
    }
    ctx.vault.putClient({ ...client, sinks: [...sinks, sink] }, undefined);
  });
  const [failure] = token ? await publish(ctx, record.id, token, sink.id) : [];
  return { sink, written: token !== null && !failure, error: failure?.message ?? null, ...(failure ? { errorText: failure.text } : {}) };
}

/** By the sink's id, or its file path when only one sink writes that file. */
export async function removeSink(ctx: SinkContext, record: ClientRecord, sinkRef: string): Promise<void> {
  const { config } = record;
  const matches = (config.sinks ?? []).filter((sink) => sink.id === sinkRef || sink.path === sinkRef);
  if (matches.length !== 1) {
    const params = { name: config.name, sink: sinkRef };
    throw matches.length === 0 ? new TokenDeskError('not_found', msg('sink_not_found', params)) : new TokenDeskError('conflict', msg('sink_ambiguous', params));
  }
  await ctx.vault.transaction(() => {
    const client = ctx.vault.config(record.id);
    ctx.vault.putClient({ ...client, sinks: (client.sinks ?? []).filter((sink) => sink.id !== matches[0]!.id) }, undefined);
  });
}

/**
 * Writes a new token to the client's sinks (or to one of them). Returns the failures, if any; a
 * first failure is told to the OS, a success clears the client's notice.
 */
export async function publish(ctx: SinkContext, clientId: string, token: TokenSet, onlySink?: string): Promise<SinkFailure[]> {
  const record = ctx.vault.record(clientId);
  if (!record || record.damage) return [];
  const client = record.config;
  const sinks = (client.sinks ?? []).filter((sink) => onlySink === undefined || sink.id === onlySink);
  if (sinks.length === 0) return [];
  const failures = publishToSinks({ ...client, sinks }, token);
  const hadNotice = ctx.vault.hasNotice(clientId, 'sink_failed');
  if (failures.length === 0 && (!hadNotice || onlySink !== undefined)) return failures;
  const text = failures.length === 0 ? null : failureText(client, failures);
  const notice: Notice | null = text ? { id: randomUUID(), clientId, kind: 'sink_failed', message: format(text), text, at: ctx.now() } : null;
  await ctx.vault.transaction(() =>
    ctx.vault.update((doc) => {
      doc.notices = doc.notices.filter((other) => other.clientId !== clientId || other.kind !== 'sink_failed');
      if (notice) doc.notices.push(notice);
    }),
  );
  ctx.changed();
  if (notice && !hadNotice) ctx.notify(notice);
  return failures;
}
