/** What a test run or a test file left in its temp folder (temp-run.ts, temp-file.ts). */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Caches that tools keep in the temp directory on purpose and reuse across runs: Node's compile
 * cache (vite's and eslint's command lines turn it on in the processes the tests start). Removed
 * with the folder, never reported.
 */
const CACHES = new Set(['node-compile-cache']);

/**
 * The agent's per-user socket folder, `tokendesk-<uid>` (main/agent/protocol.ts), made when a data
 * directory's path is too long for a socket (a long TMPDIR, as on macOS). It is meant to outlive
 * the app, as tmux's is; only what is left inside it counts.
 */
const emptyAgentFolder = (entry: fs.Dirent, full: string): boolean =>
  entry.isDirectory() && /^tokendesk-(\d+|user)$/.test(entry.name) && fs.readdirSync(full).length === 0;

/** Entries under `dir`, as paths relative to it: a folder's contents rather than the folder, two levels deep. */
export function leftoversIn(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (depth === 0 && CACHES.has(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (depth === 0 && emptyAgentFolder(entry, full)) continue;
      const inside = entry.isDirectory() && depth < 1 ? fs.readdirSync(full) : [];
      if (inside.length > 0) walk(full, depth + 1);
      else found.push(`${path.relative(dir, full)}${entry.isDirectory() ? '/' : ''}`);
    }
  };
  if (fs.existsSync(dir)) walk(dir, 0);
  return found;
}
