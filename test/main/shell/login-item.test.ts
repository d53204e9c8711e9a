/**
 * Launch at login under a mocked electron: the login item on macOS and Windows, and a real XDG
 * autostart entry in a temporary config folder on Linux.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoginItemHost } from '../../../main/shell/login-item';

const { loginItems } = vi.hoisted(() => ({ loginItems: { set: [] as unknown[], openedAtLogin: false } }));
vi.mock('electron', async () => {
  const base = (await import('../../mocks/electron')).electronMock();
  return {
    ...base,
    app: Object.assign(base.app, {
      getAppPath: () => '/home/dev/token desk',
      setLoginItemSettings: (settings: unknown) => loginItems.set.push(settings),
      getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: loginItems.openedAtLogin }),
    }),
  };
});

const { autostartFile, createLoginItem, desktopEntry, execArgument, followLaunchAtLogin } = await import('../../../main/shell/login-item');

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-login-item-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const host = (extra: Partial<LoginItemHost>): LoginItemHost => ({
  platform: 'linux',
  env: { XDG_CONFIG_HOME: path.join(temp, 'config') },
  home: path.join(temp, 'home'),
  execPath: '/opt/TokenDesk/tokendesk',
  appPath: null,
  ...extra,
});

/** The Exec line split back into arguments as a desktop environment does (string escapes, then quotes). */
function execArguments(entry: string): string[] {
  const exec = entry.split('\n').find((line) => line.startsWith('Exec='))!.slice('Exec='.length);
  const value = exec.replace(/\\\\/g, '\\');
  const args: string[] = [];
  for (const match of value.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    args.push((match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!).replaceAll('%%', '%'));
  }
  return args;
}

beforeEach(() => {
  loginItems.set.length = 0;
  loginItems.openedAtLogin = false;
});

describe('launch at login on Linux (XDG autostart)', () => {
  it('writes $XDG_CONFIG_HOME/autostart/tokendesk.desktop running the app with --background, and removes it', async () => {
    const item = createLoginItem(host({}));
    const file = path.join(temp, 'config', 'autostart', 'tokendesk.desktop');
    await item.apply(true);
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(entry).toContain('\nType=Application\n');
    expect(execArguments(entry)).toEqual(['/opt/TokenDesk/tokendesk', '--background']);
    expect(fs.statSync(file).mode & 0o022).toBe(0);
    expect(loginItems.set).toEqual([]);
    expect(item.openedAtLogin()).toBe(false);
    await item.apply(false);
    expect(fs.existsSync(file)).toBe(false);
    // Removing what is not there is not an error.
    await item.apply(false);
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('falls back on ~/.config when XDG_CONFIG_HOME is unset or relative (XDG Base Directory)', () => {
    expect(autostartFile({}, '/home/ann')).toBe('/home/ann/.config/autostart/tokendesk.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative/config' }, '/home/ann')).toBe('/home/ann/.config/autostart/tokendesk.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: '' }, '/home/ann')).toBe('/home/ann/.config/autostart/tokendesk.desktop');
  });

  it('runs the AppImage itself, not its temporary mount, and `electron <app folder>` when not packaged', async () => {
    const home = path.join(temp, 'home-appimage');
    const appImage = host({ env: { APPIMAGE: '/home/ann/Apps/Token Desk $1.AppImage' }, home });
    await createLoginItem(appImage).apply(true);
    const entry = fs.readFileSync(path.join(home, '.config', 'autostart', 'tokendesk.desktop'), 'utf8');
    expect(execArguments(entry)).toEqual(['/home/ann/Apps/Token Desk $1.AppImage', '--background']);
    expect(entry).toContain('Exec="/home/ann/Apps/Token Desk \\\\$1.AppImage" --background\n');
    expect(execArguments(desktopEntry(['/usr/lib/electron', '/src/token desk', '--background']))).toEqual(['/usr/lib/electron', '/src/token desk', '--background']);
  });

  it('quotes reserved characters, escapes backslashes twice and doubles %, so no argument reads as a field code', () => {
    const tricky = ['/a b/c"d`e\\f%u', "it's", '/plain/path-1.2'];
    expect(execArguments(desktopEntry(tricky))).toEqual(tricky);
    expect(execArgument('/plain/path-1.2')).toBe('/plain/path-1.2');
    expect(execArgument('100%')).toBe('"100%%"');
    expect(() => execArgument('/evil\nX-Other=1')).toThrow(/line break/);
  });

  it('rewrites an outdated entry atomically and leaves an identical one untouched', async () => {
    const home = path.join(temp, 'home-rewrite');
    const file = path.join(home, '.config', 'autostart', 'tokendesk.desktop');
    await createLoginItem(host({ env: {}, home, execPath: '/old/tokendesk' })).apply(true);
    await createLoginItem(host({ env: {}, home, execPath: '/new/tokendesk' })).apply(true);
    expect(execArguments(fs.readFileSync(file, 'utf8'))[0]).toBe('/new/tokendesk');
    const before = fs.statSync(file).mtimeMs;
    fs.utimesSync(file, new Date(0), new Date(0));
    await createLoginItem(host({ env: {}, home, execPath: '/new/tokendesk' })).apply(true);
    expect(fs.statSync(file).mtimeMs).toBe(0);
    expect(before).toBeGreaterThan(0);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['tokendesk.desktop']);
  });
});

describe('launch at login on macOS and Windows (app.setLoginItemSettings)', () => {
  it('macOS: registers and removes the login item, and a run it started stays in the tray', async () => {
    const item = createLoginItem(host({ platform: 'darwin', execPath: '/Applications/TokenDesk.app/Contents/MacOS/TokenDesk' }));
    await item.apply(true);
    await item.apply(false);
    expect(loginItems.set).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
    expect(item.openedAtLogin()).toBe(false);
    loginItems.openedAtLogin = true;
    expect(item.openedAtLogin()).toBe(true);
    expect(fs.existsSync(path.join(temp, 'config', 'autostart', 'tokendesk.desktop'))).toBe(false);
  });

  it('Windows: the Run key starts the executable with --background (the app folder quoted when not packaged)', async () => {
    await createLoginItem(host({ platform: 'win32', execPath: 'C:\\TokenDesk\\TokenDesk.exe' })).apply(true);
    await createLoginItem(host({ platform: 'win32', execPath: 'C:\\dev\\electron.exe', appPath: 'C:\\dev\\token desk' })).apply(false);
    expect(loginItems.set).toEqual([
      { openAtLogin: true, path: 'C:\\TokenDesk\\TokenDesk.exe', args: ['--background'] },
      { openAtLogin: false, path: 'C:\\dev\\electron.exe', args: ['"C:\\dev\\token desk"', '--background'] },
    ]);
    // Windows passes --background on the command line; only macOS asks the login item.
    loginItems.openedAtLogin = true;
    expect(createLoginItem(host({ platform: 'win32' })).openedAtLogin()).toBe(false);
  });
});

describe('following the setting', () => {
  it('refreshes an enabled item at start, leaves a disabled one alone, then applies each change once', async () => {
    const applied: boolean[] = [];
    let setting = false;
    const sync = followLaunchAtLogin({ openedAtLogin: () => false, apply: async (enabled) => void applied.push(enabled) }, () => setting);
    await sync();
    expect(applied).toEqual([]);
    setting = true;
    await sync();
    await sync();
    setting = false;
    await sync();
    expect(applied).toEqual([true, false]);

    const atStart: boolean[] = [];
    await followLaunchAtLogin({ openedAtLogin: () => false, apply: async (enabled) => void atStart.push(enabled) }, () => true)();
    expect(atStart).toEqual([true]);
  });

  it('a failure is logged and tried again at the next change', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let fail = true;
    const applied: boolean[] = [];
    const sync = followLaunchAtLogin(
      {
        openedAtLogin: () => false,
        apply: async (enabled) => {
          if (fail) throw new Error('EACCES: permission denied');
          applied.push(enabled);
        },
      },
      () => true,
    );
    await sync();
    expect(warn).toHaveBeenCalledWith('TokenDesk: launch at login could not be set up: Error: EACCES: permission denied');
    fail = false;
    await sync();
    expect(applied).toEqual([true]);
    warn.mockRestore();
  });
});
