/**
 * A thousand clients: the list renders the rows in view, follows the scroll, and still
 * searches the whole list (a stand-in dispatch serves the bench's fake clients).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IpcResult } from '../../main/ipc/contract';
import { fakeClients } from '../bench/renderer.bench';
import { launchRenderer, type BrowserHarness } from '../helpers/e2e-harness';

describe('a thousand clients', () => {
  let b: BrowserHarness;

  beforeAll(async () => {
    const clients = fakeClients(1000);
    b = await launchRenderer(async (channel): Promise<IpcResult<unknown>> => {
      if (channel === 'clients:list') return { ok: true, value: clients };
      if (channel === 'app:info') return { ok: true, value: { version: 'x', keyProtection: 'keychain', warnings: [], sandboxUrl: null, platform: 'linux' } };
      if (channel === 'settings:get')
        return {
          ok: true,
          value: { language: 'system', theme: 'system', closeToTray: true, clipboardClearSeconds: 30, notifications: { needsSignIn: true, refreshFailing: true, refreshTokenExpiring: true, refreshTokenWarnDays: 7 } },
        };
      return { ok: true, value: [] };
    });
    await b.page.locator('[data-client-id]').first().waitFor();
  });
  afterAll(async () => {
    await b?.close();
  });

  test('only the rows in view are in the DOM; each row announces its place among all of them', async () => {
    const { page } = b;
    expect(await page.locator('[data-client-id]').first().getAttribute('aria-setsize')).toBe('1000');
    const rendered = await page.locator('[data-client-id]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(40);
    expect(await page.getByText('1000 of 1000 clients').count()).toBe(1);
  });

  test('scrolling to the end brings the last rows; search reaches every client', async () => {
    const { page } = b;
    await page.locator('.scroller').evaluate((element) => (element.scrollTop = 1e7));
    await page.locator('button.open', { hasText: 'Client 0999 oauth2' }).waitFor();
    expect(await page.locator('[data-client-id]').last().getAttribute('aria-posinset')).toBe('1000');
    await page.getByRole('searchbox', { name: 'Search clients' }).fill('Client 0500');
    await page.locator('button.open', { hasText: 'Client 0500 daouoffice' }).waitFor();
    expect(await page.locator('[data-client-id]').count()).toBe(1);
  });
});
