import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the test suite and unhandled rejections (issue #11, item 8)', () => {
  it('fails the test that left a rejection unhandled, naming it, and only that test', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/unhandled/vitest.config.ts', '--reporter', 'verbose'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toContain('Unhandled rejection or uncaught exception during this test');
    expect(output).toContain('the notice could not be written');
    expect(output).toMatch(/1 failed \| 1 passed/);
  });
});
