/**
 * A temp folder that goes away once the test file that made it is done. Call it inside tests or
 * hooks; the folders are removed after the file's other afterAll hooks have run, before the run's
 * own check (test/helpers/temp-file.ts) looks for leftovers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when the first helper that imports this module loads, before the test file's hooks.
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
