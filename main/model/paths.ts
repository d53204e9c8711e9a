/**
 * Where the data lives: one answer for the Electron shell and the command line, so both find the
 * same store without configuration. Plain node:os/path, cheap enough for the CLI's fast path.
 */
import os from 'node:os';
import path from 'node:path';

/**
 * The data directory: --data-dir, else TOKENDESK_HOME, else where Electron puts the app's
 * userData (app.getPath('userData') for the package name "tokendesk").
 */
export function resolveDataDir(flag: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env['TOKENDESK_HOME']) return path.resolve(env['TOKENDESK_HOME']);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'tokendesk');
  if (process.platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'tokendesk');
  return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'tokendesk');
}
