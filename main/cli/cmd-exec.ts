/**
 * `tokendesk exec NAME… [--min-valid D] -- CMD ARGS…`: CMD runs with each client's valid token in
 * its environment. stdin, stdout and stderr are CMD's own; SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * reach it; its exit code is ours (128 + the signal number when a signal ended it, as shells say).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { msg } from '../model/messages';
import { CliError } from './exit';
import { tokenEnv } from './token-env';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** Exit code when CMD cannot be started: 127 not found, 126 not executable (POSIX shells' codes). */
const NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;

export async function runExec(desk: CliDesk, args: ParsedArgs, now: () => number, stderr: NodeJS.WritableStream): Promise<number> {
  const vars = await tokenEnv(desk, args, now);
  // The socket to the app (or the store) is not needed while CMD runs, which may be for hours.
  await desk.close();
  const [command, ...commandArgs] = args.commandArgv ?? [];
  if (!command) throw new CliError(msg('exec_needs_command'));
  const child = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...Object.fromEntries(vars) } });
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        stderr.write(`tokendesk: could not run ${command}: ${error.message}\n`);
        resolve(error.code === 'ENOENT' ? NOT_FOUND : NOT_EXECUTABLE);
      });
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
      });
    });
  } finally {
    for (const signal of FORWARDED) process.off(signal, forward);
  }
}
