/**
 * `tokendesk ui` as a real process (the built CLI, out/cli, through bin/tokendesk.mjs, on the
 * built renderer, out/renderer), raw HTTP requests with headers a browser would never let a page
 * set, and Chromium on its address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { BIN, cliEnv, ensureCliBuilt, ROOT } from './cli';
import { ensureRendererBuilt } from './e2e-build';
import { CHROMIUM_ARGS } from './e2e-browser';
import { findBrowser, removeChromiumScratch } from './find-browser';

export interface UiProcess {
  child: ChildProcess;
  dataDir: string;
  /** The printed address, one-time token in its fragment. */
  url: string;
  origin: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGINT (Ctrl-C) if still running, then removes the data directory. */
  stop(): Promise<void>;
}

export async function startUi(args: string[] = [], opts: { dataDir?: string; env?: Record<string, string>; standalone?: boolean } = {}): Promise<UiProcess> {
  await ensureCliBuilt();
  await ensureRendererBuilt();
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'td-ui-'));
  const global = ['--data-dir', dataDir, ...(opts.standalone ? ['--standalone'] : [])];
  const child = spawn(process.execPath, [BIN, ...global, 'ui', '--no-open', ...args], { cwd: ROOT, env: cliEnv(opts.env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tokendesk ui printed no address within 30 s: ${stdout} ${stderr}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /^ {2}(http:\/\/\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`tokendesk ui exited (${code}) before printing an address: ${stdout} ${stderr}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const parsed = new URL(url);
  return { child, dataDir, url, origin: parsed.origin, port: Number(parsed.port), stdout: () => stdout, stderr: () => stderr, exited, stop };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port with exactly these headers (Host included). */
export function rawRequest(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
        // An event stream never ends: its first bytes are enough.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A fresh Chromium profile (no cookies), clipboard allowed for the page's origin. */
export async function launchChromium(origin: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const browser = findBrowser();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'en-US',
    viewport: { width: 1360, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
      removeChromiumScratch();
    },
  };
}

/** The local addresses (kernel hex: 0100007F is 127.0.0.1) of every TCP socket listening on `port` (Linux: /proc/net/tcp*). */
export function listenersOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(1) : [];
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [address, portHex] = local.split(':');
      if (portHex === hexPort) addresses.push(address!);
    }
  }
  return addresses;
}
