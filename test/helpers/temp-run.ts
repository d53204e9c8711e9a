/**
 * vitest globalSetup: the run gets a temp folder of its own. TMPDIR points there for the workers
 * and for every process they start (CLI, agent, Chromium), so whatever a test leaves behind in
 * the temp directory lands here instead of the shared one; at the end of the run it is listed and
 * the run fails (issue #10: tests remove what they create). test/helpers/temp-file.ts gives each
 * test file a folder of its own inside this one, so a leftover names the file that left it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftoversIn } from './temp-leftovers';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-run-'));
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    const left = leftoversIn(root);
    fs.rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(`The tests left ${left.length} entries in the temp directory (removed now):\n  ${left.join('\n  ')}`);
    }
  };
}
