/**
 * The desktop window's door: the operations table served on 'ipc', with the app's sign-in
 * coordinator and clipboard. Plain Node: the Electron shell (handle.ts) and the e2e harness both
 * call the dispatch function it returns.
 */
import type { DeskApi } from '../core/desk-api';
import { serve, type Dispatch } from '../core/serve';
import type { SignInCoordinator } from '../core/signin';

export type { Dispatch };

export interface ShellServices {
  /** Write text to the clipboard; clear it after `clearAfterSeconds` if it still holds that text. */
  copy(text: string, clearAfterSeconds: number): void;
}

/** dispatch(channel, payload) → IpcResult for the window: validated, run, never throws. */
export function createHandlers(desk: DeskApi, shell: ShellServices, signIn: SignInCoordinator): Dispatch {
  return serve('ipc', { desk, signIn, copy: (text, seconds) => shell.copy(text, seconds) });
}
