/**
 * `tokendesk ui [--port N] [--no-open] [--idle-timeout S]`: the app in a browser tab, for where
 * the Electron window cannot run (SSH, WSL, a machine that cannot download Electron). Loaded by
 * dynamic import only: the web server and the core never slow down `tokendesk token`.
 * The data directory is shared exactly as the standalone command line shares it (the store's
 * lock around every write); when the desktop app already answers on its agent socket, it is the
 * one to use, and this command offers to bring its window forward instead of serving a second UI.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { connectAgent } from '../agent/client';
import { defaultSocketPath } from '../agent/protocol';
import { socketDistrust } from '../agent/trust';
import { appRoot, findAppLaunch } from './app-launcher';
import type { ParsedArgs } from './args';
import { openBrowser } from './browser';
import type { CliIo } from './commands';
import { CliError, EXIT } from './exit';

/** How long the server outlives its last tab by default (a reload or a brief network drop is shorter). */
const DEFAULT_IDLE_SECONDS = 60;

export async function runUi(args: ParsedArgs, dataDir: string, version: string, io: CliIo): Promise<number> {
  const port = numberFlag(args.flags['port'], '--port', 0, 65_535) ?? 0;
  const idleSeconds = numberFlag(args.flags['idle-timeout'], '--idle-timeout', 1, 86_400) ?? DEFAULT_IDLE_SECONDS;

  if (!args.standalone && (await appIsRunning(dataDir, io))) return EXIT.ok;

  const rendererDir = path.join(appRoot(), 'out', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new CliError(`TokenDesk's pages are not built yet (${rendererDir}): run \`npm run build\` in the TokenDesk folder, then \`tokendesk ui\` again.`);
  }

  let stop!: (why: string) => void;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const { startWebDoor } = await import('../web/door');
  const door = await startWebDoor({
    dataDir,
    rendererDir,
    version,
    port,
    idleMs: idleSeconds * 1000,
    onIdle: () => stop(`every tab has been closed for ${idleSeconds} s`),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new CliError(`Port ${port} on 127.0.0.1 is in use: choose another with --port N, or leave --port out for a free one.`);
    throw error;
  });
  // Kept until the process ends, and deaf after the first signal: signal-exit (under
  // proper-lockfile) re-raises a signal when it counts no other listener, which would kill the
  // process halfway through closing the store.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) stop(signal === 'SIGINT' ? 'Ctrl-C' : signal);
    stopping = true;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  io.stdout.write(
    [
      `TokenDesk is open in your browser at this address (it works once; keep it private):`,
      `  ${door.url}`,
      `Serving ${dataDir} on 127.0.0.1:${door.port} only. Ctrl-C stops it; it also stops ${idleSeconds} s after the last tab is closed.`,
      `Over SSH: ssh -L ${door.port}:127.0.0.1:${door.port} this-host, then open the address on your own machine.`,
      '',
    ].join('\n'),
  );
  if (args.flags['no-open'] !== true) openBrowser(door.url);

  const why = await stopped;
  stopping = true;
  await door.close();
  io.stdout.write(`TokenDesk ui stopped (${why}).\n`);
  return EXIT.ok;
}

function numberFlag(value: string | boolean | undefined, name: string, min: number, max: number): number | null {
  if (value === undefined || typeof value === 'boolean') return null;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new CliError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  return number;
}

/**
 * The desktop app answers on the data directory's agent socket: it owns this data directory's UI,
 * so say so and offer its window (a second start of the app brings the first one's window
 * forward: main/index.ts's second-instance handler).
 */
async function appIsRunning(dataDir: string, io: CliIo): Promise<boolean> {
  const socketPath = process.env['TOKENDESK_AGENT_SOCKET'] || defaultSocketPath(dataDir);
  // As the other commands do (agent/trust.ts): a socket another user could have made is not asked.
  const distrust = socketDistrust(socketPath);
  if (distrust) {
    io.stderr.write(`tokendesk: not asking the agent socket ${socketPath} whether the app is running: ${distrust}.\n`);
    return false;
  }
  const agent = await connectAgent(socketPath, { timeoutMs: 2_000 }).catch(() => null);
  if (!agent) return false;
  agent.close();
  io.stdout.write(`The TokenDesk app is already running (pid ${agent.hello.pid}) on ${dataDir}.\n`);
  const anyway = 'To use a browser tab anyway, run: tokendesk --standalone ui\n';
  const { launch, reason } = findAppLaunch();
  if (!launch) {
    io.stdout.write(`Its window cannot be shown from here (${reason}). ${anyway}`);
    return true;
  }
  if (!io.stdin.isTTY) {
    io.stdout.write(`Start TokenDesk again to bring its window forward. ${anyway}`);
    return true;
  }
  const prompt = createInterface({ input: io.stdin, output: io.stdout });
  const answer = (await prompt.question('Bring its window forward? [Y/n] ')).trim().toLowerCase();
  prompt.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') {
    io.stdout.write(anyway);
    return true;
  }
  const child = spawn(launch.electron, [launch.root], { detached: true, stdio: 'ignore', env: { ...process.env, TOKENDESK_HOME: dataDir } });
  child.on('error', () => undefined);
  child.unref();
  return true;
}
