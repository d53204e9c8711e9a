/** A sink as the user describes it (kind, file, key), checked before it is stored. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { Sink } from '../model/types';
import { sinkInputSchema, type SinkInput } from '../model/schemas';
import { ENV_NAME } from './vars';
import { parsePointer } from './writers';

export function newSink(input: SinkInput): Sink {
  const parsed = sinkInputSchema.safeParse(input);
  if (!parsed.success) throw new TokenDeskError('bad_request', msg('sink_invalid', { reason: parsed.error.issues[0]?.message ?? 'unknown shape' }));
  const { kind, key } = parsed.data;
  // The app and the command line run in different folders: only an absolute path means one file.
  if (!path.isAbsolute(parsed.data.path)) throw new TokenDeskError('bad_request', msg('sink_path_relative', { path: parsed.data.path }));
  const sink: Sink = { id: randomUUID(), kind, path: path.normalize(parsed.data.path), key: kind === 'file' ? '' : key.trim() };
  if (kind === 'dotenv' && !ENV_NAME.test(sink.key)) {
    throw new TokenDeskError('bad_request', msg('sink_dotenv_name', { key: sink.key }));
  }
  if (kind === 'postman' && sink.key === '') throw new TokenDeskError('bad_request', msg('sink_postman_name'));
  if (kind === 'json') parsePointer(sink.key);
  return sink;
}
