/**
 * The command line's side of a browser sign-in (RFC 8252): open the system browser, catch the
 * redirect on a loopback address, or read the address the user copied from the browser on stdin.
 */
import { spawn } from 'node:child_process';
import { formatBytes, LIMITS } from '../model/limits';
import { CliError } from './exit';

/** Opens the system browser; errors are ignored (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const { protocol } = new URL(url);
  if (protocol !== 'https:' && protocol !== 'http:') return;
  // rundll32 rather than `cmd /c start`: cmd would parse the '&' of the query string.
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is the fallback.
  }
}

/** The first non-empty line of stdin, or null at end of input. */
export function readLine(stream: NodeJS.ReadableStream = process.stdin): Promise<string | null> {
  return readLines(stream, 1).then((lines) => lines[0] ?? null);
}

/**
 * Up to `count` non-empty lines of stdin; fewer at end of input. Leaves the rest unread. Reads no
 * more than `maxBytes` in all: 200 MB piped without a newline ends with an error, not a full memory.
 */
export function readLines(stream: NodeJS.ReadableStream, count: number, maxBytes: number = LIMITS.stdinBytes): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buffer = '';
    let bytes = 0;
    const stop = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
    };
    const finish = () => {
      stop();
      resolve(lines);
    };
    const onData = (chunk: Buffer | string) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxBytes) {
        stop();
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return reject(
          new CliError(
            `stdin held more than ${formatBytes(maxBytes)} ${lines.length === 0 ? 'before the first line ended' : 'in all'}; TokenDesk stopped reading it. Pipe only what was asked for, one value a line.`,
          ),
        );
      }
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line.trim() !== '') lines.push(line);
        if (lines.length === count) return finish();
      }
    };
    const onEnd = () => {
      if (buffer.trim() !== '' && lines.length < count) lines.push(buffer.replace(/\r$/, ''));
      finish();
    };
    const onError = (error: Error) => reject(error);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}

/**
 * A secret from stdin. On a terminal it is typed without echo after a prompt on stderr; from a
 * pipe it is the next line. Secrets never come from argv (they would show in `ps` and history).
 */
export async function readSecret(prompt: string, stdin: NodeJS.ReadStream = process.stdin): Promise<string | null> {
  if (!stdin.isTTY) return readLine(stdin);
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  try {
    return await new Promise<string | null>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.off('data', onData);
            stdin.pause();
            process.stderr.write('\n');
            resolve(value === '' && char === '\u0004' ? null : value);
            return;
          }
          if (char === '\u0003') {
            process.stderr.write('\n');
            process.exit(130);
          }
          value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
          // A paste gone wrong stops here rather than growing without end.
          if (value.length > LIMITS.secretChars) {
            stdin.off('data', onData);
            stdin.pause();
            process.stderr.write('\n');
            reject(new CliError(`That is longer than a secret can be (${LIMITS.secretChars} characters); nothing was saved.`));
            return;
          }
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    stdin.setRawMode(false);
  }
}
