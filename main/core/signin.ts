/**
 * Sign-in, three ways (RFC 8252): an OAuth window run by main, the system browser with a loopback
 * redirect, or the system browser with "paste the address you were sent to". The drivers are the
 * platform's (the Electron shell, or the e2e harness); the choice between them lives here.
 */
import { isLoopbackRedirect } from '../oauth/redirect';
import type { LoopbackListener } from '../oauth/signin';
import type { DeskApi, PendingSignInView } from './desk-api';
import { TokenDeskError } from '../model/errors';
import type { ClientView } from '../model/types';

export interface SignInDrivers {
  /**
   * Run the authorize URL in an OAuth window; resolve with the redirect address it was sent to.
   * Null where there is no such window (the browser door): every sign-in goes to the browser.
   */
  window: ((pending: PendingSignInView) => Promise<string>) | null;
  /** RFC 8252 §7.3: listen on the loopback redirect (an ephemeral port when the URI has none). */
  listenLoopback(redirectUri: string): Promise<LoopbackListener>;
  openExternal(url: string): Promise<void>;
  awaitingPaste(event: { clientId: string; authorizeUrl: string }): void;
}

export type SignInMode = 'window' | 'browser';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export class SignInCoordinator {
  private readonly pastes = new Map<string, PasteWait>();
  private readonly listeners = new Map<string, AbortController>();

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
    this.pastes.get(clientId)?.reject(new TokenDeskError('cancelled', 'Sign-in cancelled.'));
    this.pastes.delete(clientId);
    this.listeners.get(clientId)?.abort();
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
    if (mode === 'window' && openWindow) return this.desk.completeSignIn(clientId, await openWindow(pending));
    this.cancel(clientId);
    return this.waitForPaste(pending, (pasted) => pasted);
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
    // Awaited below; this only keeps a failure before that point from going unhandled.
    wait.done.catch(() => undefined);
    try {
      await this.drivers.openExternal(pending.authorizeUrl);
      this.drivers.awaitingPaste({ clientId: pending.clientId, authorizeUrl: pending.authorizeUrl });
      return await wait.done;
    } finally {
      if (this.pastes.get(pending.clientId) === wait) this.pastes.delete(pending.clientId);
    }
  }
}

interface PasteWait {
  resolve(url: string): void;
  reject(error: Error): void;
  done: Promise<ClientView>;
}
