import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Only the thin shell may touch Electron: everything else runs (and is tested) under plain Node.
const electronShell = ['main/index.ts', 'main/preload.ts', 'main/shell/**/*.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'renderer/**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['main/**/*.ts', 'renderer/**/*.ts'],
    ignores: electronShell,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only the shell (main/index.ts, main/preload.ts, main/shell/) imports electron; take Electron services as parameters.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
