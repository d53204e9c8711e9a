/**
 * Launch at login (issue #14 item 6), so refresh and sinks keep running after a reboot. A run
 * started that way opens no window: it stays in the tray.
 * - macOS: a login item (app.setLoginItemSettings); `openAsHidden` is gone from Electron and
 *   does nothing on macOS 13+, so the app asks `wasOpenedAtLogin` instead.
 * - Windows: the Run registry key, with the --background flag as its argument.
 * - Linux: setLoginItemSettings does nothing there; an XDG autostart entry
 *   ($XDG_CONFIG_HOME/autostart/tokendesk.desktop, Desktop Application Autostart Specification)
 *   runs the app with --background.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';

/** The flag that starts the app in the tray, without a window (also used by `tokendesk` to start the agent). */
export const BACKGROUND_FLAG = '--background';

export interface LoginItemHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  /** The app folder Electron was given, when not packaged (`electron .`); null for a packaged app. */
  appPath: string | null;
}

export interface LoginItem {
  /** This run was started by the login item: stay in the tray. */
  openedAtLogin(): boolean;
  /** Registers or removes the login item. */
  apply(enabled: boolean): Promise<void>;
}

function currentHost(): LoginItemHost {
  return {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    execPath: process.execPath,
    appPath: app.isPackaged ? null : app.getAppPath(),
  };
}

export function createLoginItem(host: LoginItemHost = currentHost()): LoginItem {
  const command = launchCommand(host);
  if (host.platform === 'linux') {
    const file = autostartFile(host.env, host.home);
    return {
      openedAtLogin: () => false,
      apply: (enabled) => (enabled ? writeAutostart(file, command) : fs.rm(file, { force: true })),
    };
  }
  const [executable, ...args] = command;
  // Windows joins args into one command line ("take care to wrap paths in quotes", Electron's docs).
  const windows = host.platform === 'win32' ? { path: executable, args: args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)) } : {};
  return {
    openedAtLogin: () => host.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
    apply: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...windows }),
  };
}

/**
 * Keeps the login item in step with the setting; call the returned function after settings change.
 * At start an enabled item is written again (an update or a moved AppImage changes the path); a
 * disabled one is left alone, so an entry the user made in the system settings survives a restart.
 */
export function followLaunchAtLogin(item: LoginItem, enabled: () => boolean): () => Promise<void> {
  let applied: boolean | null = null;
  let started = false;
  return async () => {
    const next = enabled();
    if (!started) {
      started = true;
      if (!next) {
        applied = false;
        return;
      }
    }
    if (next === applied) return;
    applied = next;
    await item.apply(next).catch((error: unknown) => {
      applied = null;
      console.warn(`TokenDesk: launch at login could not be ${next ? 'set up' : 'removed'}: ${String(error)}`);
    });
  };
}

/**
 * What the login item runs. An AppImage's execPath lies inside a mount that changes on every run:
 * the image itself ($APPIMAGE) is what stays.
 */
export function launchCommand(host: LoginItemHost): string[] {
  const executable = (host.platform === 'linux' && host.env['APPIMAGE']) || host.execPath;
  return host.appPath ? [executable, host.appPath, BACKGROUND_FLAG] : [executable, BACKGROUND_FLAG];
}

/** XDG Base Directory: $XDG_CONFIG_HOME when set to an absolute path, else ~/.config. */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const configured = env['XDG_CONFIG_HOME'];
  const config = configured && path.isAbsolute(configured) ? configured : path.join(home, '.config');
  return path.join(config, 'autostart', 'tokendesk.desktop');
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=TokenDesk',
    'Comment=Keeps OAuth 2.0 tokens fresh in the background',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One argument of an Exec key (Desktop Entry Specification, "The Exec key"): quoted when it holds a
 * reserved character, with " ` $ \ escaped inside the quotes; then the string-value escape doubles
 * every backslash; % is doubled so that no argument reads as a field code.
 */
export function execArgument(argument: string): string {
  if (/[\n\r]/.test(argument)) throw new Error(`A launch path cannot hold a line break: ${JSON.stringify(argument)}`);
  const quoted = /^[\w./+:,@=-]+$/.test(argument) ? argument : `"${argument.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replaceAll('\\', '\\\\').replaceAll('%', '%%');
}

async function writeAutostart(file: string, command: string[]): Promise<void> {
  const text = desktopEntry(command);
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current === text) return;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Atomic: a session starting while this runs sees the old entry or the new one, never half of one.
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, text, { mode: 0o644 });
  await fs.rename(temp, file);
}
