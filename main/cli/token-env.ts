/** The variables `exec` and `env` hand over: every named client's valid token, checked for --min-valid. */
import { formatRemaining } from '../core/views';
import { tokenVars, type EnvVars } from '../sinks/vars';
import type { CliDesk } from '../agent/client';
import { minValidMs, type ParsedArgs } from './args';
import { msg } from '../model/messages';
import { CliError, EXIT } from './exit';

export async function tokenEnv(desk: CliDesk, args: ParsedArgs, now: () => number): Promise<EnvVars> {
  const minValid = minValidMs(args.flags['min-valid']);
  const vars: EnvVars = [];
  const seen = new Map<string, string>();
  for (const name of args.names ?? []) {
    const client = (await desk.getClient(name)).config;
    // Refreshed first when it would expire within --min-valid; a provider that issues shorter tokens is said so.
    const token = await desk.validToken(client.id, minValid > 0 ? { minValidMs: minValid } : {});
    if (minValid > 0 && token.expiresAt !== null && token.expiresAt - now() < minValid) {
      const remaining = formatRemaining(Math.max(0, token.expiresAt - now()));
      throw new CliError(msg('env_min_valid', { name: client.name, remaining, minValid: String(args.flags['min-valid']) }), EXIT.providerRejected);
    }
    for (const [variable, value] of tokenVars(client, token)) {
      const owner = seen.get(variable);
      if (owner !== undefined && owner !== client.name) {
        throw new CliError(msg('env_variable_clash', { owner, name: client.name, variable }));
      }
      seen.set(variable, client.name);
      if (owner === undefined) vars.push([variable, value]);
    }
  }
  return vars;
}
