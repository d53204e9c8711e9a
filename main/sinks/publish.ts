/**
 * After every issue and refresh: the new access token goes to each of the client's sinks. A sink
 * that fails (a missing folder, a read-only file, a file that is not what it should be) is
 * reported, never thrown: the refresh has already succeeded and stays so.
 */
import type { ClientConfig, Sink, TokenSet } from '../model/types';
import { writeSink } from './writers';

export interface SinkFailure {
  sink: Sink;
  message: string;
}

export function publishToSinks(client: ClientConfig, token: Pick<TokenSet, 'accessToken'>): SinkFailure[] {
  const failures: SinkFailure[] = [];
  for (const sink of client.sinks ?? []) {
    try {
      writeSink(sink, token.accessToken);
    } catch (error) {
      failures.push({ sink, message: (error as Error).message });
    }
  }
  return failures;
}

export function describeSink(sink: Sink): string {
  switch (sink.kind) {
    case 'file':
      return `${sink.path} (token file)`;
    case 'dotenv':
      return `${sink.path} (.env variable ${sink.key})`;
    case 'json':
      return `${sink.path} (JSON ${sink.key})`;
    case 'postman':
      return `${sink.path} (Postman variable ${sink.key})`;
  }
}

export function failureNotice(client: ClientConfig, failures: SinkFailure[]): string {
  const what = failures.map((failure) => `${describeSink(failure.sink)}: ${failure.message}`).join('; ');
  return `The token of "${client.name}" was refreshed, but ${failures.length === 1 ? 'a sink' : `${failures.length} sinks`} could not be written — ${what}`;
}
