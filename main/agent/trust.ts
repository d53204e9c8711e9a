/**
 * Whether an agent socket can be trusted, checked the way ssh-agent and tmux check theirs: with
 * lstat (a symlink is not followed to somewhere else), the socket and its directory must belong to
 * this user and be writable by no one else. A socket another local user made first (in a shared
 * temp directory, say) would otherwise receive our client secrets and hand us its tokens.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Null when the socket (or where it would be) is ours alone; otherwise what is wrong, in words. */
export function socketDistrust(socketPath: string): string | null {
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  const dir = path.dirname(socketPath);
  const wrong = (file: string, stat: fs.Stats, kind: 'directory' | 'socket'): string | null => {
    if (kind === 'directory' ? !stat.isDirectory() : !stat.isSocket()) return `${file} is not a ${kind} (a symbolic link or another file is in its place)`;
    if (uid !== undefined && stat.uid !== uid) return `${file} belongs to another user (uid ${stat.uid})`;
    if ((stat.mode & 0o022) !== 0) return `other users can write to ${file} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')})`;
    return null;
  };
  let dirStat: fs.Stats;
  try {
    dirStat = fs.lstatSync(dir);
  } catch {
    return null;
  }
  const dirProblem = wrong(dir, dirStat, 'directory');
  if (dirProblem) return dirProblem;
  let socketStat: fs.Stats;
  try {
    socketStat = fs.lstatSync(socketPath);
  } catch {
    return null;
  }
  return wrong(socketPath, socketStat, 'socket');
}
