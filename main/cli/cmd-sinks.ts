/**
 * `tokendesk sinks add NAME KIND FILE [KEY]`, `sinks list [NAME]`, `sinks remove NAME ID|FILE`.
 * Paths are made absolute here: the app that writes the files runs in another folder.
 */
import path from 'node:path';
import { SINK_KINDS, type ClientView, type SinkKind } from '../model/types';
import { describeSink } from '../sinks/publish';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { CliError, EXIT } from './exit';
import { json, table } from './output';

export async function runSinks(desk: CliDesk, args: ParsedArgs, out: (text: string) => void): Promise<void> {
  const [first, second, third] = args.operands ?? [];
  const name = args.name ?? '';
  switch (args.command) {
    case 'sinks add': {
      const kind = first as SinkKind;
      if (!SINK_KINDS.includes(kind)) throw new CliError(`A sink is one of ${SINK_KINDS.join(', ')} (got "${first}").`);
      if (kind === 'file' && third !== undefined) throw new CliError('A file sink takes no KEY: the file holds just the token.');
      if (kind !== 'file' && third === undefined) {
        throw new CliError(kind === 'json' ? 'A json sink needs a JSON Pointer such as /auth/token.' : `A ${kind} sink needs the variable's name.`);
      }
      const result = await desk.addSink(name, { kind, path: path.resolve(second ?? ''), key: third ?? '' });
      const where = describeSink(result.sink);
      if (result.error) throw new CliError(`${result.client.config.name}: sink ${where} added, but writing it failed: ${result.error}`, EXIT.usage);
      out(`${result.client.config.name}: sink ${where} added (${result.sink.id})${result.written ? ', token written' : ', written at the next issue or refresh'}.\n`);
      return;
    }
    case 'sinks remove': {
      const view = await desk.removeSink(name, sinkRef(first ?? ''));
      out(`${view.config.name}: sink removed.\n`);
      return;
    }
    case 'sinks list': {
      const views = args.name ? [await desk.getClient(name)] : await desk.listClients();
      const rows = views.flatMap((view: ClientView) => (view.config.sinks ?? []).map((sink) => ({ client: view.config.name, ...sink })));
      if (args.flags['json'] === true) return out(json(rows));
      if (rows.length === 0) return out('No sinks. Add one with "tokendesk sinks add NAME dotenv FILE VAR".\n');
      return out(table(['CLIENT', 'ID', 'KIND', 'FILE', 'KEY'], rows.map((row) => [row.client, row.id, row.kind, row.path, row.key])));
    }
    default:
      throw new CliError(`"${args.command}" is not a sinks command.`);
  }
}

/** An id as is; a bare file name is taken relative to the current folder. */
function sinkRef(ref: string): string {
  return /^[0-9a-f-]{36}$/.test(ref) || path.isAbsolute(ref) ? ref : path.resolve(ref);
}
