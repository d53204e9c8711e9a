/**
 * The command line's side of a browser sign-in (RFC 8252): open the system browser, catch the
 * redirect on a loopback address, or read the address the user copied from the browser on stdin.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, EXIT } from './exit';

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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LoopbackListener {
  /** The redirect URI with the port actually listened on. */
  redirectUri: string;
  /** The full address the browser was sent to. */
  address: Promise<string>;
  close(): void;
}

/**
 * RFC 8252 §7.3: listen on the loopback redirect URI (its port, or any free one when it has none)
 * and resolve with the first request to its path.
 */
export async function listenOnLoopback(redirectUri: string, timeoutMs: number): Promise<LoopbackListener> {
  const target = new URL(redirectUri);
  if (target.protocol !== 'http:' || !LOOPBACK_HOSTS.has(target.hostname)) {
    throw new CliError(`${redirectUri} is not a loopback redirect URI.`);
  }
  const host = target.hostname === '[::1]' ? '::1' : target.hostname;
  let resolveAddress!: (url: string) => void;
  let rejectAddress!: (error: Error) => void;
  const address = new Promise<string>((resolve, reject) => {
    resolveAddress = resolve;
    rejectAddress = reject;
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? target.host}`);
    if (url.pathname !== target.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end('<!doctype html><meta charset="utf-8"><title>TokenDesk</title><p>TokenDesk received the sign-in. You can close this tab and return to the terminal.</p>');
    // The address as the browser was sent to it: the registered host, the port listened on.
    const sentTo = new URL(url.pathname + url.search, target);
    sentTo.port = String((server.address() as AddressInfo).port);
    resolveAddress(sentTo.toString());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          error.code === 'EADDRINUSE'
            ? `Port ${target.port} for the redirect ${redirectUri} is in use: close what holds it, or run "tokendesk login --no-browser".`
            : `Could not listen on ${redirectUri}: ${error.message}`,
        ),
      ),
    );
    server.listen(Number(target.port || 0), host, () => resolve());
  });
  const timer = setTimeout(
    () => rejectAddress(new CliError(`No sign-in reached ${redirectUri} within ${Math.round(timeoutMs / 60_000)} minutes.`, EXIT.network)),
    timeoutMs,
  );
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };
  void address.finally(close).catch(() => undefined);
  const port = (server.address() as AddressInfo).port;
  const withPort = new URL(redirectUri);
  withPort.port = String(port);
  return { redirectUri: target.port ? redirectUri : withPort.toString(), address, close };
}

/** The first non-empty line of stdin, or null at end of input. */
export function readLine(stream: NodeJS.ReadableStream = process.stdin): Promise<string | null> {
  return readLines(stream, 1).then((lines) => lines[0] ?? null);
}

/** Up to `count` non-empty lines of stdin; fewer at end of input. Leaves the rest unread. */
export function readLines(stream: NodeJS.ReadableStream, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buffer = '';
    const finish = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      resolve(lines);
    };
    const onData = (chunk: Buffer | string) => {
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
    return await new Promise<string | null>((resolve) => {
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
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    stdin.setRawMode(false);
  }
}
