/**
 * Import in the app (issue #14 items 4 and 5): a file from the picker, a dropped collection with its
 * environment, a Bruno folder; the preview lists every client and everything skipped before
 * anything is saved, asks for the secrets a file lacked (a secret-less TokenDesk export), and the
 * imported clients get tokens from the sandbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, openDashboard } from '../helpers/e2e-steps';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');
const FIXTURE_ORIGIN = 'http://127.0.0.1:47999';

describe('import in the app', () => {
  let h: Harness;
  let dir: string;

  /** A fixture as a user would have it, pointing at this run's sandbox. */
  const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll(FIXTURE_ORIGIN, h.sandbox.url);

  async function openImport(page: Page) {
    await openDashboard(page);
    await page.getByRole('button', { name: 'Import' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Import clients' });
    await dialog.waitFor();
    return dialog;
  }

  beforeAll(async () => {
    h = await startHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-e2e-import-'));
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a TokenDesk export without secrets asks for the secret, then the client works (the old dialog failed here)', async () => {
    const { page } = h;
    await createClient(h, daouInput(h, { name: 'Shared Daou' }));
    const exported = await h.call('clients:export', { clientIds: [h.desk.getClient('Shared Daou').config.id], includeSecrets: false });
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.value).not.toContain(h.sandbox.credentials.daouoffice.clientSecret);
    const before = h.desk.listClients().length;

    const dialog = await openImport(page);
    await dialog.locator('input[type="file"]:not([webkitdirectory])').first().setInputFiles({ name: 'shared.json', mimeType: 'application/json', buffer: Buffer.from(exported.value as string) });
    await dialog.getByText('Chosen: shared.json').waitFor();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const candidate = dialog.locator('[data-candidate]');
    await candidate.first().waitFor();
    expect(await candidate.count()).toBe(1);
    expect(await candidate.textContent()).toContain('The client secret is not in the file');
    // Nothing is saved by the preview.
    expect(h.desk.listClients().length).toBe(before);
    const importButton = dialog.getByRole('button', { name: 'Import 1 clients' });
    expect(await importButton.isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    const name = (await candidate.locator('strong').textContent())!.trim();
    await dialog.getByLabel(`Client secret of ${name}`).fill(h.sandbox.credentials.daouoffice.clientSecret);
    await importButton.click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/1 clients imported/);
    const view = await h.desk.issue(name);
    expect(view.state).toBe('valid');
    expect(h.desk.getClient(name).hasSecret).toBe(true);
  });

  test('a dropped Postman collection and environment: every client and every skip listed; unticked ones are not created', async () => {
    const { page } = h;
    const dialog = await openImport(page);
    const collection = fixture('postman/sandbox-apis.postman_collection.json');
    const environment = fixture('postman/sandbox.postman_environment.json');
    // A real drop, as the browser delivers it: a DataTransfer with both files.
    await dialog.locator('[data-drop]').evaluate(
      (zone, files) => {
        const transfer = new DataTransfer();
        for (const file of files) transfer.items.add(new File([file.text], file.name, { type: 'application/json' }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [
        { name: 'sandbox.postman_environment.json', text: environment },
        { name: 'sandbox-apis.postman_collection.json', text: collection },
      ],
    );
    await dialog.getByText('Chosen: sandbox-apis.postman_collection.json').waitFor();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.locator('[data-candidate]').first().waitFor();
    const names = await dialog.locator('[data-candidate] strong').allTextContents();
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(await dialog.getByText(/^Postman collection: \d+ clients to create\.$/).count()).toBe(1);
    // The implicit grant is skipped, with its reason, before anything is saved.
    const skipped = dialog.locator('ul.skipped li');
    expect(await skipped.count()).toBe(1);
    expect(await skipped.textContent()).toContain('Old implicit');
    expect(await skipped.textContent()).toContain('The implicit grant is not supported');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'import-preview-en');

    const before = h.desk.listClients().length;
    const dropped = names[names.length - 1]!;
    await dialog.locator('[data-candidate]', { hasText: dropped }).getByRole('checkbox').uncheck();
    await dialog.getByRole('button', { name: `Import ${names.length - 1} clients` }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(h.desk.listClients().length).toBe(before + names.length - 1);
    expect(h.desk.listClients().some((client) => client.config.name === dropped)).toBe(false);
    // Secrets from the files were sealed, and the sandbox issues tokens to the clients.
    for (const name of names.slice(0, -1)) expect((await h.desk.issue(name)).state).toBe('valid');
  });

  test('a Bruno folder from the folder picker, in Korean: its environments offered, the secret Bruno keeps out of its files asked for', async () => {
    const { page } = h;
    const bruno = path.join(dir, 'my-collection');
    fs.cpSync(path.join(FIXTURES, 'bruno'), bruno, { recursive: true });
    for (const file of fs.readdirSync(bruno, { recursive: true }) as string[]) {
      const full = path.join(bruno, file);
      if (fs.statSync(full).isFile()) fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replaceAll(FIXTURE_ORIGIN, h.sandbox.url));
    }
    await h.desk.setSettings({ language: 'ko' });
    await page.reload();
    await page.locator('nav button[data-view="clients"]').click();
    await page.getByRole('button', { name: '가져오기' }).first().click();
    const dialog = page.getByRole('dialog', { name: '클라이언트 가져오기' });
    await dialog.locator('input[webkitdirectory]').setInputFiles(bruno);
    await dialog.getByText(/선택함: my-collection 폴더/).waitFor();
    expect(await dialog.getByLabel('Bruno 환경').locator('option').allTextContents()).toEqual(['첫 번째 환경', 'Sandbox']);
    await dialog.getByRole('button', { name: '미리보기' }).click();
    await dialog.locator('[data-candidate]').first().waitFor();
    // Bruno keeps a collection secret out of its files: the preview asks for it, in Korean.
    expect(await dialog.locator('[data-candidate]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('파일에 클라이언트 시크릿이 없습니다')]));
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '뒤로' }).click();
    await dialog.getByRole('button', { name: '취소' }).click();
    await h.desk.setSettings({ language: 'en' });
    await page.reload();
  });
});
