/**
 * Clients: the provider-aware editor (only the fields a provider needs, defaults shown, inline
 * validation), create, edit, duplicate, delete with confirmation, import/export with secrets left
 * out unless asked; settings: language switch and theme override; the app:info banner.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { openClient, openDashboard, row } from '../helpers/e2e-steps';

describe('clients', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the editor shows only the fields a provider needs, with its defaults', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    const labels = () => dialog.locator('.field > label').allTextContents().then((all) => all.map((l) => l.replace(/\s*\*$/, '').trim()));

    await dialog.getByLabel('Provider').selectOption('daouoffice');
    expect(await labels()).toEqual(['Provider', 'Name', 'Base URL', 'Client ID', 'Client secret']);
    expect(await dialog.getByText('Default: https://api.daouoffice.com').count()).toBe(1);

    await dialog.getByLabel('Provider').selectOption('hejhome');
    expect(await labels()).toEqual(expect.arrayContaining(['Redirect URI', 'Client secret']));

    await dialog.getByLabel('Provider').selectOption('podshop');
    // POD Shop documents one host, dev-api: it is the default, any other is typed (docs/providers.md §3).
    expect(await labels()).toEqual(expect.arrayContaining(['Base URL', 'Client key']));
    expect(await labels()).not.toContain('Environment');
    expect(await dialog.getByText('Default: https://dev-api.pod.shop').count()).toBe(1);
    expect(await dialog.getByRole('group', { name: 'Refresh request form' }).count()).toBe(1);

    await dialog.getByLabel('Provider').selectOption('itcode');
    expect(await dialog.getByLabel('Platform').locator('option').allTextContents()).toEqual(['naver', 'kakao', 'google', 'github']);

    await dialog.getByLabel('Provider').selectOption('oauth2');
    await dialog.getByLabel('Grant').selectOption('password');
    expect(await dialog.getByRole('note').textContent()).toContain('legacy');
    expect(await dialog.getByLabel('Username').count()).toBe(1);
    await dialog.getByLabel('Grant').selectOption('authorization_code');
    expect(await dialog.getByLabel('PKCE (S256)').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Authorization URL').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    // The provider changed: Cancel asks before discarding (issue #13, row 12).
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('inline validation: a missing name, a taken name, an address that is not one', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('daouoffice');
    await dialog.getByLabel('Base URL').fill('not a url');
    expect(await dialog.getByText('Enter a full address starting with https:// or http://.').count()).toBe(1);
    expect(await dialog.getByLabel('Base URL').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    expect(await dialog.getByText('Give the client a name.').count()).toBe(1);
    expect(await dialog.getByText('Fix the 4 highlighted fields.').count()).toBe(1);
    // The first invalid field takes the focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-name');
    await dialog.getByLabel('Name').fill('sandbox — daou office');
    expect(await dialog.getByText('Another client already has this name.').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('create, edit, duplicate and delete (with confirmation)', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).first().click();
    let dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('podshop');
    await dialog.getByLabel('Name').fill('POD staging');
    await dialog.getByLabel('Client ID').fill('pod-id');
    await dialog.getByLabel('Client key').fill('pod-key');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { level: 1, name: 'POD staging' }).waitFor();
    let view = h.desk.getClient('POD staging');
    expect(view.config.baseUrl).toBe('https://dev-api.pod.shop');
    expect(view.hasSecret).toBe(true);

    await page.getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit POD staging' });
    expect(await dialog.getByLabel('Name').inputValue()).toBe('POD staging');
    expect(await dialog.getByText('Leave empty to keep the stored secret.').count()).toBe(1);
    await dialog.getByLabel('Name').fill('POD prod');
    await dialog.getByLabel('Base URL').fill('https://pod.example.test');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'POD prod' }).waitFor();
    view = h.desk.getClient('POD prod');
    expect(view.config.baseUrl).toBe('https://pod.example.test');
    expect(view.hasSecret).toBe(true);

    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { level: 1, name: /^POD prod.+/ }).waitFor();
    const copyName = (await page.locator('#detail-title').textContent())!.trim();
    expect(h.desk.listClients().filter((c) => c.config.name.startsWith('POD prod'))).toHaveLength(2);

    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${copyName}?` });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(h.desk.listClients().some((c) => c.config.name === copyName)).toBe(true);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: `Delete ${copyName}?` }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    expect(h.desk.listClients().some((c) => c.config.name === copyName)).toBe(false);
    expect(await row(page, copyName).count()).toBe(0);
  });

  test('export leaves secrets out unless asked (with a warning); import brings clients back', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export clients' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const plain = await dialog.getByLabel('Exported JSON').inputValue();
    expect(plain).toContain('POD prod');
    expect(plain).not.toContain('pod-key');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await dialog.getByLabel('Include client secrets').check();
    expect(await dialog.getByRole('alert').textContent()).toContain('client secrets in plain text');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.getByLabel('Exported JSON').inputValue()).toContain('pod-key');
    const withSecrets = await dialog.getByLabel('Exported JSON').inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const before = h.desk.listClients().length;
    await page.getByRole('button', { name: 'Import' }).first().click();
    const importDialog = page.getByRole('dialog', { name: 'Import clients' });
    const pasteBox = importDialog.getByLabel('Or paste it here (curl commands, an exported file)');
    await pasteBox.fill('{ not json');
    await importDialog.getByRole('button', { name: 'Preview' }).click();
    await importDialog.getByRole('alert').waitFor();
    await pasteBox.fill(withSecrets);
    await importDialog.getByRole('button', { name: 'Preview' }).click();
    // The preview comes first; nothing is saved until Import.
    await importDialog.getByRole('button', { name: /^Import \d+ clients$/ }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(h.desk.listClients().length).toBeGreaterThan(before);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/\d+ clients imported/);
  });

  test('settings: switching the language and the theme takes effect at once and is saved', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ko');
    await page.getByRole('heading', { level: 1, name: '설정' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    expect(h.desk.getSettings().language).toBe('ko');
    await page.getByLabel('화면 모드').selectOption('dark');
    await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe('dark');
    // One palette through light-dark(): the dark half applies (#0f1216).
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(15, 18, 22)');
    // The lasting banner (no OS keychain here) follows the language.
    expect(await page.getByRole('region', { name: '경고' }).textContent()).toContain('OS 키체인');
    await page.getByLabel('언어').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByLabel('Appearance').selectOption('system');
    await expect.poll(() => page.getAttribute('html', 'data-theme')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('notices: the badge counts them and they can be dismissed', async () => {
    const { page } = h;
    await h.emit('notices:changed', [{ id: 'n1', clientId: null, kind: 'info', message: 'Hello from main', at: Date.now() }]);
    await page.getByRole('button', { name: 'Notices (1)' }).click();
    expect(await page.getByRole('region', { name: 'Notices' }).textContent()).toContain('Hello from main');
    await page.getByRole('button', { name: 'Dismiss: Hello from main' }).click();
    await page.getByRole('button', { name: 'Notices (0)' }).waitFor();
  });

  test('a client opens from its list row', async () => {
    await openClient(h.page, 'POD prod');
    expect(await h.page.getByRole('button', { name: 'Issue token' }).count()).toBe(1);
  });
});
