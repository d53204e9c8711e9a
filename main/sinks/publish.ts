/**
 * After every issue and refresh: the new access token goes to each of the client's sinks. A sink
 * that fails (a missing folder, a read-only file, a file that is not what it should be) is
 * reported, never thrown: the refresh has already succeeded and stays so.
 */
import { TokenDeskError } from '../model/errors';
import { format, msg, type MessageText } from '../model/messages';
import type { ClientConfig, Sink, TokenSet } from '../model/types';
import { writeSink } from './writers';

export interface SinkFailure {
  sink: Sink;
  message: string;
  text: MessageText;
}

export function publishToSinks(client: ClientConfig, token: Pick<TokenSet, 'accessToken'>): SinkFailure[] {
  const failures: SinkFailure[] = [];
  for (const sink of client.sinks ?? []) {
    try {
      writeSink(sink, token.accessToken);
    } catch (error) {
      const text = failureReason(error);
      failures.push({ sink, message: format(text), text });
    }
  }
  return failures;
}

/** Why a write failed, in words that name the file; the system's own code (ENOENT, EACCES …) is kept. */
function failureReason(error: unknown): MessageText {
  if (error instanceof TokenDeskError && error.text) return error.text;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return msg('sink_folder_missing', { reason: code });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return msg('sink_not_writable', { reason: code });
  return msg('sink_write_failed', { reason: (error as Error).message });
}

export function describeSink(sink: Sink): string {
  return format(sinkText(sink));
}

export function sinkText(sink: Sink): MessageText {
  const code = ({ file: 'sink_file', dotenv: 'sink_dotenv', json: 'sink_json', postman: 'sink_postman' } as const)[sink.kind];
  return msg(code, { path: sink.path, key: sink.key });
}

/** One notice for a client's failed sinks, each named with its reason. */
export function failureText(client: ClientConfig, failures: SinkFailure[]): MessageText {
  const each = failures.map((failure) => msg('sink_failure', { sink: sinkText(failure.sink), reason: failure.text }));
  const what = each.reduceRight((rest, first) => msg('sink_list', { first, rest }));
  return failures.length === 1 ? msg('notice_sink_failed', { name: client.name, what }) : msg('notice_sinks_failed', { name: client.name, count: failures.length, what });
}
