/**
 * Every command of the contract, written once against CliDesk: the same code runs on the app's
 * agent (agent mode) and on a TokenDesk this process opens itself (standalone mode).
 */
import type { ClientInput } from '../model/schemas';
import type { GenericSettings, ClientView } from '../model/types';
import { DEFAULT_GENERIC } from '../model/defaults';
import { ITCODE_PASTE_WARNING, ITCODE_SPENT_CODE_HINT } from '../oauth/presets/itcode';
import { isLoopbackRedirect } from '../oauth/redirect';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { headersCommand, standardsClientFields } from './cmd-standards';
import { grantSettings } from './cmd-grants';
import { startLoopbackListener } from '../oauth/signin';
import { checkUrl } from '../model/urls';
import { openBrowser, readLine, readLines, readSecret } from './browser';
import { introspectCommand, loginWithDevice } from './cmd-device';
import { runEnv } from './cmd-env';
import { runExec } from './cmd-exec';
import { runExport, runImport } from './cmd-import';
import { runSinks } from './cmd-sinks';
import { CliError, EXIT } from './exit';
import {
  clientDetails,
  clientJson,
  exchangeLines,
  json,
  keyValues,
  printable,
  statusJson,
  statusTable,
  summaryLine,
  table,
  tokenJson,
  when,
} from './output';

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  now(): number;
}

/** How long `login` waits for the browser to come back to a loopback redirect. */
const LOOPBACK_TIMEOUT_MS = 5 * 60_000;

/** Resolves with an exit code when the command has its own (exec: CMD's), else with nothing (0). */
export async function runCommand(args: ParsedArgs, desk: CliDesk, io: CliIo): Promise<number | void> {
  const name = args.name ?? '';
  const wantsJson = args.flags['json'] === true;
  const out = (text: string) => void io.stdout.write(text);

  switch (args.command) {
    case 'clients add': {
      const view = await desk.createClient(await clientInput(args, io, desk));
      out(`Added ${printable(view.config.name)} (${view.config.provider}, ${view.config.baseUrl}).\n`);
      return;
    }
    case 'clients list': {
      const views = await desk.listClients();
      if (wantsJson) return out(json(views.map(clientJson)));
      if (views.length === 0) return out(statusTable([], io.now()));
      return out(
        table(
          ['NAME', 'PROVIDER', 'STATE', 'EXPIRES'],
          views.map((view) => [printable(view.config.name), view.config.provider, view.state, when(view.token?.expiresAt, io.now())]),
        ),
      );
    }
    case 'clients show': {
      const view = await desk.getClient(name);
      return out(wantsJson ? json(clientJson(view)) : clientDetails(view, io.now()));
    }
    case 'clients remove': {
      const view = await desk.getClient(name);
      await desk.removeClient(view.config.id);
      return out(`Removed ${printable(view.config.name)}.\n`);
    }
    case 'issue':
      return printOutcome(desk, await desk.issue(name), 'token issued', wantsJson, io);
    case 'refresh':
      return printOutcome(desk, await desk.refresh(name), 'token refreshed', wantsJson, io);
    case 'login': {
      const view = args.flags['device'] === true ? await loginWithDevice(desk, name, io) : await login(desk, name, args.flags['no-browser'] === true, io);
      return printOutcome(desk, view, 'signed in', wantsJson, io);
    }
    case 'introspect':
      return introspectCommand(desk, name, args.flags['refresh'] === true, wantsJson, out);
    case 'token': {
      const token = await desk.validToken(name);
      return out(`${token.accessToken}\n`);
    }
    case 'status': {
      const views = await desk.listClients();
      return out(wantsJson ? json(views.map(statusJson)) : statusTable(views, io.now()));
    }
    case 'userinfo': {
      const info = await desk.userInfo(name);
      return out(wantsJson ? json(info) : keyValues(info));
    }
    case 'logout': {
      const view = await desk.signOut(name);
      return out(`${printable(view.config.name)}: signed out.\n`);
    }
    case 'revoke': {
      const view = await desk.revoke(name);
      return out(`${printable(view.config.name)}: token revoked.\n`);
    }
    case 'exchanges': {
      const exchanges = await desk.exchanges(name, args.flags['reveal'] === true);
      return out(wantsJson ? json(exchanges) : exchangeLines(exchanges));
    }
    case 'headers':
      return headersCommand(args, desk, out);
    case 'clients export':
      return out(await runExport(desk, args));
    case 'import':
      return runImport(desk, args, io);
    case 'exec':
      return runExec(desk, args, io.now, io.stderr);
    case 'env':
      return out(await runEnv(desk, args, io.now));
    case 'sinks add':
    case 'sinks list':
    case 'sinks remove':
      return runSinks(desk, args, out);
    case 'help':
    case 'version':
    case 'ui':
    case 'start-over':
      throw new CliError(`"${args.command}" is answered before a desk is opened.`);
  }
}

/** After issue, login and refresh: the token JSON (with the values) or one summary line. */
async function printOutcome(desk: CliDesk, view: ClientView, did: string, wantsJson: boolean, io: CliIo): Promise<void> {
  if (!wantsJson) {
    io.stdout.write(summaryLine(view, did, io.now()));
    return;
  }
  const token = view.token;
  if (!token) throw new CliError(`${printable(view.config.name)} has no token after this step.`, EXIT.needsSignIn);
  // reveal, not validToken: it must print exactly what was just stored, never start another refresh.
  const accessToken = await desk.reveal(view.config.id, 'access');
  const refreshToken = token.hasRefreshToken ? await desk.reveal(view.config.id, 'refresh') : null;
  io.stdout.write(json(tokenJson(view.config.name, { ...token, accessToken, refreshToken })));
}

/**
 * Authorization code / itcode social login. --no-browser: the URL on its own stderr line, the
 * address the browser was sent to on stdin. Otherwise the system browser, and the loopback
 * redirect caught here when there is one (RFC 8252 §7.3), else the address on stdin as well.
 */
async function login(desk: CliDesk, ref: string, noBrowser: boolean, io: CliIo): Promise<ClientView> {
  const client = await desk.getClient(ref);
  const configured = client.config.redirectUri;
  // RFC 8252 §7.3: listen first, so that a loopback redirect without a port can take any free one.
  const loopback = !noBrowser && configured && isLoopbackRedirect(configured) ? await startLoopbackListener(configured) : null;
  try {
    const pending = await desk.beginSignIn(client.config.id, loopback ? { redirectUri: loopback.redirectUri } : {});
    if (noBrowser) {
      io.stderr.write(`Open this address in a browser and sign in to ${printable(client.config.name)}:\n${pending.authorizeUrl}\n`);
      io.stderr.write('Then paste the full address the browser was sent to (even if that page did not load):\n');
      return await completePasted(desk, client, io);
    }
    openBrowser(pending.authorizeUrl);
    io.stderr.write(`Opening the browser to sign in to ${printable(client.config.name)}. If it does not open, visit:\n${pending.authorizeUrl}\n`);
    if (loopback) {
      io.stderr.write(`Waiting for the browser to come back to ${pending.redirectUri} …\n`);
      return await desk.completeSignIn(client.config.id, await loopback.wait({ timeoutMs: LOOPBACK_TIMEOUT_MS }));
    }
    io.stderr.write('After signing in, paste the full address the browser was sent to (even if that page did not load):\n');
    return await completePasted(desk, client, io);
  } finally {
    await loopback?.close();
  }
}

/** The pasted address exchanged; itcode users hear first why a loaded callback page spoils it. */
async function completePasted(desk: CliDesk, client: ClientView, io: CliIo): Promise<ClientView> {
  const itcode = client.config.provider === 'itcode';
  if (itcode) io.stderr.write(`${ITCODE_PASTE_WARNING}\n`);
  try {
    return await desk.completeSignIn(client.config.id, await addressFromStdin(io));
  } catch (error) {
    if (itcode && (error as { code?: unknown }).code === 'provider_rejected') io.stderr.write(`${ITCODE_SPENT_CODE_HINT}\n`);
    throw error;
  }
}

async function addressFromStdin(io: CliIo): Promise<string> {
  const line = await readLine(io.stdin);
  if (line === null) throw new CliError('No address was given on stdin, so the sign-in was not completed. Run "tokendesk login" again.');
  return line.trim();
}

/** ClientInput from the flags of `clients add`; secrets from stdin only. */
async function clientInput(args: ParsedArgs, io: CliIo, desk: CliDesk): Promise<ClientInput> {
  const flag = (key: string): string | undefined => {
    const value = args.flags[key];
    return typeof value === 'string' ? value : undefined;
  };
  const provider = flag('provider') as ClientInput['provider'];
  const wantSecret = args.flags['client-secret-stdin'] === true;
  const wantPassword = args.flags['password-stdin'] === true;
  let clientSecret: string | null = null;
  let password: string | null = null;
  if (wantSecret || wantPassword) {
    if (io.stdin.isTTY) {
      if (wantSecret) clientSecret = await readSecret('Client secret: ', io.stdin);
      if (wantPassword) password = await readSecret('Password: ', io.stdin);
    } else {
      // From a pipe: one line each, the client secret first.
      const lines = await readLines(io.stdin, (wantSecret ? 1 : 0) + (wantPassword ? 1 : 0));
      if (wantSecret) clientSecret = lines.shift() ?? null;
      if (wantPassword) password = lines.shift() ?? null;
    }
    if (wantSecret && !clientSecret) throw new CliError('--client-secret-stdin was given but stdin held no secret.');
    if (wantPassword && !password) throw new CliError('--password-stdin was given but stdin held no password.');
  }

  const input: ClientInput = {
    name: args.name ?? '',
    provider,
    clientId: flag('client-id') ?? '',
    clientSecret,
    password,
  };
  const allowInsecureHttp = args.flags['allow-insecure-http'] === true;
  if (allowInsecureHttp) input.allowInsecureHttp = true;
  // The generic client's endpoints are full URLs; its base URL (which the core requires) is the token
  // URL's origin, so the token URL is checked first: a file: URL's origin is the string "null".
  const tokenUrl = flag('token-url');
  if (provider === 'oauth2' && tokenUrl !== undefined) checkUrl('Token URL', tokenUrl, { allowInsecureHttp });
  const baseUrl = flag('base-url') ?? (provider === 'oauth2' ? originOf(flag('token-url')) : undefined);
  if (baseUrl !== undefined) input.baseUrl = baseUrl;
  const redirectUri = flag('redirect-uri');
  if (redirectUri !== undefined) input.redirectUri = redirectUri;
  const scope = flag('scope');
  if (scope !== undefined) input.scope = scope;
  const env = flag('env');
  if (env !== undefined) input.env = env as 'prod' | 'dev';
  const prefix = flag('env-prefix');
  if (prefix !== undefined) input.envPrefix = prefix;
  const platform = flag('platform');
  if (platform !== undefined) input.platform = platform as NonNullable<ClientInput['platform']>;
  if (provider === 'oauth2') {
    Object.assign(input, await standardsClientFields(args, desk, await grantSettings(args, desk, genericSettings(args, clientSecret !== null))));
  }
  return input;
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).origin;
  } catch {
    return undefined;
  }
}

function genericSettings(args: ParsedArgs, hasSecret: boolean): GenericSettings {
  const value = (key: string) => (typeof args.flags[key] === 'string' ? (args.flags[key] as string) : null);
  const grant = value('grant') as GenericSettings['grant'];
  return {
    ...DEFAULT_GENERIC,
    grant,
    authorizationUrl: value('auth-url'),
    tokenUrl: value('token-url') ?? '',
    clientAuth: (value('client-auth') as GenericSettings['clientAuth'] | null) ?? (hasSecret ? 'basic' : 'none'),
    paramsIn: (value('params-in') as GenericSettings['paramsIn'] | null) ?? 'body',
    // PKCE by default for the authorization code grant (RFC 9700 §2.1.1 recommends it for every client).
    pkce: args.flags['no-pkce'] === true ? false : args.flags['pkce'] === true || grant === 'authorization_code',
    username: value('username'),
    par: args.flags['par'] === true,
    deviceAuthorizationUrl: value('device-url'),
  };
}
