/** The security check beside each token exchange (issue #12 item 8), in the exchange list, English and Korean. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { openClient } from '../helpers/e2e-steps';

const DAOU = 'Sandbox — Daou Office';

describe('security check in the exchange list', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ sandbox: { lifetimes: { daouAccess: 86_400 } } });
    await openClient(h.page, DAOU);
    await h.page.getByRole('button', { name: 'Issue token' }).click();
    await h.page.getByTestId('access-token').waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the token exchange lists what was verified and what was not', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'HTTP exchanges' }).click();
    const list = page.getByRole('region', { name: 'Security check' }).first();
    await list.waitFor();
    const outcome = (id: string) => list.locator(`[data-check="${id}"]`).getAttribute('data-outcome');
    expect(await outcome('transport')).toBe('verified');
    expect(await outcome('token_bound')).toBe('unverified');
    expect(await outcome('pkce')).toBe('not_applicable');
    expect(await list.locator('[data-check]').count()).toBe(10);
    expect(await list.locator('[data-check="transport"]').textContent()).toContain('HTTP on this computer only');
    expect(await list.locator('[data-check="token_bound"]').textContent()).toContain('a bearer token');
    await screenshot(page, 'security-check-en');
  });
});
