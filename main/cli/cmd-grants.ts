/**
 * `clients add --grant token_exchange|jwt_bearer` (RFC 8693, RFC 7523 §2.1): the subject and
 * actor clients are named on the command line and stored by id, so renaming them later keeps the
 * exchange working; a client cannot be its own subject or actor.
 */
import type { CliDesk } from '../agent/client';
import type { GenericSettings } from '../model/types';
import type { ParsedArgs } from './args';
import { CliError, EXIT } from './exit';

function flag(args: ParsedArgs, key: string): string | null {
  const value = args.flags[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The id of the client named `ref` (not_found when there is none), refused when it is the client being added. */
async function clientIdOf(desk: CliDesk, ref: string, role: string, name: string | null): Promise<string> {
  if (ref === name) throw new CliError(`--${role}-client cannot be the client itself ("${name}").`, EXIT.usage);
  return (await desk.getClient(ref)).config.id;
}

export async function grantSettings(args: ParsedArgs, desk: CliDesk, settings: GenericSettings): Promise<GenericSettings> {
  if (settings.grant === 'jwt_bearer') return { ...settings, assertionSubject: flag(args, 'assertion-subject') };
  if (settings.grant !== 'token_exchange') return settings;
  const subject = flag(args, 'subject-client')!;
  const actor = flag(args, 'actor-client');
  return {
    ...settings,
    tokenExchange: {
      subjectClientId: await clientIdOf(desk, subject, 'subject', args.name),
      actorClientId: actor === null ? null : await clientIdOf(desk, actor, 'actor', args.name),
      audience: flag(args, 'audience'),
      resource: flag(args, 'resource'),
      requestedTokenType: flag(args, 'requested-token-type'),
    },
  };
}
