/** `tokendesk env NAME… [--format sh|fish|powershell|dotenv|json]`: the exec variables, quoted for eval. */
import { formatEnv, type EnvFormat } from '../sinks/formats';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { msg } from '../model/messages';
import { reasonText } from '../model/errors';
import { CliError } from './exit';
import { tokenEnv } from './token-env';

export async function runEnv(desk: CliDesk, args: ParsedArgs, now: () => number): Promise<string> {
  const vars = await tokenEnv(desk, args, now);
  const format = (typeof args.flags['format'] === 'string' ? args.flags['format'] : 'sh') as EnvFormat;
  try {
    return formatEnv(vars, format);
  } catch (error) {
    throw new CliError(msg('env_unquotable', { format, reason: reasonText(error) }));
  }
}
