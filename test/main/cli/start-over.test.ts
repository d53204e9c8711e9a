/**
 * Issue #11 row 3 through the command line: key.json deleted while store.json holds sealed values.
 * Before: a new key was made silently and every client then failed with "sign in again". Now every
 * command says the key is gone and leaves the store as it is; `tokendesk start-over` moves the old
 * store aside (kept) and begins an empty one, and does nothing while the key is in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { ensureCliBuilt, removeTempDataDirs, runCli, tempDataDir } from '../../helpers/cli';

beforeAll(async () => {
  await ensureCliBuilt();
}, 180_000);
afterAll(() => removeTempDataDirs());

describe('tokendesk start-over', () => {
  it('a missing key is named, the store kept; start-over moves it aside once, and only when the key is gone', { timeout: 120_000 }, async () => {
    const dataDir = tempDataDir();
    const desk = await TokenDesk.open({ dataDir });
    await desk.createClient({ name: 'daou', provider: 'daouoffice', clientId: 'id', clientSecret: 'secret' });
    await desk.close();
    const storeFile = path.join(dataDir, 'store.json');
    const before = fs.readFileSync(storeFile);
    fs.rmSync(path.join(dataDir, 'key.json'));

    const status = await runCli(['status'], { dataDir, standalone: true, timeoutMs: 60_000 });
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('is gone, while the store still holds secrets sealed with it');
    expect(status.stderr).toContain('tokendesk start-over');
    expect(fs.existsSync(path.join(dataDir, 'key.json'))).toBe(false);
    expect(fs.readFileSync(storeFile).equals(before)).toBe(true);

    const started = await runCli(['start-over'], { dataDir, timeoutMs: 60_000 });
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const kept = fs.readdirSync(dataDir).filter((name) => /^store\.keyless-.*\.json$/.test(name));
    expect(kept).toHaveLength(1);
    expect(started.stdout).toContain(path.join(dataDir, kept[0]!));
    expect(fs.readFileSync(path.join(dataDir, kept[0]!)).equals(before)).toBe(true);

    const after = await runCli(['clients', 'list', '--json'], { dataDir, standalone: true, timeoutMs: 60_000 });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);

    const again = await runCli(['start-over'], { dataDir, timeoutMs: 60_000 });
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to start over') });
    expect(fs.readdirSync(dataDir).filter((name) => name.includes('keyless'))).toHaveLength(1);
  });
});
