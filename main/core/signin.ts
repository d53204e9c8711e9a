/**
 * Sign-in, three ways (RFC 8252): an OAuth window run by main, the system browser with a loopback
 * redirect, or the system browser with "paste the address you were sent to". The drivers are the
 * platform's (the Electron shell, or the e2e harness); the choice between them lives here.
 */
import type { DeskApi, PendingSignInView } from './desk-api';
import { TokenDeskError } from './errors';
import type { ClientView } from './types';

export interface SignInDrivers {
  /** Run the authorize URL in an OAuth window; resolve with the redirect address it was sent to. */
  window(pending: PendingSignInView): Promise<string>;
  /** RFC 8252 §7.3: open the system browser and catch the redirect on 127.0.0.1. */
  loopback(pending: PendingSignInView): Promise<string>;
  openExternal(url: string): Promise<void>;
  awaitingPaste(event: { clientId: string; authorizeUrl: string }): void;
}

export type SignInMode = 'window' | 'browser';

export class SignInCoordinator {
  private readonly pastes = new Map<string, PasteWait>();

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
  async complete(clientId: string, callbackUrl: string): Promise<ClientView> {
    const waiting = this.pastes.get(clientId);
    if (!waiting) return this.desk.completeSignIn(clientId, callbackUrl);
    waiting.resolve(callbackUrl);
    return waiting.done;
  }

  cancel(clientId: string): void {
    this.pastes.get(clientId)?.reject(new TokenDeskError('cancelled', 'Sign-in cancelled.'));
    this.pastes.delete(clientId);
  }

  private async run(clientId: string, requested: SignInMode, reconsent: boolean): Promise<ClientView> {
    const client = this.desk.getClient(clientId).config;
    const pending = await this.desk.beginSignIn(clientId, { reconsent });
    // Google refuses sign-in inside embedded browser windows: itcode's google platform goes to the system browser.
    const mode = client.provider === 'itcode' && client.platform === 'google' ? 'browser' : requested;
    if (mode === 'window') return this.desk.completeSignIn(clientId, await this.drivers.window(pending));
    if (pending.loopback) return this.desk.completeSignIn(clientId, await this.drivers.loopback(pending));
    return this.waitForPaste(pending);
  }

  /** Resolves when complete() brings the pasted address and the code has been exchanged. */
  private async waitForPaste(pending: PendingSignInView): Promise<ClientView> {
    this.cancel(pending.clientId);
    let resolve!: (url: string) => void;
    let reject!: (error: Error) => void;
    const pasted = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const wait: PasteWait = { resolve, reject, done: pasted.then((url) => this.desk.completeSignIn(pending.clientId, url)) };
    this.pastes.set(pending.clientId, wait);
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
