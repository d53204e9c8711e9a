/**
 * Sign-in, three ways (RFC 8252): an OAuth window run by main, the system browser with a loopback
 * redirect, or the system browser with "paste the address you were sent to". The drivers are the
 * platform's (the Electron shell, or the e2e harness); the choice between them lives here.
 */
import { isLoopbackRedirect } from '../oauth/redirect';
import type { ClientConfig, TokenSet } from '../model/types';
import { beginReconsent, beginSignIn, type FlowDeps, type FlowInput, type PendingSignIn } from '../oauth/flows';
import { capabilitiesOf } from '../oauth/presets';
import type { LoopbackListener } from '../oauth/signin';
import { checkedSignIn } from './checked';
import type { DeskApi, PendingSignInView } from './desk-api';
import type { ExchangeHolds } from './exchange-hold';
import { TokenDeskError } from '../model/errors';
import type { ClientView } from '../model/types';

export interface SignInDrivers {
  /**
   * Run the authorize URL in an OAuth window; resolve with the redirect address it was sent to.
   * Null where there is no such window (the browser door): every sign-in goes to the browser.
   */
  window: ((pending: PendingSignInView, opts: { signal: AbortSignal }) => Promise<string>) | null;
  /** RFC 8252 §7.3: listen on the loopback redirect (an ephemeral port when the URI has none). */
  listenLoopback(redirectUri: string): Promise<LoopbackListener>;
  openExternal(url: string): Promise<void>;
  /**
   * A sign-in waits for the user: the renderer shows its panel (issue #13 row 3) with the authorize
   * URL to open again or copy. 'browser' waits also take a pasted address; 'window' ones never do.
   */
  awaitingPaste(event: SignInWaiting): void;
}

export interface SignInWaiting {
  clientId: string;
  authorizeUrl: string;
  mode?: SignInMode;
}

export type SignInMode = 'window' | 'browser';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** A begun sign-in is forgotten after this: its state and PKCE verifier are not kept for ever. */
export const PENDING_SIGN_IN_MS = 15 * 60_000;

/** What the sign-in steps need of the desk. */
export interface SignInContext {
  /** Usable settings of a client, by id or name (throws for unknown or damaged ones). */
  client(ref: string): ClientConfig;
  input(client: ClientConfig): FlowInput;
  deps(): FlowDeps;
  token(clientId: string): TokenSet | null;
  holds: ExchangeHolds;
  save(clientId: string, token: TokenSet): Promise<void>;
  now(): number;
}

/**
 * The two halves of a sign-in (RFC 6749 §4.1.1, §4.1.3) and what is kept between them: the state
 * and PKCE verifier of each client's pending sign-in, by client id, for at most 15 minutes.
 */
export class PendingSignIns {
  readonly #pending = new Map<string, PendingSignIn>();
  readonly #ctx: SignInContext;

  constructor(ctx: SignInContext) {
    this.#ctx = ctx;
  }

  async begin(ref: string, opts: { redirectUri?: string; reconsent?: boolean } = {}): Promise<PendingSignInView> {
    const ctx = this.#ctx;
    const client = ctx.client(ref);
    if (!capabilitiesOf(client).signIn) throw new TokenDeskError('unsupported', `${client.name} does not sign in through a browser: use Issue.`);
    const redirect = opts.redirectUri ? { redirectUri: opts.redirectUri } : {};
    let pending: PendingSignIn;
    if (opts.reconsent) {
      const token = ctx.token(client.id);
      if (!token) throw new TokenDeskError('needs_signin', `${client.name} has no token: sign in first.`);
      pending = await beginReconsent(ctx.deps(), ctx.input(client), token, redirect);
    } else {
      pending = await beginSignIn(ctx.deps(), ctx.input(client), redirect);
    }
    this.#pending.set(client.id, pending);
    return { clientId: client.id, authorizeUrl: pending.authorizeUrl, redirectUri: pending.redirectUri, loopback: pending.loopback };
  }

  /** Exchanges the code of the pending sign-in (once: a second completion is refused) and saves the token. */
  async complete(ref: string, callbackUrl: string): Promise<string> {
    const ctx = this.#ctx;
    const client = ctx.client(ref);
    const pending = this.#pending.get(client.id);
    this.#pending.delete(client.id);
    if (!pending || ctx.now() - pending.createdAt > PENDING_SIGN_IN_MS) {
      throw new TokenDeskError('needs_signin', `No sign-in of ${client.name} is in progress (or it took longer than 15 minutes): start the sign-in again.`);
    }
    const token = await checkedSignIn(ctx.holds, ctx.deps(), ctx.input(client), pending, callbackUrl);
    await ctx.save(client.id, token);
    return client.id;
  }

  forget(clientId: string): void {
    this.#pending.delete(clientId);
  }
}

export class SignInCoordinator {
  private readonly pastes = new Map<string, PasteWait>();
  private readonly listeners = new Map<string, AbortController>();
  private readonly windows = new Map<string, WindowWait>();
  /** clientId → the authorize URL of the sign-in that waits for the user, and how it runs. */
  private readonly waiting = new Map<string, { authorizeUrl: string; mode: SignInMode }>();

  constructor(
    private readonly desk: DeskApi,
    private readonly drivers: SignInDrivers,
  ) {}

  signIn(clientId: string, mode: SignInMode): Promise<ClientView> {
    return this.run(clientId, mode, false);
  }

  reconsent(clientId: string): Promise<ClientView> {
    return this.run(clientId, 'window', true);
  }

  /** Paste mode: the address the user copied from the browser. */
  async complete(ref: string, callbackUrl: string): Promise<ClientView> {
    const clientId = this.desk.getClient(ref).config.id;
    const waiting = this.pastes.get(clientId);
    if (!waiting) return this.desk.completeSignIn(clientId, callbackUrl);
    waiting.resolve(callbackUrl);
    return waiting.done;
  }

  cancel(ref: string): void {
    const clientId = this.desk.getClient(ref).config.id;
    const cancelled = new TokenDeskError('cancelled', 'Sign-in cancelled.');
    this.pastes.get(clientId)?.reject(cancelled);
    this.pastes.delete(clientId);
    this.listeners.get(clientId)?.abort();
    this.windows.get(clientId)?.cancel(cancelled);
  }

  /** The authorization page of the sign-in that waits, for "Copy link". */
  link(ref: string): string {
    return this.waitingFor(ref).authorizeUrl;
  }

  /**
   * "Open again": the system browser gets the authorization page once more (the user closed the
   * tab, or it opened behind); an OAuth window is replaced by a fresh one on the same page. The
   * sign-in keeps waiting for the same code: state and PKCE verifier do not change.
   */
  async reopen(ref: string): Promise<void> {
    const clientId = this.desk.getClient(ref).config.id;
    const { authorizeUrl, mode } = this.waitingFor(clientId);
    if (mode === 'window') this.windows.get(clientId)?.open();
    else await this.drivers.openExternal(authorizeUrl);
  }

  private waitingFor(ref: string): { authorizeUrl: string; mode: SignInMode } {
    const client = this.desk.getClient(ref).config;
    const waiting = this.waiting.get(client.id);
    if (!waiting) throw new TokenDeskError('not_found', `No sign-in of ${client.name} is waiting.`);
    return waiting;
  }

  /** Waits are keyed by client id: callers may name a client by id or by name. */
  private async run(ref: string, requested: SignInMode, reconsent: boolean): Promise<ClientView> {
    const client = this.desk.getClient(ref).config;
    const clientId = client.id;
    const openWindow = this.drivers.window;
    // itcode's callback page spends the code as it loads: only the OAuth window, which catches the
    // redirect before that, can finish its sign-in (docs/providers.md §4 "callback"). A platform that
    // refuses the window (Google's disallowed_useragent) is reported by runWindowSignIn.
    if (client.provider === 'itcode' && !openWindow) {
      throw new TokenDeskError(
        'unsupported',
        "itcode's sign-in can only finish in the desktop app's OAuth window: its callback page spends the code as it loads, before a browser tab could hand it over. Sign in from the TokenDesk app on a desktop.",
      );
    }
    const mode = client.provider === 'itcode' ? 'window' : openWindow ? requested : 'browser';
    if (mode === 'browser' && client.redirectUri && isLoopbackRedirect(client.redirectUri)) {
      return this.viaLoopback(clientId, client.redirectUri, reconsent);
    }
    const pending = await this.desk.beginSignIn(clientId, { reconsent });
    this.cancel(clientId);
    if (mode === 'window' && openWindow) return this.viaWindow(pending, openWindow);
    return this.waitForPaste(pending, (pasted) => pasted);
  }

  /**
   * The OAuth window, which "Open again" replaces and Cancel closes (through the driver's signal).
   * Only the newest window's failure ends the sign-in: the one it replaced reports 'cancelled'.
   */
  private async viaWindow(pending: PendingSignInView, openWindow: NonNullable<SignInDrivers['window']>): Promise<ClientView> {
    const clientId = pending.clientId;
    let resolve!: (url: string) => void;
    let reject!: (error: Error) => void;
    const address = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let current: AbortController | null = null;
    const wait: WindowWait = {
      open: () => {
        current?.abort();
        const abort = new AbortController();
        current = abort;
        openWindow(pending, { signal: abort.signal }).then(resolve, (error: unknown) => {
          if (current === abort) reject(error instanceof Error ? error : new Error(String(error)));
        });
      },
      cancel: (error) => {
        reject(error);
        current?.abort();
      },
    };
    this.windows.set(clientId, wait);
    this.waiting.set(clientId, { authorizeUrl: pending.authorizeUrl, mode: 'window' });
    try {
      wait.open();
      this.drivers.awaitingPaste({ clientId, authorizeUrl: pending.authorizeUrl, mode: 'window' });
      return await this.desk.completeSignIn(clientId, await address);
    } finally {
      if (this.windows.get(clientId) === wait) {
        this.windows.delete(clientId);
        this.waiting.delete(clientId);
      }
    }
  }

  /**
   * The listener comes first: with an ephemeral port, its address is the redirect_uri to send.
   * A pasted address is taken too: a browser on another machine (SSH) cannot reach our loopback,
   * but its address bar still shows where the provider sent it.
   */
  private async viaLoopback(clientId: string, redirectUri: string, reconsent: boolean): Promise<ClientView> {
    this.cancel(clientId);
    const abort = new AbortController();
    this.listeners.set(clientId, abort);
    const listener = await this.drivers.listenLoopback(redirectUri);
    try {
      const pending = await this.desk.beginSignIn(clientId, { reconsent, redirectUri: listener.redirectUri });
      const caught = listener.wait({ timeoutMs: SIGN_IN_TIMEOUT_MS, signal: abort.signal });
      return await this.waitForPaste(pending, (pasted) => Promise.race([caught, pasted]));
    } finally {
      await listener.close();
      if (this.listeners.get(clientId) === abort) this.listeners.delete(clientId);
    }
  }

  /** Resolves when the address arrives (complete() brings a pasted one) and the code has been exchanged. */
  private async waitForPaste(pending: PendingSignInView, address: (pasted: Promise<string>) => Promise<string>): Promise<ClientView> {
    let resolve!: (url: string) => void;
    let reject!: (error: Error) => void;
    const pasted = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const wait: PasteWait = { resolve, reject, done: address(pasted).then((url) => this.desk.completeSignIn(pending.clientId, url)) };
    this.pastes.set(pending.clientId, wait);
    this.waiting.set(pending.clientId, { authorizeUrl: pending.authorizeUrl, mode: 'browser' });
    // Awaited below; this only keeps a failure before that point from going unhandled.
    wait.done.catch(() => undefined);
    try {
      await this.drivers.openExternal(pending.authorizeUrl);
      this.drivers.awaitingPaste({ clientId: pending.clientId, authorizeUrl: pending.authorizeUrl, mode: 'browser' });
      return await wait.done;
    } finally {
      if (this.pastes.get(pending.clientId) === wait) {
        this.pastes.delete(pending.clientId);
        this.waiting.delete(pending.clientId);
      }
    }
  }
}

interface PasteWait {
  resolve(url: string): void;
  reject(error: Error): void;
  done: Promise<ClientView>;
}

interface WindowWait {
  /** Opens the window, closing the one before (its driver sees the abort). */
  open(): void;
  cancel(error: Error): void;
}
