/**
 * Starting the desktop app in the background (tray, no window) when the
 * command line finds no agent. Deciding that no app can be started must be quick: a few stat calls,
 * never a spawn on a machine without Electron, and never anything that makes the `electron`
 * package download its binary (requiring node_modules/electron/index.js does exactly that when
 * the binary is missing, so this file reads path.txt itself, as that file does).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAgent, type AgentConnection } from '../agent/client';

/** The repository (or installed package) root: out/cli/index.mjs → ../.. */
export function appRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export interface AppLaunch {
  electron: string;
  root: string;
}

/**
 * How to start the app, or why not (null + reason). Checks, in order: a display on Linux, the
 * built main process (out/main/index.js), and the Electron binary as node_modules/electron
 * records it in path.txt (or ELECTRON_OVERRIDE_DIST_PATH).
 */
export function findAppLaunch(root = appRoot(), env: NodeJS.ProcessEnv = process.env): { launch: AppLaunch | null; reason: string } {
  if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return { launch: null, reason: 'no display' };
  }
  if (!fs.existsSync(path.join(root, 'out', 'main', 'index.js'))) return { launch: null, reason: 'the app is not built' };
  const electronDir = path.join(root, 'node_modules', 'electron');
  let executable: string;
  try {
    executable = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return { launch: null, reason: 'Electron is not installed' };
  }
  const dist = env['ELECTRON_OVERRIDE_DIST_PATH'] || path.join(electronDir, 'dist');
  const electron = path.join(dist, executable || 'electron');
  if (!fs.existsSync(electron)) return { launch: null, reason: 'Electron is not installed' };
  return { launch: { electron, root }, reason: '' };
}

/**
 * Starts the app in the background on `dataDir` and waits for its agent socket. Null when it
 * exits or does not answer within `timeoutMs` (then the command line works standalone).
 */
export async function startAppInBackground(
  launch: AppLaunch,
  dataDir: string,
  socketPath: string,
  opts: { timeoutMs?: number } = {},
): Promise<AgentConnection | null> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const env: NodeJS.ProcessEnv = { ...process.env, TOKENDESK_HOME: dataDir };
  delete env['ELECTRON_RUN_AS_NODE'];
  let exited = false;
  try {
    const child = spawn(launch.electron, [launch.root, '--background'], { detached: true, stdio: 'ignore', env });
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    child.unref();
  } catch {
    return null;
  }
  const deadline = Date.now() + timeoutMs;
  while (!exited && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const connection = await connectAgent(socketPath, { timeoutMs: 2_000 }).catch(() => null);
    if (connection) return connection;
  }
  return null;
}
