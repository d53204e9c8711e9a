/**
 * The app's shared objects, built once in dependency order: the desk (what main knows), the
 * language (which follows the desk's settings), the clock and the view state. Components reach
 * them through the typed contexts in context.ts.
 */
import type { TokenDeskApi } from '../../../main/ipc/contract';
import { Clock } from './clock.svelte';
import { Desk } from './desk.svelte';
import { DeviceSignIns } from './device.svelte';
import { I18n } from './i18n/i18n.svelte';
import { Ui } from './ui.svelte';

export class AppState {
  readonly desk: Desk;
  readonly devices: DeviceSignIns;
  readonly i18n: I18n;
  readonly clock = new Clock();
  readonly ui = new Ui();

  constructor(api: TokenDeskApi) {
    this.desk = new Desk(api);
    this.devices = new DeviceSignIns(this.desk);
    const desk = this.desk;
    this.i18n = new I18n(() => desk.settings?.language ?? 'system');
  }

  start(): () => void {
    void this.desk.load();
    // After the first requests have gone out: main answers them meanwhile.
    const prepare = setTimeout(this.i18n.prepare, 0);
    const stopDevices = this.devices.start();
    this.clock.start();
    return () => {
      clearTimeout(prepare);
      stopDevices();
      this.clock.stop();
      this.desk.dispose();
    };
  }
}
