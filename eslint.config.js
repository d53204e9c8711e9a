import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Only the thin shell may touch Electron: everything else runs (and is tested) under plain Node.
const electronShell = ['main/index.ts', 'main/preload.ts', 'main/shell/**/*.ts'];
const electron = { name: 'electron', message: 'Only the shell (main/index.ts, main/preload.ts, main/shell/) imports electron; take Electron services as parameters.' };

/**
 * The floors of main/ (STYLE.md "Floors and doors", issue #10): a folder never imports the ones
 * that stand on it, so the folder graph has no cycles (test/main/layers.test.ts checks both).
 * model (the ground floor) ← oauth, sandbox ← tokens ← core ← the doors: ipc, agent, web, cli, shell.
 */
const floors = {
  model: { forbid: ['*'], why: 'main/model is the ground floor: it imports nothing of the app.' },
  oauth: { forbid: ['tokens', 'core', 'ipc', 'agent', 'cli', 'web', 'shell', 'sandbox'], why: 'main/oauth stands on main/model only: pass what it needs as parameters.' },
  sandbox: { forbid: ['oauth', 'tokens', 'core', 'ipc', 'agent', 'cli', 'web', 'shell'], why: 'main/sandbox emulates providers on main/model only.' },
  tokens: { forbid: ['core', 'ipc', 'agent', 'cli', 'web', 'shell', 'sandbox'], why: 'main/tokens (the vault, the manager) never reaches up into core or the doors.' },
  core: { forbid: ['ipc', 'agent', 'cli', 'web', 'shell', 'sandbox'], why: 'main/core is the top floor: only the doors (ipc, agent, web, cli, shell) stand on it.' },
  ipc: { forbid: ['agent', 'cli', 'web', 'shell', 'sandbox'], why: 'main/ipc is one door: it shares the method table in core, not another door.' },
  agent: { forbid: ['ipc', 'cli', 'web', 'shell', 'sandbox'], why: 'main/agent is one door: it shares the method table in core, not another door.' },
  web: { forbid: ['cli', 'shell'], why: 'main/web is a door the CLI opens; it does not import the CLI or the shell.' },
  cli: { forbid: ['shell'], why: 'the command line never imports the Electron shell.' },
  shell: { forbid: ['cli', 'web', 'agent', 'ipc'], why: 'main/shell hands Electron services to the core; main/index.ts wires the doors.' },
};
const layerRules = Object.entries(floors).map(([folder, { forbid, why }]) => ({
  files: [`main/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      paths: folder === 'shell' ? [] : [electron],
      patterns: [{ regex: forbid[0] === '*' ? '^\\.\\./' : `^(\\.\\./)+(${forbid.join('|')})(/|$)`, message: why }],
    }],
  },
}));

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
      'no-restricted-imports': ['error', { paths: [electron] }],
    },
  },
  ...layerRules,
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
