/**
 * The window from its minimum (880×560) up: list and detail side by side, nothing wider than the
 * window, no control cut off (issue #13, row 1). Before the master–detail layout the dashboard
 * table was ~1,080 px wide at 880 px and its action buttons read "Refre…".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, detail, openClient, press, row } from '../helpers/e2e-steps';

/** Elements that stick out of the window on the right, and buttons whose content is cut off. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${[...element.classList].join('.')} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth) found.push(`document scrolls horizontally: ${document.documentElement.scrollWidth}px`);
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      // Inside a scroller that scrolls vertically only, or a dialog: judged against the window all the same.
      if (box.right > window.innerWidth + 0.5) found.push(`past the right edge (${Math.round(box.right)}px): ${describe(element)}`);
      if (element instanceof HTMLButtonElement && element.scrollWidth > element.clientWidth + 1) found.push(`button content cut off: ${describe(element)}`);
    }
    return found;
  });
}

describe('layout from 880×560', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ viewport: { width: 880, height: 560 }, sandbox: { lifetimes: { daouAccess: 86_400 } } });
    await createClient(h, daouInput(h, { name: 'A client with a rather long name that would wrap in a table', clientSecret: 'wrong-secret' }));
    await h.page.reload();
    await h.page.locator('[data-client-id]').first().waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the list and the detail sit side by side; nothing overflows horizontally in any view', async () => {
    const { page } = h;
    await press(page, 'Sandbox — Daou Office', 'Issue token');
    await row(page, 'Sandbox — Daou Office').and(page.locator('[data-state="valid"]')).waitFor();
    const list = await page.locator('section.master').boundingBox();
    const pane = await detail(page).boundingBox();
    expect(list && pane && list.x + list.width <= pane.x + 1).toBe(true);
    expect(await overflowing(page)).toEqual([]);

    for (const tab of ['Response', 'HTTP exchanges', 'Settings', 'Token']) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await overflowing(page), tab).toEqual([]);
    }
    await press(page, 'A client with a rather long name that would wrap in a table', 'Issue token');
    await detail(page).locator('.error-panel').waitFor();
    expect(await overflowing(page)).toEqual([]);
    // One line per row: a long name is cut with an ellipsis, not wrapped (the virtual list counts fixed rows).
    const name = row(page, 'A client with a rather long name that would wrap in a table').locator('.name');
    expect(await name.evaluate((element) => element.scrollWidth > element.clientWidth && getComputedStyle(element).textOverflow === 'ellipsis')).toBe(true);

    for (const view of ['timeline', 'settings'] as const) {
      await page.locator(`nav button[data-view="${view}"]`).click();
      expect(await overflowing(page), view).toEqual([]);
    }
    await page.locator('nav button[data-view="clients"]').click();
  });

  test('the editor fits the minimum window, its buttons in view', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('oauth2');
    expect(await overflowing(page)).toEqual([]);
    const create = await dialog.getByRole('button', { name: 'Create client' }).boundingBox();
    expect(create && create.y + create.height <= 560).toBe(true);
    await page.keyboard.press('Escape');
    // The provider was changed: the editor asks before discarding (issue #13, row 12).
    await dialog.getByRole('button', { name: 'Discard' }).click();
  });

  test('the search and filters stay pinned while the list scrolls', async () => {
    const { page } = h;
    for (let i = 0; i < 12; i++) await createClient(h, daouInput(h, { name: `Filler ${String(i).padStart(2, '0')}` }));
    await expect.poll(() => page.locator('[data-list-size]').getAttribute('data-list-size')).toBe(String(h.desk.listClients().length));
    const search = page.getByRole('searchbox', { name: 'Search clients' });
    const before = await search.boundingBox();
    await page.locator('.scroller').evaluate((element) => (element.scrollTop = 10_000));
    await page.locator('[data-client-id]', { hasText: 'Sandbox — POD Shop' }).waitFor();
    expect(await search.boundingBox()).toEqual(before);
    expect(await search.isVisible()).toBe(true);
  });

  test('no serious or critical accessibility violation at 880×560, light and dark', async () => {
    const { page } = h;
    await openClient(page, 'Sandbox — Daou Office');
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
