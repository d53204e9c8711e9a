/**
 * The command line's grammar (the issue's contract) and its parser. No dependencies: the entry
 * point parses before it decides whether anything heavy is needed.
 */
import { parseDuration } from './duration';

export type CommandName =
  | 'clients add'
  | 'clients list'
  | 'clients show'
  | 'clients remove'
  | 'issue'
  | 'login'
  | 'refresh'
  | 'token'
  | 'status'
  | 'userinfo'
  | 'logout'
  | 'revoke'
  | 'exchanges'
  | 'ui'
  | 'headers'
  | 'introspect'
  | 'clients export'
  | 'import'
  | 'exec'
  | 'env'
  | 'sinks add'
  | 'sinks list'
  | 'sinks remove'
  | 'start-over'
  | 'help'
  | 'version';

export interface ParsedArgs {
  command: CommandName;
  /** The client NAME for commands that take one. */
  name: string | null;
  dataDir: string | null;
  standalone: boolean;
  /** Flags of the command, by long name without dashes; booleans are true, values are strings. */
  flags: Record<string, string | boolean>;
  /** Every NAME, for commands that take several (exec, env); else [name] or []. */
  names?: string[];
  /** Positional arguments after the NAME (sinks add: KIND FILE [KEY]). */
  operands?: string[];
  /** exec: the command and its arguments, everything after "--". */
  commandArgv?: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface FlagSpec {
  value: boolean;
  /** Allowed values, checked here so a typo is a usage error with the choices in it. */
  choices?: readonly string[];
}

interface CommandSpec {
  /** 'many': one NAME or more (exec, env); 'any': zero or more; 'optional': zero or one. */
  takesName: boolean | 'many' | 'any' | 'optional';
  flags: Record<string, FlagSpec>;
  /** Positional arguments allowed after the NAME: [at least, at most]. */
  operands?: [number, number];
  /** Takes a command after "--" (exec). */
  runs?: boolean;
}

const bool: FlagSpec = { value: false };
const text: FlagSpec = { value: true };
const json = { json: bool };

export const PROVIDER_CHOICES = ['hejhome', 'daouoffice', 'podshop', 'itcode', 'oauth2'] as const;

/** RFC 8414 §2 client authentication method names (issue #12 item 10). */
export const AUTH_CHOICES = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
  'none',
] as const;

type CommandWithSpec = Exclude<CommandName, 'help' | 'version'>;

const COMMANDS: Record<CommandWithSpec, CommandSpec> = {
  'clients add': {
    takesName: true,
    flags: {
      provider: { value: true, choices: PROVIDER_CHOICES },
      'base-url': text,
      env: { value: true, choices: ['prod', 'dev'] },
      'client-id': text,
      'client-secret-stdin': bool,
      'redirect-uri': text,
      scope: text,
      platform: { value: true, choices: ['naver', 'kakao', 'google', 'github'] },
      grant: { value: true, choices: ['authorization_code', 'client_credentials', 'password', 'device_code', 'token_exchange', 'jwt_bearer'] },
      'token-url': text,
      'auth-url': text,
      'client-auth': { value: true, choices: ['basic', 'body', 'none'] },
      'params-in': { value: true, choices: ['body', 'query'] },
      pkce: bool,
      'no-pkce': bool,
      username: text,
      'password-stdin': bool,
      issuer: text,
      auth: { value: true, choices: AUTH_CHOICES },
      'private-key-file': text,
      'client-cert-file': text,
      'client-key-file': text,
      'ca-file': text,
      dpop: bool,
      proxy: text,
      'allow-insecure-http': bool,
      par: bool,
      'device-url': text,
      'env-prefix': text,
      'subject-client': text,
      'actor-client': text,
      audience: text,
      resource: text,
      'requested-token-type': text,
      'assertion-subject': text,
    },
  },
  'clients list': { takesName: false, flags: json },
  'clients show': { takesName: true, flags: json },
  'clients remove': { takesName: true, flags: {} },
  issue: { takesName: true, flags: json },
  login: { takesName: true, flags: { ...json, 'no-browser': bool, device: bool } },
  refresh: { takesName: true, flags: json },
  token: { takesName: true, flags: { 'min-valid': text } },
  status: { takesName: false, flags: json },
  userinfo: { takesName: true, flags: json },
  logout: { takesName: true, flags: {} },
  revoke: { takesName: true, flags: {} },
  exchanges: { takesName: true, flags: { ...json, reveal: bool } },
  ui: { takesName: false, flags: { port: text, 'no-open': bool, 'idle-timeout': text } },
  headers: { takesName: true, flags: { method: text, url: text } },
  introspect: { takesName: true, flags: { ...json, refresh: bool } },
  'clients export': { takesName: 'any', flags: { 'with-secrets': bool } },
  import: { takesName: false, flags: { env: text, 'dry-run': bool }, operands: [1, 1] },
  exec: { takesName: 'many', flags: { 'min-valid': text }, runs: true },
  env: { takesName: 'many', flags: { 'min-valid': text, format: { value: true, choices: ['sh', 'fish', 'powershell', 'dotenv', 'json'] } } },
  'sinks add': { takesName: true, flags: {}, operands: [2, 3] },
  'sinks list': { takesName: 'optional', flags: json },
  'sinks remove': { takesName: true, flags: {}, operands: [1, 1] },
  'start-over': { takesName: false, flags: {} },
};

export const USAGE = `Usage: tokendesk [--data-dir DIR] [--standalone] COMMAND
  (TOKENDESK_HOME=DIR also selects the data directory)

Commands:
  clients add NAME --provider hejhome|daouoffice|podshop|itcode|oauth2
        [--base-url URL] [--env prod|dev] [--client-id ID] [--client-secret-stdin]
        [--redirect-uri URI] [--scope S] [--platform naver|kakao|google|github]
        [oauth2: --grant authorization_code|client_credentials|password|device_code|
                         token_exchange|jwt_bearer --token-url URL
                 --auth-url URL --device-url URL --client-auth basic|body|none --params-in body|query
                 --pkce|--no-pkce --par --username U --password-stdin]
        [oauth2 from discovery: --issuer URL instead of the URLs, --grant optional;
                 --auth client_secret_basic|client_secret_post|client_secret_jwt|private_key_jwt|
                        tls_client_auth|self_signed_tls_client_auth|none
                 --private-key-file FILE --client-cert-file FILE --client-key-file FILE
                 --ca-file FILE --dpop --proxy URL]
        [--grant token_exchange --subject-client NAME [--actor-client NAME] [--audience A]
                 [--resource URI] [--requested-token-type URN]]  RFC 8693: the token of NAME is exchanged
        [--grant jwt_bearer [--private-key-file FILE] [--assertion-subject SUB]]
                                 RFC 7523: an assertion signed with the client's key
                                 (generated when no file is given)
        [--allow-insecure-http]  accept http:// to a host other than this computer (warns on every send)
        [--env-prefix PREFIX]    exec/env variables PREFIX_TOKEN and PREFIX_AUTHORIZATION
  clients list [--json]          clients show NAME [--json]          clients remove NAME
  issue NAME [--json]            client credentials, POD Shop exchange, password grant
  login NAME [--no-browser] [--json]
                                 authorization code / itcode social login
  login NAME --device [--json]   device authorization grant (RFC 8628): the verification URI and
                                 the user code on stderr, then waits until you approve
  refresh NAME [--json]
  token NAME [--min-valid DURATION]
                                 print only a currently valid access token; with --min-valid
                                 (90s, 10m, 1h30m, 2d) refresh first if it expires within that time
  status [--json]                every client: state, expires_at, refresh_expires_at
  userinfo NAME [--json]         itcode; OpenID Connect UserInfo
  introspect NAME [--refresh] [--json]
                                 the server's RFC 7662 answer about the current access (or refresh) token
  logout NAME                    revoke NAME
  exchanges NAME [--json] [--reveal]
  ui [--port N] [--no-open] [--idle-timeout SECONDS]
                                 the app in a browser tab (127.0.0.1 only), where no window can open
  headers NAME [--method M] [--url URL]
                                 the request headers: Authorization, and a fresh DPoP proof
                                 for M (default GET) and URL when the token is DPoP-bound
  clients export [NAME…] [--with-secrets]
                                 clients as JSON for a colleague, without secrets unless asked
  import FILE|DIR [--env FILE|NAME] [--dry-run]
                                 clients from a Postman collection (v2.1, --env: its environment),
                                 an Insomnia export (v4/v5), a Bruno folder (--env: an environment),
                                 curl commands ("-" reads stdin) or a TokenDesk export; missing
                                 secrets are asked for (or read from stdin, one line each)
  exec NAME… [--min-valid DURATION] -- CMD [ARGS…]
                                 run CMD with <PREFIX>_TOKEN and <PREFIX>_AUTHORIZATION per client
                                 (prefix TOKENDESK_<NAME> unless the client sets its own)
  env NAME… [--min-valid DURATION] [--format sh|fish|powershell|dotenv|json]
                                 print those variables, e.g. eval "$(tokendesk env NAME)"
  sinks add NAME dotenv FILE VAR | json FILE /POINTER | postman FILE VAR | file FILE
                                 write the token there on every issue and refresh
  sinks list [NAME] [--json]     sinks remove NAME ID|FILE
  start-over                     only when the key that opens the store (key.json) is gone: move the
                                 old store aside (kept, not deleted) and begin an empty one

Secrets (--client-secret-stdin, --password-stdin) are read from stdin, never from the command line.
Exit codes: 0 ok, 1 usage, 2 needs sign-in, 3 the provider rejected the request, 4 network error or timeout.
`;

/** Parses argv (without node and the script). Throws UsageError with one exact line. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let dataDir: string | null = null;
  let standalone = false;
  let help = false;
  const rest: string[] = [];

  // Global options may come anywhere before "--"; everything else is kept in order for the command.
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--standalone') standalone = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--data-dir' || arg.startsWith('--data-dir=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError('--data-dir needs a directory.');
      dataDir = value;
    } else rest.push(arg);
  }

  const first = rest[0];
  if (help || first === undefined || first === 'help') return { command: 'help', name: null, dataDir, standalone, flags: {} };
  if (rest.length === 1 && (first === '--version' || first === 'version')) {
    return { command: 'version', name: null, dataDir, standalone, flags: {} };
  }
  if (first.startsWith('-')) throw new UsageError(`Expected a command before ${first}; run "tokendesk --help".`);
  if (first === 'sinks') {
    const sub = rest[1];
    if (sub === undefined || sub.startsWith('-')) throw new UsageError('"sinks" needs a subcommand: add, list or remove.');
    const full = `sinks ${sub}`;
    if (!Object.hasOwn(COMMANDS, full)) throw new UsageError(`Unknown subcommand "sinks ${sub}"; use add, list or remove.`);
    return parseCommand(full as CommandWithSpec, rest.slice(2), dataDir, standalone);
  }
  if (first === 'clients') {
    const sub = rest[1];
    if (sub === undefined || sub.startsWith('-')) throw new UsageError('"clients" needs a subcommand: add, list, show, remove or export.');
    const full = `clients ${sub}`;
    if (!Object.hasOwn(COMMANDS, full)) throw new UsageError(`Unknown subcommand "clients ${sub}"; use add, list, show, remove or export.`);
    return parseCommand(full as CommandWithSpec, rest.slice(2), dataDir, standalone);
  }
  if (!Object.hasOwn(COMMANDS, first) || first.includes(' ')) throw new UsageError(`Unknown command "${first}"; run "tokendesk --help".`);
  return parseCommand(first as CommandWithSpec, rest.slice(1), dataDir, standalone);
}

function parseCommand(command: CommandWithSpec, args: string[], dataDir: string | null, standalone: boolean): ParsedArgs {
  const spec = COMMANDS[command];
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let commandArgv: string[] | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') {
      if (spec.runs) commandArgv = args.slice(i + 1);
      else positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = spec.flags[key];
    if (!flag) throw new UsageError(`"${command}" has no option --${key}; run "tokendesk --help".`);
    if (key in flags) throw new UsageError(`--${key} is given twice.`);
    if (!flag.value) {
      if (eq !== -1) throw new UsageError(`--${key} takes no value.`);
      flags[key] = true;
      continue;
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${key} needs a value.`);
    if (flag.choices && !flag.choices.includes(value)) {
      throw new UsageError(`--${key} must be one of ${flag.choices.join(', ')} (got "${value}").`);
    }
    flags[key] = value;
  }
  if (flags['pkce'] && flags['no-pkce']) throw new UsageError('--pkce and --no-pkce exclude each other.');

  let names: string[] = [];
  if (spec.takesName === 'many' || spec.takesName === 'any') names = positionals.splice(0);
  else if (spec.takesName === true || (spec.takesName === 'optional' && positionals.length > 0)) names = [positionals.shift() ?? ''];
  if (spec.takesName && spec.takesName !== 'optional' && spec.takesName !== 'any' && (names.length === 0 || names.some((one) => one.trim() === ''))) {
    throw new UsageError(`"${command}" needs a client NAME.`);
  }
  const name = names[0] ?? null;
  const [least, most] = spec.operands ?? [0, 0];
  const operands = positionals.splice(0, most);
  if (operands.length < least) throw new UsageError(`"${command}" needs more arguments; run "tokendesk --help".`);
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}" for "${command}".`);
  if (spec.runs && (commandArgv === null || commandArgv.length === 0)) {
    throw new UsageError(`"${command}" needs a command to run after "--", e.g. tokendesk exec NAME -- curl …`);
  }
  if (command === 'clients add') validateClientAdd(flags);
  if (typeof flags['min-valid'] === 'string') minValidMs(flags['min-valid']);
  if (command === 'login' && flags['device'] && flags['no-browser']) throw new UsageError('--device and --no-browser exclude each other: a device sign-in needs no browser here.');
  return {
    command,
    name,
    dataDir,
    standalone,
    flags,
    ...(spec.takesName === 'many' || spec.takesName === 'any' ? { names } : {}),
    ...(spec.operands ? { operands } : {}),
    ...(commandArgv ? { commandArgv } : {}),
  };
}

/** `--min-valid DURATION` in milliseconds; a malformed duration is a usage error. */
export function minValidMs(value: string | boolean | undefined): number {
  if (typeof value !== 'string') return 0;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`--min-valid: ${(error as Error).message}`);
  }
}

const PROVIDER_ONLY: Record<string, string> = {
  env: 'podshop',
  platform: 'itcode',
  grant: 'oauth2',
  'token-url': 'oauth2',
  'auth-url': 'oauth2',
  'client-auth': 'oauth2',
  'params-in': 'oauth2',
  pkce: 'oauth2',
  'no-pkce': 'oauth2',
  username: 'oauth2',
  'password-stdin': 'oauth2',
  issuer: 'oauth2',
  auth: 'oauth2',
  'private-key-file': 'oauth2',
  'client-cert-file': 'oauth2',
  'client-key-file': 'oauth2',
  'ca-file': 'oauth2',
  dpop: 'oauth2',
  proxy: 'oauth2',
  par: 'oauth2',
  'device-url': 'oauth2',
  'subject-client': 'oauth2',
  'actor-client': 'oauth2',
  audience: 'oauth2',
  resource: 'oauth2',
  'requested-token-type': 'oauth2',
  'assertion-subject': 'oauth2',
};

/** Flags of one grant only: RFC 8693 token exchange, RFC 7523 §2.1 JWT bearer. */
const GRANT_ONLY: Record<string, string> = {
  'subject-client': 'token_exchange',
  'actor-client': 'token_exchange',
  audience: 'token_exchange',
  resource: 'token_exchange',
  'requested-token-type': 'token_exchange',
  'assertion-subject': 'jwt_bearer',
};

function validateClientAdd(flags: Record<string, string | boolean>): void {
  const provider = flags['provider'];
  if (typeof provider !== 'string') throw new UsageError(`"clients add" needs --provider ${PROVIDER_CHOICES.join('|')}.`);
  for (const [flag, only] of Object.entries(PROVIDER_ONLY)) {
    if (flag in flags && provider !== only) throw new UsageError(`--${flag} applies to --provider ${only} only.`);
  }
  if (provider === 'itcode' && flags['platform'] === undefined) {
    throw new UsageError('--provider itcode needs --platform naver|kakao|google|github.');
  }
  if (provider === 'oauth2') {
    // With --issuer, the endpoints come from discovery (RFC 8414) and the grant has a default.
    const discovered = flags['issuer'] !== undefined;
    if (!discovered && flags['grant'] === undefined) {
      throw new UsageError('--provider oauth2 needs --issuer URL, or --grant authorization_code|client_credentials|password.');
    }
    if (!discovered && flags['token-url'] === undefined) throw new UsageError('--provider oauth2 needs --issuer URL or --token-url URL.');
    if (!discovered && flags['grant'] === 'authorization_code' && flags['auth-url'] === undefined) {
      throw new UsageError('--grant authorization_code needs --auth-url URL.');
    }
    if (flags['auth'] !== undefined && flags['client-auth'] !== undefined) throw new UsageError('--auth and --client-auth exclude each other.');
    if ((flags['client-cert-file'] === undefined) !== (flags['client-key-file'] === undefined)) {
      throw new UsageError('--client-cert-file and --client-key-file go together.');
    }
    if (String(flags['auth']).endsWith('tls_client_auth') && flags['client-cert-file'] === undefined) {
      throw new UsageError(`--auth ${String(flags['auth'])} needs --client-cert-file FILE --client-key-file FILE.`);
    }
    if (flags['private-key-file'] !== undefined && flags['auth'] !== 'private_key_jwt' && flags['grant'] !== 'jwt_bearer') {
      throw new UsageError('--private-key-file applies to --auth private_key_jwt and --grant jwt_bearer only.');
    }
    for (const [name, grant] of Object.entries(GRANT_ONLY)) {
      if (flags[name] !== undefined && flags['grant'] !== grant) throw new UsageError(`--${name} applies to --grant ${grant} only.`);
    }
    if (flags['grant'] === 'token_exchange' && flags['subject-client'] === undefined) {
      throw new UsageError('--grant token_exchange needs --subject-client NAME (the client whose token is exchanged).');
    }
    if (flags['grant'] === 'password' && flags['username'] === undefined) throw new UsageError('--grant password needs --username U.');
    if (!discovered && flags['grant'] === 'device_code' && flags['device-url'] === undefined) {
      throw new UsageError('--grant device_code needs --issuer URL or --device-url URL.');
    }
  }
}
