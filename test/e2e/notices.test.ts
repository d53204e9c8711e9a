/**
 * Issue #13 row 11: the notices popover stayed open after Escape, after a click outside, after
 * moving to another view, and even behind the delete dialog. Each test opens it, does one of those
 * things the way a user would (keyboard or pointer), and expects it closed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Notice } from '../../main/ipc/contract';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { detailButton, openClient } from '../helpers/e2e-steps';

const DAOU = 'Sandbox — Daou Office';

describe('notices popover', () => {
  let h: Harness;
  const popover = () => h.page.getByRole('region', { name: 'Notices' });
  const button = () => h.page.getByRole('button', { name: /^Notices \(\d+\)$/ });

  async function openPopover(): Promise<void> {
    await button().click();
    await popover().waitFor();
    expect(await button().getAttribute('aria-expanded')).toBe('true');
  }

  async function expectClosed(): Promise<void> {
    await expect.poll(() => popover().count()).toBe(0);
    expect(await button().getAttribute('aria-expanded')).toBe('false');
  }

  beforeAll(async () => {
    h = await startHarness();
    await openClient(h.page, DAOU);
  });
  beforeEach(async () => {
    const daou = h.desk.getClient(DAOU).config.id;
    const notices: Notice[] = [
      { id: 'n1', clientId: daou, kind: 'refresh_failing', message: 'The refresh of Sandbox — Daou Office failed.', at: Date.now() },
      { id: 'n2', clientId: null, kind: 'info', message: 'Hello from main', at: Date.now() },
    ];
    await h.emit('notices:changed', notices);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('Escape closes it and gives focus back to its button', async () => {
    await openPopover();
    await h.page.keyboard.press('Escape');
    await expectClosed();
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('notice-list');
  });

  test('a click outside closes it; a click inside does not', async () => {
    await openPopover();
    await popover().locator('li').first().click({ position: { x: 4, y: 4 } });
    expect(await popover().count()).toBe(1);
    await h.page.locator('article[data-detail]').click({ position: { x: 10, y: 10 } });
    await expectClosed();
  });

  test('moving to another view closes it: the Ctrl+2 shortcut, and the nav', async () => {
    await openPopover();
    await h.page.keyboard.press('Control+2');
    await h.page.getByRole('region', { name: 'Expiry timeline' }).waitFor();
    await expectClosed();
    await openPopover();
    await h.page.keyboard.press('Control+1');
    await expectClosed();
    await openClient(h.page, DAOU);
  });

  test('following a notice to its client closes it', async () => {
    await openClient(h.page, 'Sandbox — Hejhome');
    await openPopover();
    await popover().getByRole('button', { name: DAOU, exact: true }).click();
    await h.page.getByRole('heading', { level: 1, name: DAOU, exact: true }).waitFor();
    await expectClosed();
  });

  test('it never stays open behind the delete dialog (opened from the keyboard, with no outside click)', async () => {
    await openPopover();
    // Focus moves to Delete and Enter opens the dialog: no pointer event reaches the window.
    await detailButton(h.page, 'Delete').focus();
    expect(await popover().count()).toBe(1);
    await h.page.keyboard.press('Enter');
    const dialog = h.page.getByRole('dialog');
    await dialog.waitFor();
    await expectClosed();
    expect(await axeViolations(h.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await h.page.locator('[data-client-id]').count()).toBeGreaterThanOrEqual(5);
  });

  test('the editor opened with Ctrl+N closes it too', async () => {
    await openPopover();
    await h.page.keyboard.press('Control+n');
    await h.page.getByRole('dialog').waitFor();
    await expectClosed();
    await h.page.keyboard.press('Escape');
    await h.page.getByRole('dialog').waitFor({ state: 'detached' });
  });
});
