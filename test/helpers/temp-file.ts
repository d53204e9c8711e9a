/**
 * Every test file runs with this setup: TMPDIR is a folder of the file's own inside the run's
 * (temp-run.ts), named after the file, so os.tmpdir() there and in every process the file starts
 * lands in it. Once the file's own afterAll hooks are done the folder must be empty: leftovers
 * fail the file, listed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { leftoversIn } from './temp-leftovers';

// Short: an agent socket inside a data directory in here must stay under the 107-byte limit.
const name = path.basename(expect.getState().testPath ?? 'test', '.test.ts');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
process.env['TMPDIR'] = folder;

// Registered before the file's own hooks, so it runs after them (vitest runs after-hooks as a stack).
afterAll(() => {
  const left = leftoversIn(folder);
  if (left.length > 0) throw new Error(`This file left ${left.length} entries in the temp directory (${folder}):\n  ${left.join('\n  ')}`);
  fs.rmSync(folder, { recursive: true, force: true });
});
