/**
 * Issue #11, row 1: an agent socket another local user made first. The "other user" is played by
 * this user with a 0777 directory or a 0666 socket (what another account could do to a shared
 * temp directory); the real command line must send it nothing and fall back to standalone, and
 * the app must refuse to listen there.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer } from '../../../main/agent/server';
import { socketDistrust } from '../../../main/agent/trust';
import { TokenDesk } from '../../../main/core/desk';
import { ensureCliBuilt, runCli } from '../../helpers/cli';

const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A listener that speaks just enough of the agent protocol to hand out its own token. */
function impostor(socketPath: string): Promise<{ requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        requests.push(line);
        const { id, method } = JSON.parse(line) as { id: number; method: string };
        const value = method === 'hello' ? { version: 1, pid: 1, app: 'TokenDesk' } : { accessToken: 'IMPOSTOR-TOKEN', tokenType: 'Bearer', expiresAt: null };
        socket.write(`${JSON.stringify({ id, ok: true, value })}\n`);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(socketPath, () =>
      resolve({ requests, close: () => new Promise<void>((done) => server.close(() => done())) }),
    ),
  );
}

describe.skipIf(process.platform === 'win32')('agent socket trust (issue #11, row 1)', { timeout: 300_000 }, () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('names what is wrong: a directory or socket others can write, a symlink, another owner', () => {
    const root = tempDir('td-trust-');
    const dir = path.join(root, 'sock');
    fs.mkdirSync(dir, { mode: 0o700 });
    expect(socketDistrust(path.join(dir, 'a.sock'))).toBeNull();
    fs.chmodSync(dir, 0o777);
    expect(socketDistrust(path.join(dir, 'a.sock'))).toBe(`other users can write to ${dir} (mode 0777)`);
    fs.chmodSync(dir, 0o700);
    const link = path.join(root, 'link');
    fs.symlinkSync(dir, link);
    expect(socketDistrust(path.join(link, 'a.sock'))).toBe(`${link} is not a directory (a symbolic link or another file is in its place)`);
  });

  it('the command line sends nothing to a socket in a 0777 directory (or a 0666 socket) and works standalone', async () => {
    // A data directory too long for a socket path, no XDG_RUNTIME_DIR: the shared temp fallback.
    const tmp = tempDir('td-trust-tmp-');
    const dataDir = path.join(tempDir('td-trust-data-'), 'a-rather-long-folder-name-for-the-data'.repeat(2), 'tokendesk-data');
    const env = { TMPDIR: tmp, XDG_RUNTIME_DIR: undefined };
    const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
    // Where defaultSocketPath puts it for the command line, whose os.tmpdir() is TMPDIR.
    const socketPath = path.join(tmp, `tokendesk-${process.getuid!()}`, `${hash}.sock`);
    fs.mkdirSync(path.dirname(socketPath), { mode: 0o777 });
    fs.chmodSync(path.dirname(socketPath), 0o777);
    const other = await impostor(socketPath);
    try {
      const added = await runCli(['clients', 'add', 'x', '--provider', 'daouoffice', '--client-id', 'id', '--client-secret-stdin'], {
        dataDir,
        stdin: 'the-real-secret\n',
        env,
      });
      // Before: the secret went to that socket, and `token` printed that user's token.
      expect(added.code, added.stderr).toBe(0);
      expect(added.stderr).toBe(
        `tokendesk: not using the agent socket ${socketPath}: other users can write to ${path.dirname(socketPath)} (mode 0777), so it may not be TokenDesk's; nothing was sent to it. Working on ${dataDir} directly (standalone); remove that socket if it is yours.\n`,
      );
      const token = await runCli(['token', 'x'], { dataDir, env });
      expect(token.stdout).not.toContain('IMPOSTOR-TOKEN');

      // The directory made private again but the socket left 0666: still refused.
      fs.chmodSync(path.dirname(socketPath), 0o700);
      fs.chmodSync(socketPath, 0o666);
      const status = await runCli(['status'], { dataDir, env });
      expect(status.stderr).toContain(`not using the agent socket ${socketPath}: other users can write to ${socketPath} (mode 0666)`);
      expect(other.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('the app refuses to listen in a directory others can write to', async () => {
    const dataDir = tempDir('td-trust-app-');
    const socketDir = path.join(tempDir('td-trust-shared-'), 'shared');
    fs.mkdirSync(socketDir);
    fs.chmodSync(socketDir, 0o777);
    const desk = await TokenDesk.open({ dataDir });
    try {
      await expect(startAgentServer(desk, { socketPath: path.join(socketDir, 'a.sock') })).rejects.toMatchObject({
        code: 'storage',
        message: `Other users can write to the agent socket directory ${socketDir} (mode 0777), so TokenDesk will not listen there; remove it and start TokenDesk again.`,
      });
      expect(fs.statSync(socketDir).mode & 0o777).toBe(0o777);
    } finally {
      await desk.close();
    }
  });
});
