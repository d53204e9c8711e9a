/**
 * Which Chromium the end-to-end tests drive, so that `npm install && npm test` works on a fresh
 * machine. In order: CHROMIUM_PATH; a Chrome or Chromium already installed (PATH, the usual
 * install paths, playwright's own browser cache); the Chromium that comes from the npm registry
 * with @sparticuz/chromium (Linux x64: a headless build plus the NSS, expat and font files it
 * needs, so nothing else has to be installed); otherwise one error that names what to install.
 * Never a silent skip: a test that needs a browser and finds none fails with that message.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ROOT } from './e2e-build';

export interface FoundBrowser {
  executablePath: string;
  /** Variables the browser process needs (the npm build's own libraries and fonts). */
  env: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'installed' | 'npm';
}

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Install paths to look at (default: the usual ones for the platform). */
  installed?: string[];
  /** Where the npm build is unpacked (default: node_modules/.cache). */
  npmCacheDir?: string;
  /** Look for the npm build (default: true). */
  npm?: boolean;
}

export const NO_BROWSER_MESSAGE =
  'No Chromium for the end-to-end tests. Install one — Debian/Ubuntu: `apt-get install chromium`; Fedora: `dnf install chromium`; ' +
  'macOS and Windows: Google Chrome — or set CHROMIUM_PATH to a Chrome/Chromium executable. ' +
  '(The Chromium that npm installs, @sparticuz/chromium, runs on Linux x64 only.)';

const EXECUTABLE_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

function usualPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
    ];
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter((root): root is string => Boolean(root));
    return roots.map((root) => join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  const onPath = (env['PATH'] ?? '').split(delimiter).filter(Boolean).flatMap((dir) => EXECUTABLE_NAMES.map((name) => join(dir, name)));
  return [...onPath, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/opt/google/chrome/chrome', '/snap/bin/chromium', ...playwrightCache(env)];
}

/** Browsers `npx playwright install chromium` put in its cache (playwright-core's own channel). */
function playwrightCache(env: NodeJS.ProcessEnv): string[] {
  const dir = env['PLAYWRIGHT_BROWSERS_PATH'] || join(homedir(), '.cache', 'ms-playwright');
  try {
    return readdirSync(dir)
      .filter((name) => name.startsWith('chromium'))
      .sort()
      .reverse()
      .flatMap((name) => [join(dir, name, 'chrome-linux64', 'chrome'), join(dir, name, 'chrome-linux', 'chrome')]);
  } catch {
    return [];
  }
}

/** A regular, executable file (a path bound to /dev/null, a directory or a dangling link is not). */
function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBrowser(options: FindOptions = {}): FoundBrowser {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const configured = env['CHROMIUM_PATH'];
  if (configured) {
    if (isExecutable(configured)) return { executablePath: configured, env: {}, source: 'CHROMIUM_PATH' };
    process.stderr.write(`CHROMIUM_PATH=${configured} is not an executable file; looking for another Chromium.\n`);
  }
  const installed = (options.installed ?? usualPaths(platform, env)).find(isExecutable);
  if (installed) return { executablePath: installed, env: {}, source: 'installed' };
  if (options.npm !== false && platform === 'linux' && arch === 'x64') {
    const npm = npmChromium(options.npmCacheDir ?? join(ROOT, 'node_modules', '.cache'));
    if (npm) return npm;
  }
  throw new Error(NO_BROWSER_MESSAGE);
}

/**
 * @sparticuz/chromium ships brotli archives; its executablePath() unpacks them into os.tmpdir().
 * It runs here in a child whose TMPDIR is a private cache folder (a shared /tmp/chromium could be
 * anyone's file), with AWS_EXECUTION_ENV set so the package also unpacks the NSS and expat
 * libraries it bundles for Amazon Linux 2023 — the only shared libraries its build needs beyond
 * glibc. Unpacked once into a temporary folder, then renamed into place.
 */
function npmChromium(cacheDir: string): FoundBrowser | null {
  let version: string;
  try {
    version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@sparticuz/chromium/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
  const dir = join(cacheDir, `tokendesk-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    mkdirSync(cacheDir, { recursive: true });
    const staging = join(cacheDir, `tokendesk-chromium-${version}.${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { mode: 0o700 });
    const script = "const { default: chromium } = await import('@sparticuz/chromium'); process.stdout.write(await chromium.executablePath());";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' },
      encoding: 'utf8',
    });
    if (result.status !== 0 || !existsSync(join(staging, 'chromium'))) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`@sparticuz/chromium could not be unpacked: ${(result.stderr || result.error?.message || '').trim()}\n${NO_BROWSER_MESSAGE}`);
    }
    // The package's fonts.conf names /tmp/fonts; this one names the unpacked fonts and the system's.
    writeFileSync(
      join(staging, 'fonts', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <dir>~/.fonts</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, dir);
    } catch {
      // Another test process unpacked it first: use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return {
    executablePath: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: join(dir, 'al2023', 'lib'), FONTCONFIG_PATH: join(dir, 'fonts') },
    source: 'npm',
  };
}

/**
 * Chromium keeps scratch files named `.org.chromium.Chromium.*` in the temp directory and, when a
 * renderer is torn down with the browser, can leave some behind. Every test that closed its browser
 * removes them (each test file has a temp folder of its own, so these are its browser's).
 */
export function removeChromiumScratch(): void {
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith('.org.chromium.Chromium.')) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
