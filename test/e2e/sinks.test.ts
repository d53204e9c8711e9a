/**
 * Sinks in the client's detail (issue #14 item 3): add a .env sink and see the token land in the
 * file with every other line kept; a sink whose folder is missing shows its failure at once and
 * after the next refresh, while the refresh itself succeeds; remove a sink.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, detail, openClient } from '../helpers/e2e-steps';

describe('sinks in the client detail', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-e2e-sinks-'));
    await createClient(h, daouInput(h, { name: 'Daou sinks' }));
    await h.desk.issue('Daou sinks');
    await openClient(h.page, 'Daou sinks');
    await h.page.getByRole('tab', { name: 'Sinks' }).click();
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a .env sink gets the current token at once, keeping every other line; it is listed, and removed', async () => {
    const { page } = h;
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, '# my project\nPORT=3000\nDAOU_TOKEN=old\nDEBUG=1\n');
    const panel = detail(page).getByRole('region', { name: 'Sinks' });
    expect(await panel.getByText('No sinks yet.').count()).toBe(1);

    await panel.getByLabel('Kind').selectOption('dotenv');
    await panel.getByLabel('File', { exact: true }).fill(envFile);
    await panel.getByLabel('Variable name').fill('DAOU_TOKEN');
    await panel.getByRole('button', { name: 'Add sink' }).click();
    await panel.getByRole('status').filter({ hasText: 'Added; the current token is written there.' }).waitFor();
    const token = await h.desk.reveal('Daou sinks', 'access');
    expect(fs.readFileSync(envFile, 'utf8')).toBe(`# my project\nPORT=3000\nDAOU_TOKEN='${token}'\nDEBUG=1\n`);
    expect(fs.statSync(envFile).mode & 0o777).toBe(0o600);
    await panel.locator(`[data-sink="${envFile}"]`).waitFor();
    expect(await panel.locator(`[data-sink="${envFile}"]`).textContent()).toContain('.env variable');
    expect(await axeViolations(page)).toEqual([]);

    // Refreshed: the file follows.
    await h.desk.refresh('Daou sinks');
    const fresh = await h.desk.reveal('Daou sinks', 'access');
    expect(fresh).not.toBe(token);
    expect(fs.readFileSync(envFile, 'utf8')).toContain(`DAOU_TOKEN='${fresh}'`);

    await panel.getByRole('button', { name: `Remove the sink ${envFile}` }).click();
    await expect.poll(() => panel.locator('[data-sink]').count()).toBe(0);
    expect(h.desk.getClient('Daou sinks').config.sinks ?? []).toEqual([]);
  });

  test('a sink whose folder is missing: the failure shows when it is added and after a refresh, which still succeeds', async () => {
    const { page } = h;
    const missing = path.join(dir, 'no-such-folder', 'token.txt');
    const panel = detail(page).getByRole('region', { name: 'Sinks' });
    await panel.getByLabel('Kind').selectOption('file');
    expect(await panel.getByLabel('Variable name').count()).toBe(0);
    await panel.getByLabel('File', { exact: true }).fill(missing);
    await panel.getByRole('button', { name: 'Add sink' }).click();
    const failure = panel.getByRole('alert').filter({ hasText: 'Added, but writing the token there failed' });
    await failure.waitFor();
    expect(await failure.textContent()).toContain('its folder does not exist (ENOENT)');

    const view = await h.desk.refresh('Daou sinks');
    expect(view.state).toBe('valid');
    // The notice names the sink and the cause, in the panel as in Notices.
    const notice = panel.getByRole('alert').filter({ hasText: 'could not be written' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`${missing} (token file): its folder does not exist (ENOENT).`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sinks-failing-en');

    fs.mkdirSync(path.dirname(missing));
    await h.desk.refresh('Daou sinks');
    await expect.poll(() => notice.count()).toBe(0);
    expect(fs.readFileSync(missing, 'utf8')).toBe(await h.desk.reveal('Daou sinks', 'access'));
  });

  test('in Korean: a relative path is refused with the reason, a failing first write says why', async () => {
    const { page } = h;
    await h.desk.setSettings({ language: 'ko' });
    await page.reload();
    await openClient(page, 'Daou sinks');
    await page.getByRole('tab', { name: '내보내기' }).click();
    const panel = detail(page).getByRole('region', { name: '내보내기 대상' });
    await panel.getByLabel('종류').selectOption('file');
    await panel.getByLabel('파일', { exact: true }).fill('relative/token.txt');
    await panel.getByRole('button', { name: '대상 추가' }).click();
    const refusal = panel.getByRole('alert').filter({ hasText: '절대 경로' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('"relative/token.txt"');

    await panel.getByLabel('파일', { exact: true }).fill(path.join(dir, 'missing-ko', 'token.txt'));
    await panel.getByRole('button', { name: '대상 추가' }).click();
    const failure = panel.getByRole('alert').filter({ hasText: '추가했지만 토큰을 쓰지 못했습니다' });
    await failure.waitFor();
    expect(await failure.textContent()).toContain('폴더가 없습니다(ENOENT).');
    await h.desk.setSettings({ language: 'en' });
  });
});
