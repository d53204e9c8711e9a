import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../main/cli/args';
import { TokenDeskError } from '../../../main/model/errors';
import { errorLine, exitCodeOf } from '../../../main/cli/exit';

const usage = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseArgs(${argv.join(' ')}) did not fail`);
};

describe('parseArgs', () => {
  it('takes the global options anywhere, and --opt=value as well as --opt value', () => {
    expect(parseArgs(['token', 'api', '--standalone', '--data-dir=/tmp/x'])).toEqual({
      command: 'token',
      name: 'api',
      dataDir: '/tmp/x',
      standalone: true,
      flags: {},
    });
    expect(parseArgs(['--data-dir', 'd', 'clients', 'add', 'h', '--provider=hejhome', '--redirect-uri', 'http://127.0.0.1:1/cb', '--client-secret-stdin'])).toEqual({
      command: 'clients add',
      name: 'h',
      dataDir: 'd',
      standalone: false,
      flags: { provider: 'hejhome', 'redirect-uri': 'http://127.0.0.1:1/cb', 'client-secret-stdin': true },
    });
  });

  it('exec takes several NAMEs and the command after "--", whose own options stay its own', () => {
    expect(parseArgs(['exec', 'a', 'b', '--min-valid', '5m', '--', 'curl', '--standalone', '-H', 'x'])).toEqual({
      command: 'exec',
      name: 'a',
      names: ['a', 'b'],
      dataDir: null,
      standalone: false,
      flags: { 'min-valid': '5m' },
      commandArgv: ['curl', '--standalone', '-H', 'x'],
    });
    expect(usage(['exec', 'a'])).toBe('"exec" needs a command to run after "--", e.g. tokendesk exec NAME -- curl …');
    expect(usage(['exec', '--', 'env'])).toBe('"exec" needs a client NAME.');
    expect(usage(['env', 'a', '--format', 'zsh'])).toBe('--format must be one of sh, fish, powershell, dotenv, json (got "zsh").');
  });

  it('sinks: add NAME KIND FILE [KEY], list [NAME], remove NAME ID|FILE', () => {
    expect(parseArgs(['sinks', 'add', 'a', 'dotenv', '.env', 'TOKEN'])).toMatchObject({ command: 'sinks add', name: 'a', operands: ['dotenv', '.env', 'TOKEN'] });
    expect(parseArgs(['sinks', 'list'])).toMatchObject({ command: 'sinks list', name: null });
    expect(parseArgs(['sinks', 'list', 'a', '--json'])).toMatchObject({ command: 'sinks list', name: 'a', flags: { json: true } });
    expect(usage(['sinks', 'add', 'a', 'file'])).toBe('"sinks add" needs more arguments; run "tokendesk --help".');
    expect(usage(['sinks', 'remove', 'a', 'x', 'y'])).toBe('Unexpected argument "y" for "sinks remove".');
    expect(usage(['sinks', 'edit'])).toBe('Unknown subcommand "sinks edit"; use add, list or remove.');
  });

  it('answers help and version without a command', () => {
    expect(parseArgs([]).command).toBe('help');
    expect(parseArgs(['--help']).command).toBe('help');
    expect(parseArgs(['status', '-h']).command).toBe('help');
    expect(parseArgs(['--version']).command).toBe('version');
  });

  it('a name after "--" may start with dashes', () => {
    expect(parseArgs(['token', '--', '--odd-name']).name).toBe('--odd-name');
  });

  it('rejects what the contract does not allow, with one exact line', () => {
    expect(usage(['bogus'])).toBe('Unknown command "bogus"; run "tokendesk --help".');
    expect(usage(['clients'])).toBe('"clients" needs a subcommand: add, list, show, remove or export.');
    expect(usage(['clients', 'edit', 'x'])).toBe('Unknown subcommand "clients edit"; use add, list, show, remove or export.');
    expect(usage(['token'])).toBe('"token" needs a client NAME.');
    expect(usage(['token', 'a', 'b'])).toBe('Unexpected argument "b" for "token".');
    expect(usage(['token', 'a', '--json'])).toBe('"token" has no option --json; run "tokendesk --help".');
    expect(usage(['status', '--json=yes'])).toBe('--json takes no value.');
    expect(usage(['--data-dir'])).toBe('--data-dir needs a directory.');
    expect(usage(['--json', 'status'])).toBe('Expected a command before --json; run "tokendesk --help".');
  });

  it('checks the choices and the provider-specific options of clients add', () => {
    expect(usage(['clients', 'add', 'x'])).toBe('"clients add" needs --provider hejhome|daouoffice|podshop|itcode|oauth2.');
    expect(usage(['clients', 'add', 'x', '--provider', 'github'])).toBe(
      '--provider must be one of hejhome, daouoffice, podshop, itcode, oauth2 (got "github").',
    );
    expect(usage(['clients', 'add', 'x', '--provider', 'hejhome', '--env', 'dev'])).toBe('--env applies to --provider podshop only.');
    expect(usage(['clients', 'add', 'x', '--provider', 'itcode'])).toBe('--provider itcode needs --platform naver|kakao|google|github.');
    expect(usage(['clients', 'add', 'x', '--provider', 'oauth2', '--grant', 'client_credentials'])).toBe('--provider oauth2 needs --issuer URL or --token-url URL.');
    expect(usage(['clients', 'add', 'x', '--provider', 'oauth2', '--grant', 'authorization_code', '--token-url', 'u'])).toBe(
      '--grant authorization_code needs --auth-url URL.',
    );
    expect(usage(['clients', 'add', 'x', '--provider', 'oauth2', '--pkce', '--no-pkce'])).toBe('--pkce and --no-pkce exclude each other.');
    expect(usage(['clients', 'add', 'x', '--provider', 'podshop', '--env', 'dev', '--env', 'prod'])).toBe('--env is given twice.');
  });

  it('never takes a secret from argv', () => {
    expect(usage(['clients', 'add', 'x', '--provider', 'daouoffice', '--client-secret', 's'])).toBe(
      '"clients add" has no option --client-secret; run "tokendesk --help".',
    );
    expect(usage(['clients', 'add', 'x', '--provider', 'oauth2', '--password', 's'])).toBe(
      '"clients add" has no option --password; run "tokendesk --help".',
    );
  });
});

describe('exit codes and the error line', () => {
  it('maps every core error code onto the contract', () => {
    const code = (c: ConstructorParameters<typeof TokenDeskError>[0]) => exitCodeOf(new TokenDeskError(c, 'x'));
    expect([code('bad_request'), code('not_found'), code('unsupported'), code('storage'), code('internal')]).toEqual([1, 1, 1, 1, 1]);
    expect([code('needs_signin'), code('invalid_grant')]).toEqual([2, 2]);
    expect([code('provider_rejected'), code('invalid_response'), code('state_mismatch'), code('cancelled')]).toEqual([3, 3, 3, 3]);
    expect([code('network'), code('timeout'), code('tls')]).toEqual([4, 4, 4]);
    expect(exitCodeOf(new UsageError('x'))).toBe(1);
    expect(exitCodeOf(new Error('x'))).toBe(1);
  });

  it('puts the provider’s own message (Korean included) on the same single line', () => {
    const error = new TokenDeskError('provider_rejected', 'Daou Office rejected the token request (HTTP 401).', {
      providerMessage: '연동비밀키(clientSecret)를\n확인하세요',
    });
    expect(errorLine(error)).toBe('tokendesk: Daou Office rejected the token request (HTTP 401). Provider said: 연동비밀키(clientSecret)를 확인하세요');
    const html = new TokenDeskError('invalid_response', 'The answer is not JSON.', { rawBody: '<html>\n<h1>500</h1>' });
    expect(errorLine(html)).toBe('tokendesk: The answer is not JSON. Response body: <html> <h1>500</h1>');
  });
});

describe('parseArgs: the standards flags (issue #12)', () => {
  it('clients add --issuer needs neither --grant nor --token-url', () => {
    expect(parseArgs(['clients', 'add', 'g', '--provider', 'oauth2', '--issuer', 'https://as.example', '--client-id', 'c', '--auth', 'private_key_jwt', '--private-key-file', 'k.pem', '--dpop', '--proxy', 'http://proxy:3128']).flags).toEqual({
      provider: 'oauth2',
      issuer: 'https://as.example',
      'client-id': 'c',
      auth: 'private_key_jwt',
      'private-key-file': 'k.pem',
      dpop: true,
      proxy: 'http://proxy:3128',
    });
    expect(usage(['clients', 'add', 'g', '--provider', 'oauth2', '--client-id', 'c'])).toBe(
      '--provider oauth2 needs --issuer URL, or --grant authorization_code|client_credentials|password.',
    );
  });

  it('checks the auth method and the files that go with it', () => {
    const add = ['clients', 'add', 'g', '--provider', 'oauth2', '--issuer', 'https://as.example'];
    expect(usage([...add, '--auth', 'client_secret'])).toBe(
      '--auth must be one of client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth, none (got "client_secret").',
    );
    expect(usage([...add, '--auth', 'tls_client_auth'])).toBe('--auth tls_client_auth needs --client-cert-file FILE --client-key-file FILE.');
    expect(usage([...add, '--client-cert-file', 'c.pem'])).toBe('--client-cert-file and --client-key-file go together.');
    expect(usage([...add, '--private-key-file', 'k.pem'])).toBe('--private-key-file applies to --auth private_key_jwt and --grant jwt_bearer only.');
    expect(parseArgs([...add, '--grant', 'jwt_bearer', '--private-key-file', 'k.pem', '--assertion-subject', 'alice']).flags).toMatchObject({
      grant: 'jwt_bearer',
      'private-key-file': 'k.pem',
      'assertion-subject': 'alice',
    });
    expect(usage([...add, '--auth', 'none', '--client-auth', 'none'])).toBe('--auth and --client-auth exclude each other.');
    expect(usage(['clients', 'add', 'd', '--provider', 'daouoffice', '--dpop'])).toBe('--dpop applies to --provider oauth2 only.');
  });

  it('token exchange needs its subject client, and its flags go with that grant only', () => {
    const add = ['clients', 'add', 'x', '--provider', 'oauth2', '--issuer', 'https://as.example'];
    expect(usage([...add, '--grant', 'token_exchange'])).toBe('--grant token_exchange needs --subject-client NAME (the client whose token is exchanged).');
    expect(usage([...add, '--grant', 'client_credentials', '--subject-client', 'user'])).toBe('--subject-client applies to --grant token_exchange only.');
    expect(usage([...add, '--audience', 'orders'])).toBe('--audience applies to --grant token_exchange only.');
    expect(usage([...add, '--grant', 'token_exchange', '--subject-client', 'u', '--assertion-subject', 'a'])).toBe('--assertion-subject applies to --grant jwt_bearer only.');
    expect(usage(['clients', 'add', 'd', '--provider', 'daouoffice', '--subject-client', 'u'])).toBe('--subject-client applies to --provider oauth2 only.');
    const flags = ['--grant', 'token_exchange', '--subject-client', 'user', '--actor-client', 'gw', '--audience', 'orders', '--resource', 'https://api.example', '--requested-token-type', 'urn:ietf:params:oauth:token-type:jwt'];
    expect(parseArgs([...add, ...flags]).flags).toMatchObject({
      grant: 'token_exchange',
      'subject-client': 'user',
      'actor-client': 'gw',
      audience: 'orders',
      resource: 'https://api.example',
      'requested-token-type': 'urn:ietf:params:oauth:token-type:jwt',
    });
  });

  it('headers takes a method and a URL', () => {
    expect(parseArgs(['headers', 'api', '--method', 'POST', '--url', 'https://api.example/x'])).toMatchObject({
      command: 'headers',
      name: 'api',
      flags: { method: 'POST', url: 'https://api.example/x' },
    });
    expect(usage(['headers'])).toBe('"headers" needs a client NAME.');
  });
});
