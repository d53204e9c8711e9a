/**
 * Getting the redirect address back from the browser, two of the three ways (RFC 8252): an OAuth
 * window the Electron shell opens (AuthWindowOpener, implemented in main/shell/auth-window.ts), or
 * the system browser with a loopback listener on 127.0.0.1 (RFC 8252 §7.3). The third way, paste,
 * needs nothing here: the pasted address goes to completeSignIn. Plain Node: no Electron import.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenDeskError } from '../model/errors';
import { matchesRedirect, parseCallback } from './redirect';
import type { PendingSignIn } from './requests';

export type NavigationVerdict = 'allow' | 'intercept';

export interface AuthWindowHandlers {
  /** The window's own session partition (cookies of the provider's login page live there). */
  partition: string;
  /** Called for every top-level navigation and redirect before it happens; 'intercept' cancels it. */
  onNavigate(url: string): NavigationVerdict;
  /** The user closed the window. */
  onClosed(): void;
  /** A top-level load failed (not one we cancelled ourselves). */
  onFailLoad(url: string): void;
}

export interface AuthWindowHandle {
  close(): void;
}

/** What the Electron shell provides (main/shell/auth-window.ts); tests provide a fake. */
export interface AuthWindowOpener {
  open(url: string, handlers: AuthWindowHandlers): AuthWindowHandle;
}

/**
 * What a driver needs of a pending sign-in: the core's PendingSignInView fits. A `state`, when
 * given, lets a foreign redirect be refused at once; completeSignIn checks it in any case.
 */
export type SignInTarget = Pick<PendingSignIn, 'clientId' | 'authorizeUrl' | 'redirectUri' | 'loopback'> & { state?: string };

export interface SignInWaitOptions {
  timeoutMs: number;
  /** Aborting cancels the sign-in ('cancelled'). */
  signal?: AbortSignal;
}

/** One persistent partition per client: its provider login survives, sign-out clears it. */
export function authPartition(clientId: string): string {
  return `persist:oauth-${clientId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 1 ? `${m} minute${m === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;
}

function timeoutError(ms: number): TokenDeskError {
  return new TokenDeskError('timeout', `The sign-in was not finished within ${minutes(ms)}. Start it again when you are ready.`);
}

/**
 * A redirect whose state is not ours is refused at once (RFC 6749 §10.12); a redirect without
 * state is left to completeSignIn, which knows whether the provider sends one.
 */
function foreignState(pending: SignInTarget, url: string): boolean {
  if (pending.state === undefined) return false;
  const { state } = parseCallback(url);
  return state !== null && state !== pending.state;
}

/**
 * Google answers an OAuth request from an embedded browser window with its "Error 403:
 * disallowed_useragent" page (accounts.google.com/signin/oauth/error?authError=…, the reason
 * base64-encoded inside authError).
 */
export function isDisallowedUserAgent(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.hostname !== 'accounts.google.com' || !parsed.pathname.includes('/oauth/error')) return false;
  const authError = parsed.searchParams.get('authError') ?? '';
  const decoded = Buffer.from(authError.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return `${decoded} ${url}`.includes('disallowed_useragent');
}

const DISALLOWED_USER_AGENT_MESSAGE =
  'Google refused to sign in inside the TokenDesk window (Error 403: disallowed_useragent): Google allows its sign-in only in a full browser. ' +
  'Use "Sign in with the browser" where the client offers it; for itcode, whose callback page uses the code as it loads, run ' +
  '"tokendesk login NAME --no-browser" and copy the callback address before that page loads, or pick another platform.';

const STATE_MISMATCH_MESSAGE =
  'The provider sent the browser back for another sign-in (the state does not match). Sign in again from TokenDesk.';

/**
 * Runs the authorize URL in an OAuth window and resolves with the redirect address, caught (and
 * cancelled, so it never loads) when the window is sent to the redirect URI.
 */
export function runWindowSignIn(pending: SignInTarget, opener: AuthWindowOpener, opts: SignInWaitOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let handle: AuthWindowHandle | null = null;
    const finish = (outcome: { url: string } | { error: TokenDeskError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      handle?.close();
      if ('url' in outcome) resolve(outcome.url);
      else reject(outcome.error);
    };
    const caught = (url: string): void => {
      if (foreignState(pending, url)) finish({ error: new TokenDeskError('state_mismatch', STATE_MISMATCH_MESSAGE) });
      else finish({ url });
    };
    const onAbort = (): void => finish({ error: new TokenDeskError('cancelled', 'Sign-in cancelled.') });

    const timer = setTimeout(() => finish({ error: timeoutError(opts.timeoutMs) }), opts.timeoutMs);
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort);

    try {
      handle = opener.open(pending.authorizeUrl, {
        partition: authPartition(pending.clientId),
        onNavigate(url) {
          if (isDisallowedUserAgent(url)) {
            finish({ error: new TokenDeskError('unsupported', DISALLOWED_USER_AGENT_MESSAGE) });
            return 'intercept';
          }
          if (!matchesRedirect(url, pending.redirectUri)) return 'allow';
          caught(url);
          return 'intercept';
        },
        onClosed() {
          finish({ error: new TokenDeskError('cancelled', 'Sign-in cancelled: the sign-in window was closed.') });
        },
        onFailLoad(url) {
          if (matchesRedirect(url, pending.redirectUri)) {
            caught(url);
            return;
          }
          finish({
            error: new TokenDeskError(
              'network',
              `The sign-in page ${hostOf(url)} could not be loaded. Check the base URL and your connection, then try again.`,
            ),
          });
        },
      });
    } catch (error) {
      finish({ error: new TokenDeskError('internal', 'The sign-in window could not be opened.', { cause: error }) });
      return;
    }
    // The opener may have reported an outcome synchronously, before `handle` was assigned.
    if (settled) handle.close();
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface LoopbackListener {
  /** The redirect URI with the port actually listened on. */
  readonly redirectUri: string;
  /** Resolves with the first request to the redirect path; rejects on timeout or cancel. */
  wait(opts: SignInWaitOptions): Promise<string>;
  close(): Promise<void>;
}

const DONE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TokenDesk</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>TokenDesk</h1><p>Sign-in received. You can close this tab and return to TokenDesk.</p>
<p lang="ko">로그인 정보를 받았습니다. 이 탭을 닫고 TokenDesk로 돌아가세요.</p></body></html>
`;

function listenHost(url: URL): string {
  if (url.hostname === '[::1]') return '::1';
  return '127.0.0.1';
}

/**
 * RFC 8252 §7.3: a listener on the loopback interface for `redirectUri`. On the URI's own port, or
 * on an ephemeral one when the URI has no port or port 0 — then use `redirectUri` of the result in
 * the authorization request (the server must allow any loopback port, RFC 8252 §7.3).
 */
export async function startLoopbackListener(redirectUri: string): Promise<LoopbackListener> {
  const registered = new URL(redirectUri);
  const host = listenHost(registered);
  const wantedPort = registered.port === '' ? 0 : Number(registered.port);
  let onCallback: ((url: string) => void) | null = null;
  let received: string | null = null;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== registered.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DONE_PAGE);
    const url = `http://${req.headers.host ?? `${registered.hostname}:${port}`}${req.url ?? '/'}`;
    if (received === null) {
      received = url;
      onCallback?.(url);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new TokenDeskError(
              'conflict',
              `Port ${wantedPort} on ${host} is already in use, so TokenDesk cannot catch the sign-in there. Close the program using it, or register a redirect URI with another port.`,
            )
          : new TokenDeskError('internal', `TokenDesk could not listen on ${host}:${wantedPort} (${error.message}).`),
      );
    });
    server.listen(wantedPort, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const actual = new URL(redirectUri);
  actual.port = String(port);

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    redirectUri: actual.toString(),
    close,
    wait(opts) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => done(timeoutError(opts.timeoutMs)), opts.timeoutMs);
        const onAbort = (): void => done(new TokenDeskError('cancelled', 'Sign-in cancelled.'));
        function done(outcome: string | TokenDeskError): void {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          onCallback = null;
          if (typeof outcome === 'string') resolve(outcome);
          else reject(outcome);
        }
        if (opts.signal?.aborted) return onAbort();
        opts.signal?.addEventListener('abort', onAbort);
        if (received !== null) return done(received);
        onCallback = (url) => done(url);
      });
    },
  };
}

