/**
 * The client list and its detail (master–detail): every client with its state and a live countdown
 * driven by one clock; search, state filter, sort and grouping pinned above; the keyboard paths
 * (arrows, Enter, `/`, the copy shortcut); errors in the user's language; both languages and schemes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, detail, detailButton, openClient, openDashboard, podInput, press, row } from '../helpers/e2e-steps';

const DAOU = 'Sandbox — Daou Office';

describe('client list and detail (English)', () => {
  let h: Harness;

  beforeAll(async () => {
    // POD Shop tokens live 4 s here, so one expires while we watch.
    h = await startHarness({ sandbox: { lifetimes: { podAccess: 4, daouAccess: 86_400 } } });
    await createClient(h, daouInput(h, { name: 'Daou broken', clientSecret: 'wrong-secret' }));
    await createClient(h, podInput(h, { name: 'POD short', autoRefresh: false }));
    await h.page.reload();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('issuing shows progress in the row, then the valid state and a countdown that says what is left', async () => {
    const { page } = h;
    const daou = row(page, DAOU);
    h.sandbox.faults.set('daou.token', 'latency', { ms: 1200, times: 1 });
    await press(page, DAOU, 'Issue token');
    await expect.poll(() => daou.getAttribute('aria-busy')).toBe('true');
    await expect.poll(() => daou.locator('[data-state="busy"]').textContent()).toContain('Issuing a token…');
    await expect.poll(() => daou.getAttribute('data-state'), { timeout: 5000 }).toBe('valid');
    expect(await daou.getAttribute('aria-busy')).toBe('false');
    // "5m" alone does not say whether it is gone or left (issue #13, row 13).
    expect(await daou.locator('.time').textContent()).toMatch(/^(23h 59m|1d) left$/);
    expect(await detail(page).locator('.countdown .time').first().textContent()).toMatch(/^23h 59m|^1d$/);
  });

  test('a short-lived token counts down second by second and turns expired', async () => {
    const { page } = h;
    const pod = row(page, 'POD short');
    await press(page, 'POD short', 'Issue token');
    await expect.poll(() => pod.getAttribute('data-state')).toBe('valid');
    const countdown = pod.locator('.time');
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await countdown.textContent()) ?? '');
          return seen.size;
        },
        { timeout: 5000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(3);
    await expect.poll(() => pod.getAttribute('data-state'), { timeout: 8000 }).toBe('expired');
    // The core may announce the expiry a moment before the renderer's once-a-second clock ticks.
    await expect.poll(() => countdown.textContent(), { timeout: 1500 }).toBe('expired');
  });

  test('a failed issue: the app’s sentence first, the provider’s words quoted beneath (toast and detail)', async () => {
    const { page } = h;
    const broken = row(page, 'Daou broken');
    await press(page, 'Daou broken', 'Issue token');
    await expect.poll(() => broken.getAttribute('data-state')).toMatch(/^(error|needs_signin)$/);
    const toast = page.locator('.toast[data-kind="error"]');
    await toast.waitFor();
    // Before issue #13 the toast showed only the provider's Korean sentence.
    expect(await toast.locator('.sentence').textContent()).toMatch(/^The provider rejected the request\.|^Sign in again/);
    expect(await toast.locator('q').textContent()).toBe('연동비밀키(clientSecret)를 확인하세요');
    const panel = detail(page).locator('.error-panel');
    expect(await panel.getByRole('heading').textContent()).toMatch(/The provider rejected the request\.|Sign in again/);
    expect(await panel.locator('q').textContent()).toBe('연동비밀키(clientSecret)를 확인하세요');
  });

  test('clients without a token say so; the detail offers what their capabilities allow', async () => {
    const { page } = h;
    const hejhome = row(page, 'Sandbox — Hejhome');
    expect(await hejhome.getAttribute('data-state')).toBe('none');
    await openClient(page, 'Sandbox — Hejhome');
    expect(await detailButton(page, 'Sign in').count()).toBe(1);
    expect(await detailButton(page, 'Issue token').count()).toBe(0);
    await press(page, 'Sandbox — POD Shop', 'Copy Basic header');
    const { clientId, clientSecret } = h.sandbox.credentials.podshop;
    await expect.poll(() => h.clipboard.at(-1)).toBe(`Authorization: Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
  });

  test('a row copies its token as a header (issue #13, row 9)', async () => {
    const { page } = h;
    const copy = row(page, DAOU).getByRole('button', { name: `Copy the token of ${DAOU} as a header` });
    await copy.click();
    await expect.poll(() => h.clipboard.at(-1)).toBe(`Authorization: Bearer ${await h.desk.reveal(DAOU, 'access')}`);
    // No token, nothing to copy: the button is not offered.
    expect(await row(page, 'Sandbox — Hejhome').getByRole('button', { name: /^Copy the token/ }).isVisible()).toBe(false);
  });

  test('search, filter by state, sort by expiry, group by provider and environment', async () => {
    const { page } = h;
    const names = () => page.locator('[data-client-id] button.open .name').allTextContents().then((all) => all.map((n) => n.trim()));

    await page.getByRole('searchbox', { name: 'Search clients' }).fill('pod');
    await expect.poll(names).toEqual(['POD short', 'Sandbox — POD Shop']);
    await page.getByRole('searchbox', { name: 'Search clients' }).fill('');

    const brokenState = (await row(page, 'Daou broken').getAttribute('data-state')) ?? 'error';
    await page.getByLabel('State', { exact: true }).selectOption(brokenState);
    await expect.poll(names).toEqual(['Daou broken']);
    await page.getByLabel('State', { exact: true }).selectOption('all');

    await page.getByLabel('Sort by', { exact: true }).selectOption('expiry');
    const sorted = await names();
    expect(sorted.slice(0, 2)).toEqual(['POD short', DAOU]);

    await page.getByLabel('Group by', { exact: true }).selectOption('provider');
    await expect.poll(() => page.locator('.group').allTextContents()).toEqual(expect.arrayContaining(['Daou Office (2)', 'POD Shop (2)', 'Hejhome (1)']));
    await page.getByLabel('Group by', { exact: true }).selectOption('env');
    await expect.poll(() => page.locator('.group').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Sandbox \(\d+\)$/)]));
    await page.getByLabel('Group by', { exact: true }).selectOption('none');
    await page.getByLabel('Sort by', { exact: true }).selectOption('name');
  });

  test('keyboard: / searches, arrows move the selection, Enter opens, Ctrl+Shift+C copies from the list', async () => {
    const { page } = h;
    await page.locator('.detail-pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');

    await openClient(page, 'Daou broken');
    await row(page, 'Daou broken').locator('button.open').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('heading', { level: 1, name: 'POD short' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('[data-client-id]')?.textContent)).toContain('POD short');
    await page.keyboard.press('ArrowDown');
    await page.getByRole('heading', { level: 1, name: DAOU }).waitFor();
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => h.clipboard.at(-1)).toBe(`Authorization: Bearer ${await h.desk.reveal(DAOU, 'access')}`);
    await page.keyboard.press('ArrowUp');
    await page.getByRole('heading', { level: 1, name: 'POD short' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
  });

  test('keyboard: Ctrl+N opens the editor, Escape closes it', async () => {
    const { page } = h;
    await page.locator('.detail-pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+n');
    await page.getByRole('dialog', { name: 'New client' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  test('no serious or critical accessibility violation; screenshot', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await screenshot(h.page, 'dashboard-en');
    const problems = await h.problems();
    expect(problems.csp).toEqual([]);
  });
});

describe('client list and detail (Korean, dark)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ locale: 'ko-KR', colorScheme: 'dark', sandbox: { lifetimes: { daouAccess: 86_400 } } });
    await createClient(h, daouInput(h, { name: '다우 잘못된 키', clientSecret: 'wrong-secret' }));
    await h.page.reload();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the language follows navigator.language: Korean labels, states and durations', async () => {
    const { page } = h;
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await page.getByRole('heading', { level: 1, name: '클라이언트' }).waitFor();
    const daou = row(page, DAOU);
    await press(page, DAOU, '토큰 발급');
    await expect.poll(() => daou.locator('[data-state]').first().textContent()).toBe('유효');
    expect(await daou.locator('.time').textContent()).toMatch(/시간|일/);
  });

  test('errors read in Korean: the app’s sentence translated, main’s English text not shown (issue #13, rows 5 and 6)', async () => {
    const { page } = h;
    await press(page, '다우 잘못된 키', '토큰 발급');
    const panel = detail(page).locator('.error-panel');
    await panel.waitFor();
    const heading = (await panel.getByRole('heading').textContent()) ?? '';
    expect(heading).toMatch(/[가-힣]/);
    expect(heading).not.toMatch(/[A-Za-z]{4,}/);
    expect(await panel.locator('q').textContent()).toBe('연동비밀키(clientSecret)를 확인하세요');
    expect(await panel.textContent()).not.toContain('rejected the token request');
  });

  test('no serious or critical accessibility violation in dark mode; screenshot', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await screenshot(h.page, 'dashboard-ko');
  });
});
