/**
 * The command line's speed target: the median wall time of `tokendesk token NAME` (a valid token,
 * standalone) under 2.5 × the median of `node -e 0` on the same node binary.
 *
 * Plain Node (node:* imports only, no TypeScript-only syntax) so that test/bench/run.mjs can import
 * it under Node 24's type stripping, and `node test/bench/cli.bench.ts` runs it alone. It needs the
 * built bundle (`npm run build:cli`). The token comes from a tiny local token endpoint shaped like
 * Daou Office's (docs/providers.md §2), issued once through the CLI itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliBenchResult {
  runs: number;
  tokenMedianMs: number;
  nodeMedianMs: number;
  ratio: number;
  target: number;
  pass: boolean;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tokendesk.mjs');
export const CLI_RATIO_TARGET = 2.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeRun(args: string[], env: NodeJS.ProcessEnv, input?: string): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, input, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/** For the setup: asynchronous, so the token server in this process can answer meanwhile. */
function runAsync(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}

/** A Daou-style client-credentials endpoint: one long-lived token per request. */
async function startTokenServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token_type: 'bearer', expires_in: 86_400, access_token: `bench-${Date.now()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function benchCli(opts: { runs?: number } = {}): Promise<CliBenchResult> {
  const runs = opts.runs ?? 20;
  if (!fs.existsSync(path.join(ROOT, 'out', 'cli', 'index.mjs'))) throw new Error('Build the command line first: npm run build:cli');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_OPTIONS'];
  const server = await startTokenServer();
  try {
    const cli = (...args: string[]) => [BIN, '--data-dir', dataDir, '--standalone', ...args];
    await runAsync(cli('clients', 'add', 'bench', '--provider', 'daouoffice', '--base-url', server.url, '--client-id', 'bench', '--client-secret-stdin'), env, 'bench\n');
    await runAsync(cli('issue', 'bench'), env);

    const token: number[] = [];
    const node: number[] = [];
    // Warm the file cache, then alternate so drift (CPU frequency, other load) hits both alike.
    timeRun(cli('token', 'bench'), env);
    timeRun(['-e', '0'], env);
    for (let i = 0; i < runs; i += 1) {
      const run = timeRun(cli('token', 'bench'), env);
      if (!run.stdout.startsWith('bench-')) throw new Error(`Unexpected token output: ${run.stdout}`);
      token.push(run.ms);
      node.push(timeRun(['-e', '0'], env).ms);
    }
    const tokenMedianMs = median(token);
    const nodeMedianMs = median(node);
    const ratio = tokenMedianMs / nodeMedianMs;
    return { runs, tokenMedianMs, nodeMedianMs, ratio, target: CLI_RATIO_TARGET, pass: ratio < CLI_RATIO_TARGET };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchCli();
  console.log(
    `tokendesk token: ${result.tokenMedianMs.toFixed(1)} ms median, node -e 0: ${result.nodeMedianMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)} (target < ${result.target})`,
  );
  process.exitCode = result.pass ? 0 : 1;
}
