/**
 * The editor agrees with the core (issue #13, rows 2, 12, 15), in the 880×560 minimum window:
 * required marks, defaults and every error come from the rules main refuses a client with
 * (main/model/client-rules.ts); the editor opens on its first field, asks before discarding typed
 * input, keeps its buttons in view; POD Shop has one host control and plain labels.
 * Each test states the bad behaviour it replaces.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { openDashboard } from '../helpers/e2e-steps';

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

/** Is the element's whole box inside the window (not below the fold, not cut off)? */
const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
  });

describe('the client editor', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ viewport: { width: 880, height: 560 } });
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function openNew(provider: string) {
    await h.page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = h.page.getByRole('dialog', { name: 'New client' });
    await dialog.locator('#f-provider').selectOption(provider);
    return dialog;
  }

  async function discard() {
    const dialog = h.page.getByRole('dialog');
    await h.page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => h.page.getByRole('dialog').count()).toBe(0);
  }

  test('row 2: every error at once beside its field, the required marks main enforces, the redirect default really used', async () => {
    const { page } = h;
    const dialog = await openNew('oauth2');
    await dialog.locator('#f-grant').selectOption('authorization_code');
    const error = (field: string) => dialog.locator(`[data-field="${field}"] .invalid`);
    const marked = (field: string) => dialog.locator(`label[for="f-${field}"] .req`).count();
    // Before: the secret had no mark, yet main refused the client without one. The redirect URI has a
    // default, so it is not required.
    expect(await marked('clientSecret')).toBe(1);
    expect(await marked('tokenUrl')).toBe(1);
    expect(await marked('redirectUri')).toBe(0);
    expect(await dialog.getByText('Default: http://127.0.0.1/callback').count()).toBe(1);

    // Every rule is checked as you type, beside its field.
    await dialog.locator('#f-tokenUrl').fill('http://id.example/token');
    expect(await error('tokenUrl').textContent()).toBe('Cleartext http:// to another computer: use https://, or allow insecure HTTP below.');
    await dialog.locator('#f-tokenUrl').fill('');

    await dialog.getByRole('button', { name: 'Create client' }).click();
    // Before: one server error per submit, below the fold, and focus on <body>.
    expect(await error('name').textContent()).toBe('Give the client a name.');
    expect(await error('clientId').textContent()).toBe('This field is required.');
    expect(await error('clientSecret').textContent()).toBe('This field is required.');
    expect(await error('authorizationUrl').textContent()).toBe('This field is required.');
    expect(await error('tokenUrl').textContent()).toBe('This field is required.');
    expect(await error('redirectUri').count()).toBe(0);
    expect(await dialog.getByRole('alert').textContent()).toBe('Fix the 5 highlighted fields.');
    expect(await activeId(page)).toBe('f-name');
    expect(await inView(page, 'dialog .buttons button[type="submit"]')).toBe(true);
    // Usable at 880×560 with every error shown: nothing sticks out of the window on the right.
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll('dialog *')].filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5).map((element) => element.outerHTML.slice(0, 60)),
    );
    expect(overflow).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'editor-errors-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'editor-errors-en');

    // Fixing a field clears its error at once; a public client needs no secret.
    await dialog.locator('#f-name').fill('Generic public');
    await dialog.locator('#f-clientId').fill('public-app');
    await dialog.locator('#f-authorizationUrl').fill(`${h.sandbox.url}/oauth2/authorize`);
    await dialog.locator('#f-tokenUrl').fill(`${h.sandbox.url}/oauth2/token`);
    expect(await error('tokenUrl').count()).toBe(0);
    expect(await error('clientSecret').textContent()).toBe('This field is required.');
    await dialog.locator('#f-clientAuth').selectOption('none');
    expect(await error('clientSecret').count()).toBe(0);
    expect(await marked('clientSecret')).toBe(0);
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { level: 1, name: 'Generic public' }).waitFor();
    // Before: "Default: http://127.0.0.1/callback" was shown, and Create failed with "needs a redirect URI".
    expect(h.desk.getClient('Generic public').config.redirectUri).toBe('http://127.0.0.1/callback');
  });

  test('row 2: an error in the folded advanced settings unfolds them and takes the focus', async () => {
    const { page } = h;
    const dialog = await openNew('oauth2');
    const advanced = dialog.locator('details.advanced');
    expect(await advanced.getAttribute('open')).toBeNull();
    expect(await dialog.locator('#f-refreshUrl').isVisible()).toBe(false);
    await dialog.locator('#f-name').fill('Folded');
    await dialog.locator('#f-clientId').fill('app');
    await dialog.locator('#f-clientSecret').fill('secret');
    await dialog.locator('#f-tokenUrl').fill(`${h.sandbox.url}/oauth2/token`);
    await advanced.locator(':scope > summary').click();
    await dialog.locator('#f-refreshUrl').fill('not an address');
    await advanced.locator(':scope > summary').click();
    await dialog.getByRole('button', { name: 'Create client' }).click();
    expect(await advanced.getAttribute('open')).not.toBeNull();
    expect(await activeId(page)).toBe('f-refreshUrl');
    expect(await dialog.locator('[data-field="refreshUrl"] .invalid').textContent()).toBe('Enter a full address starting with https:// or http://.');
    await discard();
  });

  test('row 12: the editor opens on its first field; Escape and Close ask before discarding typed input', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    // Before: focus on the × button.
    expect(await activeId(page)).toBe('f-provider');
    // Nothing typed: Escape leaves at once.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('button', { name: 'New client' }).first().click();
    await dialog.locator('#f-name').fill('Half typed');
    // Before: Escape closed the editor and the typed input was gone.
    await page.keyboard.press('Escape');
    expect(await dialog.getByRole('alert').textContent()).toBe('Discard the changes you made?');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
    await page.keyboard.press('Enter');
    expect(await dialog.locator('#f-name').inputValue()).toBe('Half typed');
    // A second Escape answers the question with "keep editing": typed input is never lost to a key.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    expect(await dialog.locator('#f-name').inputValue()).toBe('Half typed');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe('Discard the changes you made?');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('row 2: what only main can judge (a private key it cannot read) comes into view', async () => {
    const { page } = h;
    const dialog = await openNew('oauth2');
    await dialog.locator('#f-name').fill('Bad key');
    await dialog.locator('#f-clientId').fill('app');
    await dialog.locator('#f-grant').selectOption('client_credentials');
    await dialog.locator('#f-tokenUrl').fill(`${h.sandbox.url}/oauth2/token`);
    await dialog.locator('#f-clientAuth').selectOption('private_key_jwt');
    await dialog.locator('#f-privateKey').fill('not a key');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    const panel = dialog.locator('.error-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('That is not a private key');
    // Before: the server's one error sat below the fold, out of sight.
    await expect.poll(() => inView(page, 'dialog .error-panel')).toBe(true);
    await discard();
  });

  test('editing a generic client opens the advanced settings it uses', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Generic public' });
    // Created above without advanced settings: folded. Focus on the first field (the provider is fixed).
    expect(await dialog.locator('details.advanced').getAttribute('open')).toBeNull();
    expect(await activeId(page)).toBe('f-name');
    await dialog.locator('details.advanced > summary').click();
    await dialog.locator('#f-revocationUrl').fill(`${h.sandbox.url}/oauth2/revoke`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.desk.getClient('Generic public').config.generic?.revocationUrl).toBe(`${h.sandbox.url}/oauth2/revoke`);
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByRole('dialog', { name: 'Edit Generic public' }).locator('details.advanced').getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('row 12: the buttons stay in view on the longest form, at 880×560', async () => {
    const { page } = h;
    const dialog = await openNew('oauth2');
    await dialog.locator('details.advanced > summary').click();
    await dialog.locator('#f-name').focus();
    expect(await inView(page, 'dialog .buttons button[type="submit"]')).toBe(true);
    await dialog.locator('#f-fieldRefreshToken, [aria-label="refresh_token"]').first().scrollIntoViewIfNeeded();
    expect(await inView(page, 'dialog .buttons button[type="submit"]')).toBe(true);
    await discard();
  });

  test('row 15: POD Shop has one host control and plain labels', async () => {
    const { page } = h;
    const dialog = await openNew('podshop');
    const labels = await dialog.locator('div.field > label').allTextContents();
    // Before: an "Environment" select beside a "Base URL" field, and radios "(the table)" / "(the example)".
    expect(labels.map((label) => label.replace(/\s*\*$/, '').trim())).toEqual(['Provider', 'Name', 'Base URL', 'Client ID', 'Client key']);
    expect(await dialog.getByText('Default: https://dev-api.pod.shop').count()).toBe(1);
    const refreshForm = dialog.getByRole('group', { name: 'Refresh request form' });
    expect(await refreshForm.getByRole('radio').count()).toBe(2);
    expect(await refreshForm.textContent()).not.toMatch(/the table|the example/);
    expect(await refreshForm.getByLabel('In the request body (/ac/oauth/ext/token/refresh)').isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await discard();
  });

  test('Korean: the errors and the question are translated', async () => {
    const { page } = h;
    await page.locator('nav button[data-view="settings"]').click();
    await page.locator('#s-language').selectOption('ko');
    await page.locator('nav button[data-view="clients"]').click();
    await page.getByRole('button', { name: '새 클라이언트' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#f-provider').selectOption('daouoffice');
    await dialog.getByRole('button', { name: '클라이언트 만들기' }).click();
    expect(await dialog.locator('[data-field="clientId"] .invalid').textContent()).toBe('필수 항목입니다.');
    expect(await dialog.getByRole('alert').textContent()).toBe('표시된 항목 3개를 고치세요.');
    await page.keyboard.press('Escape');
    expect(await dialog.getByRole('alert').textContent()).toBe('바꾼 내용을 버릴까요?');
    await dialog.getByRole('button', { name: '버리기' }).click();
    await page.locator('nav button[data-view="settings"]').click();
    await page.locator('#s-language').selectOption('en');
  });
});
