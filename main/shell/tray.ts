/** The tray: TokenDesk keeps refreshing with its window closed; the tray shows the soonest expiry. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { ClientView } from '../model/types';
import { soonestExpiry } from '../core/views';

export interface TrayActions {
  onOpen(): void;
  onQuit(): void;
  /** The "Starts at login" checkbox was clicked: the new value. */
  onLaunchAtLogin(enabled: boolean): void;
}

export function createTray(actions: TrayActions): { update(clients: ClientView[], launchAtLogin: boolean): void } {
  const icon = nativeImage.createFromPath(join(import.meta.dirname, '../../build/tray.png'));
  const tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  tray.setToolTip('TokenDesk');
  tray.on('click', actions.onOpen);
  return {
    update(clients, launchAtLogin) {
      const soonest = soonestExpiry(clients, Date.now());
      const label = soonest ? `Next expiry: ${soonest.name} in ${soonest.remaining}` : 'No token expiring';
      tray.setToolTip(`TokenDesk — ${label}${launchAtLogin ? ' · starts at login' : ''}`);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label, enabled: false },
          { type: 'separator' },
          { label: 'Open TokenDesk', click: actions.onOpen },
          // Refresh and sinks only run while the app does: the tray says whether a reboot stops them.
          { label: 'Starts at login', type: 'checkbox', checked: launchAtLogin, click: () => actions.onLaunchAtLogin(!launchAtLogin) },
          { label: 'Quit', click: actions.onQuit },
        ]),
      );
    },
  };
}
