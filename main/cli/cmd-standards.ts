/**
 * The command line of the standards work (issue #12 item 10): `clients add --provider oauth2`
 * with --issuer (endpoints from discovery), --auth and its key/certificate files, --ca-file,
 * --dpop, --proxy; and `headers NAME [--method M] [--url URL]`.
 */
import { readFileSync } from 'node:fs';
import type { ClientInput } from '../ipc/contract';
import { GRANT_TYPE_NAMES, type GenericSettings } from '../model/types';
import { authMethodFromName, offersGrant, rfcAuthMethod, settingsFromMetadata, supportedAuthMethods } from '../oauth/standards/discovery';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { CliError, EXIT } from './exit';

function flag(args: ParsedArgs, key: string): string | null {
  const value = args.flags[key];
  return typeof value === 'string' ? value : null;
}

function readFlagFile(args: ParsedArgs, key: string): string | null {
  const file = flag(args, key);
  if (file === null) return null;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`--${key}: cannot read ${file} (${reason}).`, EXIT.usage);
  }
}

/**
 * The generic client's standards settings from the flags: files read here (the keys then travel
 * to the core, which seals them), the issuer discovered through the desk (so the app's agent
 * records it), the auth method checked against what the server supports.
 */
export async function standardsClientFields(
  args: ParsedArgs,
  desk: CliDesk,
  generic: GenericSettings,
): Promise<Pick<ClientInput, 'generic' | 'privateKey' | 'tlsClientKey' | 'baseUrl'>> {
  const auth = flag(args, 'auth');
  const proxy = flag(args, 'proxy');
  const caCertificates = readFlagFile(args, 'ca-file');
  const clientCertificate = readFlagFile(args, 'client-cert-file');
  const tlsClientKey = readFlagFile(args, 'client-key-file');
  const privateKey = readFlagFile(args, 'private-key-file');
  let settings: GenericSettings = {
    ...generic,
    ...(auth ? { clientAuth: authMethodFromName(auth)! } : {}),
    dpop: args.flags['dpop'] === true,
    proxy,
    caCertificates,
    clientCertificate,
  };
  const out: Pick<ClientInput, 'generic' | 'privateKey' | 'tlsClientKey' | 'baseUrl'> = {};
  const issuer = flag(args, 'issuer');
  if (issuer !== null) {
    const metadata = await desk.discover(issuer, { proxy, caCertificates });
    const supported = supportedAuthMethods(metadata);
    if (auth && supported.length > 0 && !supported.includes(settings.clientAuth)) {
      throw new CliError(`${issuer} does not support --auth ${auth}; it offers ${supported.map(rfcAuthMethod).join(', ')}.`, EXIT.usage);
    }
    if (flag(args, 'grant') === null) {
      // Without --grant: a redirect URI means someone signs in; otherwise the client acts for itself.
      const grant = flag(args, 'redirect-uri') ? 'authorization_code' : 'client_credentials';
      settings = { ...settings, grant, pkce: grant === 'authorization_code' && args.flags['no-pkce'] !== true };
    }
    // RFC 8693 and RFC 7523 §2.1 are extensions: only where the server lists them.
    if ((settings.grant === 'token_exchange' || settings.grant === 'jwt_bearer') && !offersGrant(metadata, settings.grant)) {
      throw new CliError(`${issuer} does not offer --grant ${settings.grant} (its metadata does not list ${GRANT_TYPE_NAMES[settings.grant]}).`, EXIT.usage);
    }
    settings = settingsFromMetadata(settings, metadata);
    if (flag(args, 'base-url') === null) out.baseUrl = new URL(issuer).origin;
  }
  out.generic = settings;
  if (privateKey !== null) out.privateKey = privateKey;
  if (tlsClientKey !== null) out.tlsClientKey = tlsClientKey;
  return out;
}

/** `headers NAME [--method M] [--url URL]`: one header per line on stdout. */
export async function headersCommand(args: ParsedArgs, desk: CliDesk, out: (text: string) => void): Promise<void> {
  const lines = await desk.requestHeaders(args.name ?? '', { method: (flag(args, 'method') ?? 'GET').toUpperCase(), url: flag(args, 'url') });
  out(`${lines.join('\n')}\n`);
}
