/**
 * The few file operations the token store needs beyond conf: a private directory, a small file
 * written atomically (the key file), and a directory fsync so a rename survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Directories already warned about in this process: once per run is enough. */
const warnedDirs = new Set<string>();

/**
 * Creates the directory 0700. An existing one keeps its mode: it may be a shared 1777 directory
 * whose sticky bit others rely on, or one the user set up on purpose; chmod-ing it is not ours to
 * do. Where others can reach it, warn once per run; our files inside are 0600 whatever it is.
 */
export function ensurePrivateDir(dir: string, warn: (message: string) => void = (message) => console.warn(`TokenDesk: ${message}`)): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const mode = fs.statSync(dir).mode & 0o7777;
  if ((mode & 0o077) === 0 || warnedDirs.has(dir)) return;
  warnedDirs.add(dir);
  warn(
    `warning: other users can reach ${dir} (mode ${mode.toString(8).padStart(4, '0')}). TokenDesk's files in it stay private (0600) and the directory is left as it is; run "chmod 700 ${dir}" if it should be yours alone.`,
  );
}

/** A rename is durable only once the directory entry is on disk (POSIX leaves it to the caller). */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeTemp(file: string, data: string): string {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

/** Temp file (0600) + fsync + rename + directory fsync: readers see the old or the new file, never half. */
export function writeFileAtomic(file: string, data: string): void {
  const temp = writeTemp(file, data);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(path.dirname(file));
}

/**
 * Like writeFileAtomic, but only when `file` does not exist yet (link() fails with EEXIST), so two
 * processes creating it at once cannot both win. Returns false when the file was already there.
 */
export function createFileAtomic(file: string, data: string): boolean {
  const temp = writeTemp(file, data);
  try {
    fs.linkSync(temp, file);
    fsyncDir(path.dirname(file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
