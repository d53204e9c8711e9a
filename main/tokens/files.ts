/**
 * The few file operations the token store needs beyond conf: a private directory, a small file
 * written atomically (the key file), and a directory fsync so a rename survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Creates the directory (0700) or narrows an existing one that others can read. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
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
