/**
 * The real command line (out/cli via bin/tokendesk.mjs, as a subprocess) against the sandbox,
 * every preset and command, in both modes: standalone (the CLI opens the data directory itself)
 * and agent (a TokenDesk hosted in this test process answers on the data directory's socket).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { defaultSocketPath, startAgentServer, type AgentServer } from '../../../main/agent/server';
import { ITCODE_PASTE_WARNING, ITCODE_SPENT_CODE_HINT } from '../../../main/oauth/presets/itcode';
import { DAOU_ERRORS, SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { ensureCliBuilt, loginNoBrowser, runCli, spawnCli, collect, removeTempDataDirs, tempDataDir, TOKEN_JSON_KEYS, type CliResult } from '../../helpers/cli';

// Each case starts several CLI processes (a Node start each): 20 s is too little on a busy 2-core
// machine. A budget, not a speed target: the figures live in `npm run bench`.
vi.setConfig({ testTimeout: 60_000 });

const creds = SANDBOX_CREDENTIALS;
const STANDALONE_NOTICE = /working on .* directly \(standalone\)/;

let sandbox: Sandbox;

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  removeTempDataDirs();
});

describe.each(['standalone', 'agent'] as const)('%s mode', (mode) => {
  let dataDir: string;
  let desk: TokenDesk | null = null;
  let agent: AgentServer | null = null;

  beforeEach(async () => {
    dataDir = tempDataDir();
    if (mode === 'agent') {
      desk = await TokenDesk.open({ dataDir });
      agent = await startAgentServer(desk, { socketPath: defaultSocketPath(dataDir) });
    }
  });

  afterEach(async () => {
    await agent?.close();
    await desk?.close();
    agent = null;
    desk = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs tokendesk; in agent mode also checks that it talked to the agent (no standalone notice). */
  async function cli(args: string[], opts: { stdin?: string } = {}): Promise<CliResult> {
    const result = await runCli(args, { dataDir, standalone: mode === 'standalone', ...opts });
    expect(result.stderr).not.toMatch(STANDALONE_NOTICE);
    return result;
  }

  async function ok(args: string[], opts: { stdin?: string } = {}): Promise<string> {
    const result = await cli(args, opts);
    expect(result.stderr, `tokendesk ${args.join(' ')}`).toBe('');
    expect(result.code, `tokendesk ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  }

  const addDaou = (name = 'daou', secret: string = creds.daouoffice.clientSecret) =>
    ok(['clients', 'add', name, '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', creds.daouoffice.clientId, '--client-secret-stdin'], {
      stdin: `${secret}\n`,
    });

  const addHejhome = (name = 'hejhome') =>
    ok(
      ['clients', 'add', name, '--provider', 'hejhome', '--base-url', sandbox.url, '--client-id', creds.hejhome.clientId, '--client-secret-stdin', '--redirect-uri', creds.hejhome.redirectUri],
      { stdin: `${creds.hejhome.clientSecret}\n` },
    );

  const hejhomeLogin = (name = 'hejhome', json = true) =>
    loginNoBrowser(name, {
      dataDir,
      standalone: mode === 'standalone',
      sandboxUrl: sandbox.url,
      account: { username: creds.hejhome.username, password: creds.hejhome.password },
      json,
    });

  it('daouoffice: the secret comes from stdin, issue --json prints the token JSON, token prints the same access token', async () => {
    expect(await addDaou()).toBe(`Added daou (daouoffice, ${sandbox.url}).\n`);
    const issued = JSON.parse(await ok(['issue', 'daou', '--json']));
    expect(Object.keys(issued).sort()).toEqual(TOKEN_JSON_KEYS);
    expect(issued).toMatchObject({ client: 'daou', token_type: 'bearer', refresh_token: null, refresh_expires_at: null });
    expect(issued.access_token).toMatch(/^eyJ/);
    expect(new Date(issued.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(await ok(['token', 'daou'])).toBe(`${issued.access_token}\n`);
    expect(await ok(['issue', 'daou'])).toMatch(/^daou: token issued, valid until \d{4}-\d\d-\d\dT.*Z \(in 4m \d+s\)\.\n$/);
  });

  it('daouoffice: a wrong client secret exits 3 with the provider’s Korean message on one stderr line', async () => {
    await addDaou('daou', 'not-the-secret');
    const result = await cli(['issue', 'daou']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(DAOU_ERRORS.invalidClientSecret.messageDetail);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^tokendesk: /);
  });

  it('podshop: issue exchanges Basic credentials, refresh --json keeps a refresh token and its expiry', async () => {
    await ok(['clients', 'add', 'pod', '--provider', 'podshop', '--env', 'dev', '--base-url', sandbox.url, '--client-id', creds.podshop.clientId, '--client-secret-stdin'], {
      stdin: `${creds.podshop.clientSecret}\n`,
    });
    const issued = JSON.parse(await ok(['issue', 'pod', '--json']));
    expect(issued.refresh_token).toEqual(expect.any(String));
    expect(issued.refresh_expires_at).toEqual(expect.any(String));
    const refreshed = JSON.parse(await ok(['refresh', 'pod', '--json']));
    expect(refreshed.access_token).not.toBe(issued.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(await ok(['token', 'pod'])).toBe(`${refreshed.access_token}\n`);
  });

  it('hejhome: login --no-browser end to end, then two refreshes in a row under rotation', async () => {
    await addHejhome();
    const login = await hejhomeLogin();
    expect(login.code, login.stderr).toBe(0);
    expect(login.authorizeUrl).toContain(`${sandbox.url}/login/openapi?`);
    expect(login.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:47823\/hejhome\/callback\?code=/);
    const first = JSON.parse(login.stdout);
    expect(first).toMatchObject({ client: 'hejhome', scope: 'openapi' });

    const second = JSON.parse(await ok(['refresh', 'hejhome', '--json']));
    const third = JSON.parse(await ok(['refresh', 'hejhome', '--json']));
    expect(new Set([first.refresh_token, second.refresh_token, third.refresh_token]).size).toBe(3);
    expect(new Set([first.access_token, second.access_token, third.access_token]).size).toBe(3);
    expect(await ok(['token', 'hejhome'])).toBe(`${third.access_token}\n`);
  });

  it('itcode: social login --no-browser through the platform’s consent page, userinfo, logout', async () => {
    await ok(['clients', 'add', 'social', '--provider', 'itcode', '--platform', 'naver', '--base-url', sandbox.url]);
    const login = await loginNoBrowser('social', {
      dataDir,
      standalone: mode === 'standalone',
      sandboxUrl: sandbox.url,
      account: { username: creds.oauth2.username, password: creds.oauth2.password },
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.callbackUrl).toMatch(/^https:\/\/project\.itcode\.dev\/oauth2\/callback\?platform=naver&/);
    expect(login.stdout).toMatch(/^social: signed in, valid until /);
    expect(login.stderr).toContain(`${ITCODE_PASTE_WARNING}\n`);
    // The session cookie of the login-URL call went back with the POST (docs/providers.md §4).
    const urlCall = sandbox.requests.filter((r) => r.key === 'itcode.loginUrl').at(-1)!;
    const post = sandbox.requests.filter((r) => r.key === 'itcode.login').at(-1)!;
    expect(urlCall.headers.cookie).toBeUndefined();
    expect(post.headers.cookie).toMatch(/^JSESSIONID=[\w-]+$/);

    expect(JSON.parse(await ok(['userinfo', 'social', '--json']))).toMatchObject({ email: creds.itcode.user.email, name: creds.itcode.user.name, platform: 'naver' });
    expect(await ok(['userinfo', 'social'])).toContain(`email: ${creds.itcode.user.email}\n`);
    expect(await ok(['logout', 'social'])).toBe('social: signed out.\n');
    const after = await cli(['token', 'social']);
    expect(after.code).toBe(2);
  });

  it('itcode: after the access JWT expired, `token` prints a new JWT after one /login/auto call carrying only the refresh cookie', async () => {
    await ok(['clients', 'add', 'social', '--provider', 'itcode', '--platform', 'kakao', '--base-url', sandbox.url]);
    sandbox.lifetimes.itcodeAccess = 2;
    let first: { access_token: string; refresh_token: string };
    try {
      const login = await loginNoBrowser('social', {
        dataDir,
        standalone: mode === 'standalone',
        sandboxUrl: sandbox.url,
        account: { username: creds.oauth2.username, password: creds.oauth2.password },
        json: true,
      });
      expect(login.code, login.stderr).toBe(0);
      first = JSON.parse(login.stdout);
    } finally {
      sandbox.lifetimes.itcodeAccess = 180;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    sandbox.resetCounters();
    const printed = (await ok(['token', 'social'])).trim();
    expect(printed).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(printed).not.toBe(first.access_token);
    expect(sandbox.counters['itcode.auto']).toBe(1);
    expect(sandbox.requests.find((r) => r.key === 'itcode.auto')!.headers.cookie).toBe(`refresh=${first.refresh_token}`);
    expect(await ok(['token', 'social'])).toBe(`${printed}\n`);
    expect(sandbox.counters['itcode.auto']).toBe(1);
  }, 60_000);

  it('itcode: a pasted address whose code was already used fails with the reason in plain words', async () => {
    await ok(['clients', 'add', 'social', '--provider', 'itcode', '--platform', 'naver', '--base-url', sandbox.url]);
    const child = spawnCli(['login', 'social', '--no-browser'], { dataDir, standalone: mode === 'standalone' });
    let stderr = '';
    const state = await new Promise<string>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const line = stderr.split('\n').find((candidate) => /^https?:\/\/\S+$/.test(candidate));
        if (line) resolve(new URL(line).searchParams.get('state')!);
      });
    });
    // What the loaded callback page leaves behind: the right state with a code itcode no longer takes.
    const result = await collect(child, `${creds.itcode.callbackBase}?platform=naver&code=spent-by-the-page&state=${state}\n`, 30_000);
    expect(result.code).toBe(3);
    const lines = (stderr + result.stderr).trimEnd().split('\n');
    expect(lines).toContain(ITCODE_PASTE_WARNING);
    expect(lines.at(-2)).toBe(ITCODE_SPENT_CODE_HINT);
    expect(lines.at(-1)).toMatch(/^tokendesk: itcode .*invalid code/);
  }, 60_000);

  it('oauth2: client credentials, authorization code with PKCE, and the password grant', async () => {
    const tokenUrl = sandbox.url + SANDBOX_OAUTH2_PATHS.token;
    await ok(['clients', 'add', 'cc', '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', tokenUrl, '--client-auth', 'body', '--client-id', creds.oauth2.clientId, '--client-secret-stdin'], {
      stdin: `${creds.oauth2.clientSecret}\n`,
    });
    expect(JSON.parse(await ok(['issue', 'cc', '--json']))).toMatchObject({ client: 'cc', token_type: expect.stringMatching(/^bearer$/i) });

    await ok([
      'clients', 'add', 'code', '--provider', 'oauth2', '--grant', 'authorization_code', '--token-url', tokenUrl,
      '--auth-url', sandbox.url + SANDBOX_OAUTH2_PATHS.authorize, '--client-auth', 'none', '--pkce',
      '--client-id', creds.oauth2.publicClientId, '--redirect-uri', 'https://tokendesk.dev/oauth2/callback', '--scope', 'read',
    ]);
    const login = await loginNoBrowser('code', {
      dataDir,
      standalone: mode === 'standalone',
      sandboxUrl: sandbox.url,
      account: { username: creds.oauth2.username, password: creds.oauth2.password },
      json: true,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.authorizeUrl).toContain('code_challenge_method=S256');
    expect(JSON.parse(login.stdout)).toMatchObject({ client: 'code', scope: 'read', refresh_token: expect.any(String) });

    await ok(
      ['clients', 'add', 'pw', '--provider', 'oauth2', '--grant', 'password', '--token-url', tokenUrl, '--client-id', creds.oauth2.clientId, '--username', creds.oauth2.username, '--client-secret-stdin', '--password-stdin'],
      { stdin: `${creds.oauth2.clientSecret}\n${creds.oauth2.password}\n` },
    );
    expect(JSON.parse(await ok(['issue', 'pw', '--json'])).access_token).toEqual(expect.any(String));
  });

  it('clients list, show, remove and status, as tables and as JSON', async () => {
    await addDaou();
    await addHejhome();
    await ok(['issue', 'daou']);

    const list = JSON.parse(await ok(['clients', 'list', '--json']));
    expect(list.map((c: { client: string }) => c.client)).toEqual(['daou', 'hejhome']);
    expect(list[0]).toMatchObject({ provider: 'daouoffice', has_secret: true, base_url: sandbox.url, state: 'valid' });
    const table = await ok(['clients', 'list']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+PROVIDER\s+STATE\s+EXPIRES$/);
    expect(table).toMatch(/\ndaou\s+daouoffice\s+valid\s+\d{4}-/);

    const shown = JSON.parse(await ok(['clients', 'show', 'hejhome', '--json']));
    expect(shown).toMatchObject({ client: 'hejhome', redirect_uri: creds.hejhome.redirectUri, state: 'none', expires_at: null });
    expect(await ok(['clients', 'show', 'daou'])).toMatch(/^name: +daou\n/);

    const status = JSON.parse(await ok(['status', '--json']));
    expect(status).toEqual([
      { client: 'daou', provider: 'daouoffice', state: 'valid', expires_at: expect.any(String), refresh_expires_at: null },
      { client: 'hejhome', provider: 'hejhome', state: 'none', expires_at: null, refresh_expires_at: null },
    ]);
    expect((await ok(['status'])).split('\n')[0]).toMatch(/^CLIENT\s+PROVIDER\s+STATE\s+EXPIRES\s+REFRESH EXPIRES$/);

    expect(await ok(['clients', 'remove', 'daou'])).toBe('Removed daou.\n');
    expect(JSON.parse(await ok(['status', '--json']))).toHaveLength(1);
  });

  it('exchanges are masked unless --reveal', async () => {
    await addDaou();
    const issued = JSON.parse(await ok(['issue', 'daou', '--json']));
    const masked = await ok(['exchanges', 'daou']);
    expect(masked).toMatch(/^#1 .* POST .*\/public\/auth\/v1\/oauth2\/token → 200 \(\d+ ms\)/);
    expect(masked).not.toContain(issued.access_token);
    expect(masked).not.toContain(Buffer.from(`${creds.daouoffice.clientId}:${creds.daouoffice.clientSecret}`).toString('base64'));
    const revealed = JSON.parse(await ok(['exchanges', 'daou', '--json', '--reveal']));
    expect(revealed).toHaveLength(1);
    expect(revealed[0].responseBody).toContain(issued.access_token);
    expect(JSON.parse(await ok(['exchanges', 'daou', '--json']))[0].responseBody).not.toContain(issued.access_token);
  });

  it('revoke unlinks an itcode sign-in (token then exits 2); logout and revoke say when a provider has no such call', async () => {
    await ok(['clients', 'add', 'social', '--provider', 'itcode', '--platform', 'kakao', '--base-url', sandbox.url]);
    const login = await loginNoBrowser('social', {
      dataDir,
      standalone: mode === 'standalone',
      sandboxUrl: sandbox.url,
      account: { username: creds.oauth2.username, password: creds.oauth2.password },
    });
    expect(login.code, login.stderr).toBe(0);
    sandbox.resetCounters();
    expect(await ok(['revoke', 'social'])).toBe('social: token revoked.\n');
    expect(sandbox.counters['itcode.revoke']).toBe(1);
    const result = await cli(['token', 'social']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');

    await addHejhome();
    expect((await hejhomeLogin()).code).toBe(0);
    expect(await cli(['revoke', 'hejhome'])).toMatchObject({ code: 1, stdout: '', stderr: 'tokendesk: Hejhome clients cannot revoke tokens.\n' });
    expect(await ok(['logout', 'hejhome'])).toBe('hejhome: signed out.\n');
    expect((await cli(['token', 'hejhome'])).code).toBe(2);
  });

  it('token re-issues an expired client-credentials token', async () => {
    await addDaou();
    sandbox.lifetimes.daouAccess = 1;
    try {
      const first = JSON.parse(await ok(['issue', 'daou', '--json']));
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      sandbox.lifetimes.daouAccess = 300;
      const token = (await ok(['token', 'daou'])).trim();
      expect(token).not.toBe(first.access_token);
    } finally {
      sandbox.lifetimes.daouAccess = 300;
    }
  });

  it('ten parallel `token` processes on an expired token make exactly one refresh', async () => {
    await addHejhome();
    sandbox.lifetimes.hejhomeAccess = 2;
    let expired: string;
    try {
      const login = await hejhomeLogin();
      expect(login.code, login.stderr).toBe(0);
      expired = JSON.parse(login.stdout).access_token;
    } finally {
      sandbox.lifetimes.hejhomeAccess = 300;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    sandbox.resetCounters();

    const results = await Promise.all(
      Array.from({ length: 10 }, () => collect(spawnCli(['token', 'hejhome'], { dataDir, standalone: mode === 'standalone' }), undefined, 60_000)),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const tokens = new Set(results.map((result) => result.stdout));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(`${expired}\n`);
    expect(sandbox.counters['hejhome.token']).toBe(1);
  }, 90_000);

  it('exit codes: 1 for usage and unknown clients, 2 for needs sign-in, 3 for a rejection, 4 for the network', async () => {
    const usage = await cli(['issue']);
    expect(usage).toMatchObject({ code: 1, stderr: 'tokendesk: "issue" needs a client NAME.\n' });
    const unknown = await cli(['token', 'nobody']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'tokendesk: No client named "nobody". See the list of clients (tokendesk clients list).\n' });

    await addHejhome();
    const needsSignIn = await cli(['token', 'hejhome']);
    expect(needsSignIn.code).toBe(2);
    expect(needsSignIn.stderr).toMatch(/^tokendesk: .+\n$/);

    await addDaou('wrong', 'nope');
    expect((await cli(['issue', 'wrong'])).code).toBe(3);

    sandbox.faults.set('daou.token', 'html_error');
    try {
      await addDaou('html');
      const html = await cli(['issue', 'html']);
      expect(html.code).toBe(3);
      expect(html.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      sandbox.faults.clear();
    }

    await ok(['clients', 'add', 'offline', '--provider', 'daouoffice', '--base-url', 'http://127.0.0.1:9', '--client-id', 'x', '--client-secret-stdin'], { stdin: 'y\n' });
    const network = await cli(['issue', 'offline']);
    expect(network.code).toBe(4);
    expect(network.stderr).toMatch(/^tokendesk: .+\n$/);

    await addDaou();
    await ok(['issue', 'daou']);
    const unsupported = await cli(['userinfo', 'daou']);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toMatch(/^tokendesk: .+\n$/);
    const wrongGrant = await cli(['login', 'daou', '--no-browser']);
    expect(wrongGrant).toMatchObject({ code: 1, stdout: '' });
  });

  it('login --no-browser with nothing on stdin exits 1 without signing in', async () => {
    await addHejhome();
    const result = await cli(['login', 'hejhome', '--no-browser'], { stdin: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${sandbox.url}/login/openapi?`);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'tokendesk: No address was given on stdin, so the sign-in was not completed. Run "tokendesk login" again.',
    );
  });

  it('login --no-browser with an address whose state does not match exits 3', async () => {
    await addHejhome();
    const result = await cli(['login', 'hejhome', '--no-browser'], { stdin: `${creds.hejhome.redirectUri}?code=forged&state=forged\n` });
    expect(result.code).toBe(3);
  });
});

describe('standalone only', () => {
  it('falls back on its own when no app is reachable, and says so once on stderr', async () => {
    const dataDir = tempDataDir();
    const result = await runCli(['status'], { dataDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `tokendesk: the TokenDesk app is not running and cannot be started here (no display); working on ${dataDir} directly (standalone).\n`,
    );
    expect((await runCli(['status'], { dataDir, standalone: true })).stderr).toBe('');
  });

  it('a data directory whose key the OS keychain holds gives a clear error (exit 1)', async () => {
    const dataDir = tempDataDir();
    fs.writeFileSync(path.join(dataDir, 'key.json'), JSON.stringify({ version: 1, kind: 'keychain', backend: 'gnome_libsecret', wrapped: 'AAAA' }), { mode: 0o600 });
    for (const args of [['status'], ['token', 'any']]) {
      const result = await runCli(args, { dataDir, standalone: true });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "tokendesk: This data directory's key is held by the OS keychain through the TokenDesk app; run the app, or use the app's agent mode (the command line talks to the running app), to use it from here.\n",
      );
    }
  });

  it('`token` with a valid token loads neither the HTTP stack nor the commands, and makes no request', async () => {
    const dataDir = tempDataDir();
    await runCli(['clients', 'add', 'd', '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', creds.daouoffice.clientId, '--client-secret-stdin'], {
      dataDir,
      standalone: true,
      stdin: `${creds.daouoffice.clientSecret}\n`,
    });
    const issued = JSON.parse((await runCli(['issue', 'd', '--json'], { dataDir, standalone: true })).stdout);
    sandbox.resetCounters();

    const hook = path.join(dataDir, 'trace-imports.mjs');
    fs.writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); process.stderr.write('[import] ' + r.url + '\\n'); return r; } });
`,
    );
    const result = await runCli(['token', 'd'], { dataDir, standalone: true, env: { NODE_OPTIONS: `--import=${hook}` } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${issued.access_token}\n`);
    const loaded = result.stderr.split('\n').filter((line) => line.startsWith('[import] '));
    expect(loaded.some((line) => line.endsWith('/out/cli/index.mjs'))).toBe(true);
    // Besides the entry, only the ground floor's shared chunk (errors, limits: main/model) may load;
    // the hook logs every module it resolves, so a chunk that pulled in axios would show here too.
    const allowed = /\/(bin\/tokendesk|out\/cli\/index|out\/cli\/chunks\/errors-[\w-]+)\.mjs$/;
    expect(loaded.filter((line) => !line.startsWith('[import] node:') && !allowed.test(line))).toEqual([]);
    expect(sandbox.counters['daou.token'] ?? 0).toBe(0);
  });

  it('--help prints the usage, an unknown option is a usage error', async () => {
    const dataDir = tempDataDir();
    const help = await runCli(['--help'], { dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tokendesk \[--data-dir DIR\] \[--standalone\] COMMAND\n/);
    const secretOnArgv = await runCli(['clients', 'add', 'x', '--provider', 'daouoffice', '--client-secret', 'oops'], { dataDir, standalone: true });
    expect(secretOnArgv).toMatchObject({ code: 1, stdout: '', stderr: 'tokendesk: "clients add" has no option --client-secret; run "tokendesk --help".\n' });
  });

  it('TOKENDESK_HOME selects the data directory', async () => {
    const home = tempDataDir();
    const added = await runCli(['clients', 'add', 'home', '--provider', 'daouoffice', '--base-url', sandbox.url, '--client-id', 'x', '--client-secret-stdin'], {
      dataDir: null,
      standalone: true,
      stdin: 'y\n',
      env: { TOKENDESK_HOME: home },
    });
    expect(added.code, added.stderr).toBe(0);
    const viaFlag = await runCli(['status', '--json'], { dataDir: home, standalone: true });
    expect(JSON.parse(viaFlag.stdout)).toMatchObject([{ client: 'home' }]);
  });
});
