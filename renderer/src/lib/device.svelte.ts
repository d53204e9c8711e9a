/**
 * Device sign-ins (RFC 8628) in progress: the code and the page to show, the polling interval
 * (longer after the server's `slow_down`), and Cancel. Main polls; this class starts, waits and
 * cancels through the desk's actions, so busy state, errors (denial, expiry) and the "signed in"
 * announcement work as for every other action.
 */
import type { DeviceSignInView } from '../../../main/ipc/contract';
import { unwrap } from './api';
import type { Desk } from './desk.svelte';

export interface DeviceProgress {
  /** null until main has the server's answer. */
  view: DeviceSignInView | null;
  intervalMs: number | null;
  /** The server said slow_down at least once (RFC 8628 §3.5). */
  slowedDown: boolean;
}

export class DeviceSignIns {
  /** clientId → its device sign-in in progress. */
  active = $state<Record<string, DeviceProgress>>({});
  #off: (() => void) | null = null;

  constructor(private readonly desk: Desk) {}

  start(): () => void {
    this.#off = this.desk.api.on('auth:deviceInterval', ({ clientId, intervalMs }) => {
      const progress = this.active[clientId];
      if (progress) {
        progress.intervalMs = intervalMs;
        progress.slowedDown = true;
      }
    });
    return () => this.#off?.();
  }

  begin = (clientId: string) =>
    this.desk.run(
      clientId,
      'signIn',
      async () => {
        this.active[clientId] = { view: null, intervalMs: null, slowedDown: false };
        try {
          const view = await unwrap(this.desk.api.authDeviceBegin({ clientId }));
          const progress = this.active[clientId];
          if (progress) Object.assign(progress, { view, intervalMs: view.intervalMs });
          return await unwrap(this.desk.api.authDeviceComplete({ clientId }));
        } finally {
          delete this.active[clientId];
        }
      },
      'done.signIn',
    );

  /** The user code is no secret (it is shown large): the renderer copies it itself. */
  copyCode = async (code: string) => {
    try {
      await navigator.clipboard.writeText(code);
      this.desk.announce({ key: 'done.copiedNoClear' });
    } catch (error) {
      this.desk.fail(error);
    }
  };

  cancel = (clientId: string) => unwrap(this.desk.api.authDeviceCancel({ clientId })).catch((error: unknown) => this.desk.fail(error));
}
