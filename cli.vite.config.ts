/**
 * The command line bundle (`npm run build:cli`): main/cli/index.ts → out/cli/index.mjs for Node.
 * An SSR build (Node target, no browser shims) with code splitting kept: the commands and the full
 * core (axios, conf, zod, jose) land in separate chunks that index.mjs loads by dynamic import, so
 * `tokendesk token NAME` with a valid token parses only index.mjs. Node builtins and the runtime
 * dependencies stay external (they are installed beside the app).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

const runtimeDeps = Object.keys(pkg.dependencies);
const isExternal = (id: string): boolean =>
  id.startsWith('node:') ||
  builtinModules.includes(id) ||
  runtimeDeps.some((dep) => id === dep || id.startsWith(`${dep}/`));

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'main/cli/index.ts',
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node24',
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      external: isExternal,
      output: {
        format: 'es',
        entryFileNames: 'index.mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
      },
    },
  },
  ssr: { target: 'node' },
});
