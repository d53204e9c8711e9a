/** The tray: TokenDesk keeps refreshing with its window closed; the tray shows the soonest expiry. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { ClientView } from '../model/types';
import { soonestExpiry } from '../core/views';

export function createTray(actions: { onOpen(): void; onQuit(): void }): { update(clients: ClientView[]): void } {
  const icon = nativeImage.createFromPath(join(import.meta.dirname, '../../build/tray.png'));
  const tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  tray.setToolTip('TokenDesk');
  tray.on('click', actions.onOpen);
  return {
    update(clients) {
      const soonest = soonestExpiry(clients, Date.now());
      const label = soonest ? `Next expiry: ${soonest.name} in ${soonest.remaining}` : 'No token expiring';
      tray.setToolTip(`TokenDesk — ${label}`);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label, enabled: false },
          { type: 'separator' },
          { label: 'Open TokenDesk', click: actions.onOpen },
          { label: 'Quit', click: actions.onQuit },
        ]),
      );
    },
  };
}
