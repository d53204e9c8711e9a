/**
 * Issue #13 row 4, the first launch: before, five identical "No token — not scheduled" rows sat
 * under a yellow keychain banner, and nothing said where to start or what the sandbox is. Each
 * test below names that bad state and checks it is gone: a callout "Try it: issue a sandbox token"
 * that points at Sandbox — Daou Office and says what the sandbox is, a dismissible tour of issue /
 * watch / use, and a one-line keychain banner that folds its explanation away.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { detail, row, waitForState } from '../helpers/e2e-steps';

const DAOU = 'Sandbox — Daou Office';

describe('first run (English)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.page.locator('[data-client-id]').first().waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('with no token anywhere, the empty detail says where to start and what the sandbox is', async () => {
    const { page } = h;
    // The bad state's rows are still there (no token, nothing scheduled) …
    const rows = await page.locator('[data-client-id]').count();
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-client-id][data-state="none"]').count()).toBe(rows);
    // … but they no longer stand alone: the callout names the first step and the client to take it with.
    const callout = page.getByTestId('try-it');
    expect(await callout.getByRole('heading', { level: 1 }).textContent()).toContain('Try it: issue a sandbox token');
    expect(await callout.textContent()).toContain('The sandbox is a pretend provider built into TokenDesk');
    await expect.poll(() => callout.getByRole('button', { name: `Issue a token for ${DAOU}` }).isVisible()).toBe(true);
    // The tour: the three things TokenDesk does, in order.
    const tour = page.getByRole('complementary', { name: 'What TokenDesk does' });
    expect(await tour.locator('li strong').allTextContents()).toEqual(['Issue.', 'Watch.', 'Use.']);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the keychain warning is one compact line; its explanation opens on demand', async () => {
    const { page } = h;
    const banner = page.getByRole('region', { name: 'Warnings' });
    const warning = banner.locator('details[data-code="key_file"]');
    expect(await warning.getAttribute('open')).toBeNull();
    const box = (await banner.boundingBox())!;
    // One line of small text (it was a tall yellow block above the list).
    expect(box.height).toBeLessThan(40);
    expect(await warning.locator('summary').textContent()).toContain('Tokens are protected by a key file, not the OS keychain.');
    await warning.locator('summary').click();
    expect(await warning.locator('p').isVisible()).toBe(true);
    expect(await warning.locator('p').textContent()).toContain('No OS keychain is available');
    await warning.locator('summary').click();
  });

  test('the callout issues the sandbox token in one click, opens that client, and then steps aside', async () => {
    const { page } = h;
    await page.getByTestId('try-it').getByRole('button', { name: `Issue a token for ${DAOU}` }).click();
    await waitForState(page, DAOU, 'valid');
    await page.getByRole('heading', { level: 1, name: DAOU, exact: true }).waitFor();
    expect(await detail(page).count()).toBe(1);
    expect(await row(page, DAOU).locator('button.open').getAttribute('aria-current')).toBe('true');
    expect(h.sandbox.counters['daou.token']).toBe(1);
    // Once a token exists the callout has done its job: it is not offered again.
    expect(await page.getByTestId('try-it').count()).toBe(0);
  });

  test('the tour hides when dismissed and stays hidden after a reload', async () => {
    const { page } = h;
    const tour = page.getByRole('complementary', { name: 'What TokenDesk does' });
    await page.evaluate(() => localStorage.removeItem('tokendesk.tourDismissed'));
    await page.reload();
    await tour.waitFor();
    await tour.getByRole('button', { name: 'Hide this tour' }).click();
    expect(await tour.count()).toBe(0);
    await page.reload();
    await page.locator('[data-client-id]').first().waitFor();
    expect(await page.getByRole('complementary', { name: 'What TokenDesk does' }).count()).toBe(0);
  });
});

describe('first run (Korean, dark)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ locale: 'ko-KR', colorScheme: 'dark' });
    await h.page.locator('[data-client-id]').first().waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the callout, the sandbox sentence and the tour are Korean; axe is clean in dark', async () => {
    const { page } = h;
    const callout = page.getByTestId('try-it');
    expect(await callout.getByRole('heading', { level: 1 }).textContent()).toContain('해 보기: 샌드박스 토큰 발급');
    expect(await callout.textContent()).toContain('샌드박스는 TokenDesk에 들어 있는 가짜 공급자입니다.');
    await callout.getByRole('button', { name: `${DAOU} 토큰 발급` }).waitFor();
    expect(await page.getByRole('complementary', { name: 'TokenDesk로 할 수 있는 일' }).locator('li strong').allTextContents()).toEqual([
      '발급.',
      '지켜보기.',
      '쓰기.',
    ]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
