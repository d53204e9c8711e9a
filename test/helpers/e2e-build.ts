/**
 * Builds the renderer alone (the same settings as electron.vite.config.ts's renderer section) when
 * out/renderer is missing or older than renderer/**: the e2e tests can run without a full
 * `electron-vite build`, and never against a stale bundle.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = join(ROOT, 'out/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<string> {
  const index = join(RENDERER_OUT, 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'renderer')), statSync(join(ROOT, 'main/ipc/contract.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return RENDERER_OUT;
  const { build } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  await build({
    configFile: false,
    root: join(ROOT, 'renderer'),
    // electron-vite's renderer defaults: relative asset paths (file://), modern Chromium only.
    base: './',
    logLevel: 'warn',
    plugins: [svelte()],
    build: { outDir: RENDERER_OUT, emptyOutDir: true, target: 'chrome130', modulePreload: { polyfill: false } },
  });
  return RENDERER_OUT;
}
