import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir } from '../../../main/tokens/files';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-files-'));
  made.push(dir);
  return dir;
}
const mode = (dir: string): number => fs.statSync(dir).mode & 0o7777;

describe.skipIf(process.platform === 'win32')('ensurePrivateDir (issue #11, row 11)', () => {
  it('creates a missing directory, and its missing parents, 0700', () => {
    const dir = path.join(tempDir(), 'a', 'b');
    const warnings: string[] = [];
    ensurePrivateDir(dir, (message) => warnings.push(message));
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('never chmods an existing shared 1777 directory, and warns about it once per run', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o1777);
    const warnings: string[] = [];
    ensurePrivateDir(dir, (message) => warnings.push(message));
    ensurePrivateDir(dir, (message) => warnings.push(message));
    // Before: chmod 0700, and the sticky bit others relied on was gone.
    expect(mode(dir)).toBe(0o1777);
    expect(warnings).toEqual([
      `warning: other users can reach ${dir} (mode 1777). TokenDesk's files in it stay private (0600) and the directory is left as it is; run "chmod 700 ${dir}" if it should be yours alone.`,
    ]);
  });

  it('says nothing about a private directory', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o700);
    const warnings: string[] = [];
    ensurePrivateDir(dir, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
  });
});
