/**
 * Running the real command line (the built out/cli bundle, through bin/tokendesk.mjs) as a
 * subprocess, and a tiny scripted "browser" that signs in to the sandbox's login pages.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tokendesk.mjs');
const BUNDLE = path.join(ROOT, 'out', 'cli', 'index.mjs');
const BUILD_LOCK = path.join(ROOT, 'out', '.cli-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  try {
    const built = fs.statSync(BUNDLE).mtimeMs;
    return built >= newestSource(path.join(ROOT, 'main')) && built >= fs.statSync(path.join(ROOT, 'cli.vite.config.ts')).mtimeMs;
  } catch {
    return false;
  }
}

/** Builds out/cli when it is missing or older than a source file; one test file at a time builds. */
export async function ensureCliBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than two minutes is left by a killed run.
      if (waited > 120_000 || Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) {
        fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      }
      await sleep(100);
    }
  }
  try {
    if (!bundleIsFresh()) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'cli.vite.config.ts'], {
        cwd: ROOT,
        stdio: 'pipe',
        env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      });
    }
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** null: no --data-dir (TOKENDESK_HOME or the default decides). */
  dataDir: string | null;
  standalone?: boolean;
  stdin?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** The folder the command runs in (default: the project). */
  cwd?: string;
}

/** An environment where the command line cannot start an app: no display, no agent override. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['DISPLAY', 'WAYLAND_DISPLAY', 'TOKENDESK_AGENT_SOCKET', 'TOKENDESK_HOME']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

export function spawnCli(args: string[], opts: CliOptions): ChildProcess {
  const argv = [BIN, ...(opts.dataDir === null ? [] : ['--data-dir', opts.dataDir]), ...(opts.standalone ? ['--standalone'] : []), ...args];
  return spawn(process.execPath, argv, { cwd: opts.cwd ?? ROOT, env: cliEnv(opts.env), stdio: 'pipe' });
}

export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  const child = spawnCli(args, opts);
  return collect(child, opts.stdin, opts.timeoutMs ?? 30_000);
}

export function collect(child: ChildProcess, stdin: string | undefined, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tokendesk did not finish within ${timeoutMs} ms; stderr so far: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tempDirs: string[] = [];

export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-cli-'));
  tempDirs.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDataDir made in this test file. */
export function removeTempDataDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A scripted browser for the sandbox's pages: follows redirects on the sandbox, submits each form
 * it lands on (hidden fields + the account + "allow"), and returns the first address that leaves
 * the sandbox (the redirect URI with the code), without loading it.
 */
export async function signInLikeABrowser(authorizeUrl: string, sandboxUrl: string, account: { username: string; password: string }): Promise<string> {
  let request: { url: string; method: 'GET' | 'POST'; body?: string } = { url: authorizeUrl, method: 'GET' };
  const sandboxOrigin = new URL(sandboxUrl).origin;
  for (let step = 0; step < 10; step += 1) {
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      ...(request.body === undefined
        ? {}
        : { body: request.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    });
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, request.url);
      if (next.origin !== sandboxOrigin || !next.pathname.startsWith('/') || isRedirectBack(next)) return next.toString();
      request = { url: next.toString(), method: 'GET' };
      continue;
    }
    const html = await response.text();
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new Error(`No form and no redirect at ${request.url} (HTTP ${response.status}): ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const hidden of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(hidden[1]!, decodeHtml(hidden[2]!));
    }
    fields.set('username', account.username);
    fields.set('password', account.password);
    fields.set('decision', 'allow');
    request = { url: new URL(decodeHtml(form[1]!), request.url).toString(), method: 'POST', body: fields.toString() };
  }
  throw new Error('The sign-in did not come back to the redirect URI within 10 steps.');
}

/** A callback on the sandbox's own origin (a loopback redirect URI): has a code or an error. */
function isRedirectBack(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}

function decodeHtml(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * `tokendesk login NAME --no-browser` end to end: waits for the URL line on stderr, signs in with
 * the scripted browser, and writes the address it was sent to on the command line's stdin.
 */
export async function loginNoBrowser(
  name: string,
  opts: CliOptions & { sandboxUrl: string; account: { username: string; password: string }; json?: boolean },
): Promise<CliResult & { authorizeUrl: string; callbackUrl: string }> {
  const child = spawnCli(['login', name, '--no-browser', ...(opts.json ? ['--json'] : [])], opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const urlLine = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const line = stderr.split('\n').find((candidate) => /^https?:\/\/\S+$/.test(candidate));
      if (line) resolve(line);
    });
    child.on('close', () => reject(new Error(`login exited before printing a URL: ${stderr}`)));
  });
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  const authorizeUrl = await urlLine;
  const callbackUrl = await signInLikeABrowser(authorizeUrl, opts.sandboxUrl, opts.account);
  child.stdin!.end(`${callbackUrl}\n`);
  const code = await done;
  return { code, stdout, stderr, authorizeUrl, callbackUrl };
}

/** The exact keys of the contract's token JSON. */
export const TOKEN_JSON_KEYS = ['access_token', 'client', 'expires_at', 'refresh_expires_at', 'refresh_token', 'scope', 'token_type'];
