#!/usr/bin/env node
// `npm start`: build, make sure Electron's binary is there (the electron package fetches it on first
// use), and run the desktop app. Where the binary cannot be fetched, say so in one clear message.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary() {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist'), relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

// Built first: where Electron cannot start, the same pages serve `tokendesk ui` in a browser tab.
const build = spawnSync('electron-vite', ['build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (!electronBinary()) {
  console.log('TokenDesk: fetching the Electron binary (first start only)…');
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (install.status !== 0 || !electronBinary()) {
    const reason = (install.stderr || install.error?.message || '').split('\n').find((line) => line.trim()) ?? 'unknown error';
    console.error(
      [
        '',
        'TokenDesk could not start: the Electron binary could not be downloaded.',
        `  Reason: ${reason.trim()}`,
        '  What to do:',
        '   - behind a proxy or firewall, point Electron at a mirror you can reach and run `npm start` again:',
        '       ELECTRON_MIRROR=https://your-mirror.example/electron/ npm start',
        '   - or open the same app in a browser tab, without Electron (also over SSH):',
        '       npx tokendesk ui',
        '   - or use the command line:',
        '       npx tokendesk --help',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
}

const app = spawn(electronBinary(), ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
