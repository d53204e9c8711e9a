/**
 * `tokendesk`: the command line's entry. It parses the arguments, then asks the running app over
 * the agent socket (starting the app in the background where it can), or works on the data
 * directory itself (standalone). Kept small on purpose: `tokendesk token NAME` with a valid token
 * loads only this file's static imports (node:fs/crypto/net and the store reader); the commands
 * and the full core are separate chunks, loaded by dynamic import when needed.
 */
import { version } from '../../package.json';
import { agentDesk, connectAgent, type CliDesk } from '../agent/client';
import { defaultSocketPath } from '../agent/protocol';
import { socketDistrust } from '../agent/trust';
import { resolveDataDir } from '../model/paths';
import { findAppLaunch, startAppInBackground } from './app-launcher';
import { minValidMs, parseArgs, USAGE } from './args';
import type { CliIo } from './commands';
import { EXIT, errorLine, exitCodeOf } from './exit';
import { fastValidToken } from './fast-token';

export { version };

const processIo: CliIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => Date.now(),
};

/** Runs one command; resolves with the exit code (0 ok, 1 usage, 2 needs sign-in, 3 rejected, 4 network). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let desk: CliDesk | null = null;
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (args.command === 'version') {
      io.stdout.write(`tokendesk ${version}\n`);
      return EXIT.ok;
    }
    const dataDir = resolveDataDir(args.dataDir);
    if (args.command === 'ui') {
      // Its own chunk: the web server and the core load only for this command.
      const { runUi } = await import('./cmd-ui');
      return await runUi(args, dataDir, version, io);
    }
    if (args.command === 'start-over') {
      const { runStartOver } = await import('./cmd-start-over');
      return await runStartOver(dataDir, version, io);
    }
    desk = args.standalone ? null : await agentIfAny(dataDir, io);

    if (args.command === 'token') {
      const name = args.name ?? '';
      const minValid = minValidMs(args.flags['min-valid']);
      // The fast path: a valid token straight from the store, without the HTTP stack.
      const fast = desk ? null : await fastValidToken(dataDir, name, io.now(), minValid);
      if (fast !== null) {
        io.stdout.write(`${fast}\n`);
        return EXIT.ok;
      }
      desk ??= await openStandalone(dataDir);
      const token = await desk.validToken(name, minValid > 0 ? { minValidMs: minValid } : {});
      if (token.expiresAt !== null && token.expiresAt - io.now() <= minValid) {
        // The provider's tokens live shorter than asked (or a refresh failed): say so, still print it.
        const left = Math.max(0, Math.round((token.expiresAt - io.now()) / 1000));
        io.stderr.write(`tokendesk: warning: ${name}'s token expires in ${left}s, sooner than --min-valid ${String(args.flags['min-valid'])} asks.\n`);
      }
      io.stdout.write(`${token.accessToken}\n`);
      return EXIT.ok;
    }

    desk ??= await openStandalone(dataDir);
    const { runCommand } = await import('./commands');
    return (await runCommand(args, desk, io)) ?? EXIT.ok;
  } catch (error) {
    io.stderr.write(`${errorLine(error)}\n`);
    return exitCodeOf(error);
  } finally {
    await desk?.close().catch(() => undefined);
  }
}

/**
 * Agent mode: the app answering on the data directory's socket (TOKENDESK_AGENT_SOCKET overrides
 * the path, as SSH_AUTH_SOCK does for ssh-agent), or the app started in the background for it.
 * Null when neither is possible: the caller then works standalone and says so, once.
 */
async function agentIfAny(dataDir: string, io: CliIo): Promise<CliDesk | null> {
  const socketPath = process.env['TOKENDESK_AGENT_SOCKET'] || defaultSocketPath(dataDir);
  const distrust = socketDistrust(socketPath);
  if (distrust) {
    io.stderr.write(
      `tokendesk: not using the agent socket ${socketPath}: ${distrust}, so it may not be TokenDesk's; nothing was sent to it. Working on ${dataDir} directly (standalone); remove that socket if it is yours.\n`,
    );
    return null;
  }
  let connection = await connectAgent(socketPath);
  let why = '';
  if (!connection) {
    const { launch, reason } = findAppLaunch();
    why = reason;
    if (launch) {
      connection = await startAppInBackground(launch, dataDir, socketPath);
      why = 'it did not start';
    }
  }
  if (connection) return agentDesk(connection);
  io.stderr.write(
    `tokendesk: the TokenDesk app is not running and cannot be started here (${why}); working on ${dataDir} directly (standalone).\n`,
  );
  return null;
}

async function openStandalone(dataDir: string): Promise<CliDesk> {
  const { openLocalDesk } = await import('./local-desk');
  return openLocalDesk(dataDir, version);
}

