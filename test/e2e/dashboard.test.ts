/**
 * The dashboard: every client with its state, live countdowns driven by one clock, next refresh and
 * last error; search, state filter, sort by expiry, grouping; actions with progress; both languages.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, openDashboard, podInput, row } from '../helpers/e2e-steps';

describe('dashboard (English)', () => {
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

  test('issuing from a row shows progress, then the valid state and a countdown that moves', async () => {
    const { page } = h;
    const daou = row(page, 'Sandbox — Daou Office');
    h.sandbox.faults.set('daou.token', 'latency', { ms: 1200, times: 1 });
    await daou.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => daou.getAttribute('aria-busy')).toBe('true');
    await expect.poll(() => daou.locator('[data-state="busy"]').textContent()).toContain('Issuing a token…');
    await expect.poll(() => daou.getAttribute('data-state'), { timeout: 5000 }).toBe('valid');
    expect(await daou.getAttribute('aria-busy')).toBe('false');

    const countdown = daou.locator('.access .time');
    const first = await countdown.textContent();
    expect(first).toMatch(/^23h 59m|^1d$/);
    // A day-long token shows minutes; the scheduled refresh (a few minutes before expiry) counts down too.
    const next = daou.locator('.next');
    await expect.poll(() => next.textContent()).toMatch(/in 23h 5\dm/);
    expect(await daou.getByRole('progressbar').getAttribute('value')).not.toBeNull();
  });

  test('a short-lived token counts down second by second and turns expired', async () => {
    const { page } = h;
    const pod = row(page, 'POD short');
    await pod.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => pod.getAttribute('data-state')).toBe('valid');
    const countdown = pod.locator('.access .time');
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

  test('a failed issue puts the client in the error state with the provider’s message', async () => {
    const { page } = h;
    const broken = row(page, 'Daou broken');
    await broken.getByRole('button', { name: 'Issue token' }).click();
    // The core counts rejected client credentials as "sign in again" (needs_signin) or an error.
    await expect.poll(() => broken.getAttribute('data-state')).toMatch(/^(error|needs_signin)$/);
    expect(await broken.locator('td.last-error').textContent()).toContain('연동비밀키(clientSecret)를 확인하세요');
  });

  test('clients that have no token say so, with the action their capabilities allow', async () => {
    const hejhome = row(h.page, 'Sandbox — Hejhome');
    expect(await hejhome.getAttribute('data-state')).toBe('none');
    expect(await hejhome.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    expect(await hejhome.getByRole('button', { name: 'Issue token' }).count()).toBe(0);
    const pod = row(h.page, 'Sandbox — POD Shop');
    await pod.getByRole('button', { name: 'Copy Basic header' }).click();
    const { clientId, clientSecret } = h.sandbox.credentials.podshop;
    await expect.poll(() => h.clipboard.at(-1)).toBe(`Authorization: Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
  });

  test('search, filter by state, sort by expiry, group by provider and environment', async () => {
    const { page } = h;
    const names = () => page.locator('tr[data-client-id] th button').allTextContents().then((all) => all.map((n) => n.trim()));

    await page.getByRole('searchbox', { name: 'Search clients' }).fill('pod');
    await expect.poll(names).toEqual(['POD short', 'Sandbox — POD Shop']);
    await page.getByRole('searchbox', { name: 'Search clients' }).fill('');

    const brokenState = (await row(page, 'Daou broken').getAttribute('data-state')) ?? 'error';
    await page.getByLabel('State', { exact: true }).selectOption(brokenState);
    await expect.poll(names).toEqual(['Daou broken']);
    await page.getByLabel('State', { exact: true }).selectOption('all');

    await page.getByLabel('Sort by', { exact: true }).selectOption('expiry');
    const sorted = await names();
    expect(sorted.slice(0, 2)).toEqual(['POD short', 'Sandbox — Daou Office']);

    await page.getByLabel('Group by', { exact: true }).selectOption('provider');
    await expect.poll(() => page.locator('tr.group th').allTextContents()).toEqual(
      expect.arrayContaining(['Daou Office (2)', 'POD Shop (2)', 'Hejhome (1)']),
    );
    await page.getByLabel('Group by', { exact: true }).selectOption('env');
    await expect.poll(() => page.locator('tr.group th').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Sandbox \(\d+\)$/)]));
    await page.getByLabel('Group by', { exact: true }).selectOption('none');
    await page.getByLabel('Sort by', { exact: true }).selectOption('name');
  });

  test('keyboard: / focuses the search, Ctrl+N opens the editor, Escape closes it', async () => {
    const { page } = h;
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
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

describe('dashboard (Korean, dark)', () => {
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
    const daou = row(page, 'Sandbox — Daou Office');
    await daou.getByRole('button', { name: '토큰 발급' }).click();
    await expect.poll(() => daou.locator('[data-state]').first().textContent()).toBe('유효');
    expect(await daou.locator('.access .time').textContent()).toMatch(/시간|일/);
    const broken = row(page, '다우 잘못된 키');
    await broken.getByRole('button', { name: '토큰 발급' }).click();
    await expect.poll(() => broken.locator('td.last-error').textContent()).toContain('연동비밀키(clientSecret)를 확인하세요');
  });

  test('no serious or critical accessibility violation in dark mode; screenshot', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await screenshot(h.page, 'dashboard-ko');
  });
});
