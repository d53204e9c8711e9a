/**
 * The client list's states reached through the real core and sandbox, not injected views: a refresh
 * token the provider no longer accepts ("needs sign-in", with the core's own notice), a slow
 * refresh ("refreshing"), a provider that keeps failing while the token still works ("Valid · refresh
 * failing", "unavailable", then the core's notice), and a
 * token inside its refresh lead time ("expiring soon").
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, detail, detailButton, hejhomeLogin, openDashboard, podInput, press, row, waitForState } from '../helpers/e2e-steps';

const HEJHOME = 'Sandbox — Hejhome';
// POD Shop tokens live an hour (no scheduled refresh runs during a test, except where one is
// shortened) and refresh tokens a month (no "refresh token expires soon" notice among ours).
const HOUR = 3600;
const DAY = 86_400;

function noticesButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Notices \(\d+\)/ });
}

async function noticesLabel(page: Page): Promise<string | undefined> {
  return (await noticesButton(page).textContent())?.trim();
}

/** Opens the notices list, reads each notice (its text and the clients it links to) and closes it. */
async function readNotices(page: Page): Promise<{ text: string; links: string[] }[]> {
  const button = noticesButton(page);
  await button.click();
  try {
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const items = page.getByRole('region', { name: 'Notices' }).getByRole('listitem');
    return await Promise.all(
      (await items.all()).map(async (item) => ({
        text: (await item.textContent()) ?? '',
        // Every button but the dismiss one opens a client.
        links: (await item.getByRole('button', { name: /^(?!Dismiss:)/ }).allTextContents()).map((name) => name.trim()),
      })),
    );
  } finally {
    await button.click();
  }
}

describe('client states with the real core (English)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ authWindow: hejhomeLogin, sandbox: { lifetimes: { podAccess: HOUR, podRefresh: 30 * DAY } } });
    await createClient(h, podInput(h, { name: 'POD slow' }));
    await createClient(h, podInput(h, { name: 'POD flaky' }));
    await createClient(h, podInput(h, { name: 'POD short', autoRefresh: false, refreshPolicy: { leadFraction: 0.9, maxLeadSeconds: 300 } }));
    await h.page.reload();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a refresh token the provider replaced behind our back: needs sign-in, the provider’s words, and a notice', async () => {
    const { page } = h;
    const hejhome = row(page, HEJHOME);
    await press(page, HEJHOME, 'Sign in');
    await waitForState(page, HEJHOME, 'valid');
    expect(await noticesLabel(page)).toBe('Notices (0)');

    // Someone else (another machine, a script) used the refresh token: Hejhome rotates it on every refresh.
    const stale = await h.desk.reveal(HEJHOME, 'refresh');
    const { clientId, clientSecret } = h.sandbox.credentials.hejhome;
    const rotated = await fetch(`${h.sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stale }),
    });
    expect(rotated.status).toBe(200);

    await detailButton(page, 'Refresh').click();
    await expect.poll(() => hejhome.getAttribute('data-state'), { timeout: 5000 }).toBe('needs_signin');
    expect(await hejhome.locator('[data-state]').textContent()).toBe('Needs sign-in');
    expect(await detail(page).locator('.error-panel').textContent()).toContain('Invalid refresh token: it was replaced by a newer one');
    // Signing in again is what the detail offers.
    expect(await detailButton(page, 'Sign in').isEnabled()).toBe(true);

    await expect.poll(() => noticesLabel(page), { timeout: 5000 }).toBe('Notices (1)');
    const [notice, ...others] = await readNotices(page);
    expect(others).toEqual([]);
    expect(notice?.links).toEqual([HEJHOME]);
    expect(notice?.text).toContain(`"${HEJHOME}" needs you to sign in again`);
    expect(notice?.text).toContain('Invalid refresh token: it was replaced by a newer one');
  });

  test('signing in again clears the needs-sign-in state and its notice', async () => {
    const { page } = h;
    await press(page, HEJHOME, 'Sign in');
    await waitForState(page, HEJHOME, 'valid');
    expect(await detail(page).locator('.error-panel').count()).toBe(0);
    await expect.poll(() => noticesLabel(page), { timeout: 3000 }).toBe('Notices (0)');
  });

  test('a slow refresh shows its progress, then the new token', async () => {
    const { page } = h;
    const pod = row(page, 'POD slow');
    await press(page, 'POD slow', 'Issue token');
    await waitForState(page, 'POD slow', 'valid');
    const before = await h.desk.reveal('POD slow', 'access');

    h.sandbox.faults.set('pod.refresh', 'latency', { ms: 1500, times: 1 });
    await detailButton(page, 'Refresh').click();
    // main says "refreshing" (the request is in flight), the badge says what the user started.
    await expect.poll(() => pod.getAttribute('data-state')).toBe('refreshing');
    expect(await pod.getAttribute('aria-busy')).toBe('true');
    expect(await pod.locator('[data-state="busy"]').textContent()).toContain('Refreshing…');
    expect(await detailButton(page, 'Refresh').isDisabled()).toBe(true);

    await expect.poll(() => pod.getAttribute('data-state'), { timeout: 5000 }).toBe('valid');
    expect(await pod.getAttribute('aria-busy')).toBe('false');
    expect(await pod.locator('[data-state]').textContent()).toBe('Valid');
    expect(await h.desk.reveal('POD slow', 'access')).not.toBe(before);
  });

  test('a provider down while the token still works: "Valid · refresh failing", "unavailable", then a notice', async () => {
    const { page } = h;
    const pod = row(page, 'POD flaky');
    await press(page, 'POD flaky', 'Issue token');
    await waitForState(page, 'POD flaky', 'valid');
    const flakyNotices = async () => (await readNotices(page)).filter((notice) => notice.links.includes('POD flaky')).map((notice) => notice.text);
    expect(await flakyNotices()).toEqual([]);

    h.sandbox.faults.set('pod.refresh', 'status5xx', { status: 503 });
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const asked = h.sandbox.counters['pod.refresh'] ?? 0;
        await detailButton(page, 'Refresh').click();
        // Once the provider has been asked, "not busy" means this attempt's answer is on screen.
        await expect.poll(() => h.sandbox.counters['pod.refresh'], { timeout: 5000 }).toBe(asked + 1);
        await expect.poll(() => pod.getAttribute('aria-busy'), { timeout: 5000 }).toBe('false');
        // main's state is 'error'; the token has not expired, so it reads as still valid.
        expect(await pod.getAttribute('data-state')).toBe('failing');
      }
    } finally {
      h.sandbox.faults.clear();
    }
    expect(await pod.locator('[data-state]').textContent()).toBe('Valid · refresh failing');
    const panel = detail(page).locator('.error-panel');
    // A 503 is the provider being unavailable, not a rejection (issue #13, row 7).
    expect(await panel.getByRole('heading').textContent()).toContain('The provider is unavailable right now (HTTP 503)');
    expect(await panel.textContent()).not.toContain('rejected');
    expect(await panel.textContent()).toContain('The sandbox was told to fail this request (fault injection).');
    // The token has not expired: it is still there to use.
    expect(await pod.locator('.time').textContent()).toMatch(/^(59m|1h).* left$/);

    await expect.poll(async () => (await flakyNotices()).length, { timeout: 5000 }).toBe(1);
    const [failing, ...others] = await flakyNotices();
    expect(others).toEqual([]);
    expect(failing).toContain('Refreshing "POD flaky" failed 3 times in a row');
    expect(failing).toContain('The sandbox was told to fail this request (fault injection).');

    // The provider is back: one refresh clears the error.
    await detailButton(page, 'Refresh').click();
    await waitForState(page, 'POD flaky', 'valid');
    expect(await detail(page).locator('.error-panel').count()).toBe(0);
  });

  test('a token inside its refresh lead time reads "Expiring soon", then "Expired"', async () => {
    const { page } = h;
    const pod = row(page, 'POD short');
    const issued = h.sandbox.counters['pod.token'] ?? 0;
    h.sandbox.lifetimes.podAccess = 4;
    try {
      await press(page, 'POD short', 'Issue token');
      await expect.poll(() => h.sandbox.counters['pod.token'], { timeout: 5000 }).toBe(issued + 1);
    } finally {
      h.sandbox.lifetimes.podAccess = HOUR;
    }
    // leadFraction 0.9 of 4 s: the lead time starts 0.4 s after the token was issued.
    await expect.poll(() => pod.locator('[data-state]').textContent(), { timeout: 2500 }).toBe('Expiring soon');
    const countdown = pod.locator('.time');
    const first = await countdown.textContent();
    // The countdown ticks once a second; vitest's 1 s default poll can miss a tick on a loaded machine.
    await expect.poll(() => countdown.textContent(), { timeout: 3000 }).not.toBe(first);
    await expect.poll(() => pod.getAttribute('data-state'), { timeout: 6000 }).toBe('expired');
    expect(await pod.locator('[data-state]').textContent()).toBe('Expired');
  });
});
