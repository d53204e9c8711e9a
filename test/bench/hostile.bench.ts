/**
 * Issue #11's figures: the peak memory of `tokendesk issue` against a provider answering 50 MB
 * (target under 150 MB), and how long a second process waits for the data directory while the
 * first one's provider takes its time (it must not wait for the provider).
 *
 * Plain Node (node:* imports only) like cli.bench.ts; needs the built command line. Test servers
 * listen on loopback and stop when the bench ends.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tokendesk.mjs');
export const ISSUE_RSS_TARGET_MB = 150;
/** How long the slow provider takes to answer in the lock bench: longer than a command line takes to start. */
export const SLOW_PROVIDER_MS = 15_000;

export interface HostileBenchResult {
  issuePeakRssMB: number;
  issueExitCode: number | null;
  /** `tokendesk issue` of another client while the first one's provider is slow, and alone. */
  contendedMs: number;
  aloneMs: number;
  lockWaitMs: number;
  slowProviderMs: number;
  /** The second issue was done while the first one's provider still had not answered. */
  finishedBeforeSlow: boolean;
}

/** Runs the CLI; `peakRssFile` makes Node write its own peak RSS in KB (process.resourceUsage) there on exit. */
function run(args: string[], opts: { input?: string; peakRssFile?: string } = {}): Promise<{ code: number | null; ms: number; endedAt: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_OPTIONS'];
  const report = opts.peakRssFile
    ? `process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(opts.peakRssFile)}, String(process.resourceUsage().maxRSS)))`
    : null;
  const preload = report ? ['--import', `data:text/javascript,${encodeURIComponent(report)}`] : [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...preload, BIN, ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, endedAt: performance.now(), stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

async function startProvider(): Promise<{ url: string; slowArrived: Promise<void>; close(): Promise<void> }> {
  let arrived: () => void = () => undefined;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = 50 * 1000 * 1000;
      const pump = (): void => {
        while (left > 0) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (left = 0));
      return pump();
    }
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `t-${Date.now()}`, token_type: 'Bearer', expires_in: 3600 }));
    if (req.url === '/slow') {
      arrived();
      const timer = setTimeout(answer, SLOW_PROVIDER_MS);
      return void res.on('close', () => clearTimeout(timer));
    }
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    slowArrived,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function benchHostile(): Promise<HostileBenchResult> {
  if (!fs.existsSync(path.join(ROOT, 'out', 'cli', 'index.mjs'))) throw new Error('Build the command line first: npm run build:cli');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-bench-hostile-'));
  const rssFile = path.join(dataDir, 'peak-rss');
  const provider = await startProvider();
  try {
    const cli = (...args: string[]) => ['--data-dir', path.join(dataDir, 'data'), '--standalone', ...args];
    for (const [name, route] of [['huge', '/huge'], ['slow', '/slow'], ['quick', '/ok']]) {
      const added = await run(
        cli('clients', 'add', name!, '--provider', 'oauth2', '--grant', 'client_credentials', '--token-url', `${provider.url}${route}`, '--client-id', 'id', '--client-secret-stdin'),
        { input: 'secret\n' },
      );
      if (added.code !== 0) throw new Error(`clients add ${name} failed: ${added.stderr}`);
    }
    const huge = await run(cli('issue', 'huge'), { peakRssFile: rssFile });
    const issuePeakRssMB = Math.round(Number(fs.readFileSync(rssFile, 'utf8')) / 1024);

    await run(cli('issue', 'quick'));
    const alone = await run(cli('issue', 'quick'));
    const slow = run(cli('issue', 'slow'));
    // Once the slow one is inside its provider call (the provider has its request), go.
    await provider.slowArrived;
    const contended = await run(cli('issue', 'quick'));
    const slowDone = await slow;
    if (contended.code !== 0) throw new Error(`issue quick failed while another issue waited: ${contended.stderr}`);
    return {
      issuePeakRssMB,
      issueExitCode: huge.code,
      contendedMs: Math.round(contended.ms),
      aloneMs: Math.round(alone.ms),
      lockWaitMs: Math.max(0, Math.round(contended.ms - alone.ms)),
      slowProviderMs: SLOW_PROVIDER_MS,
      finishedBeforeSlow: contended.endedAt < slowDone.endedAt,
    };
  } finally {
    await provider.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchHostile(), null, 2));
}
