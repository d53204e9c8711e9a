/**
 * The request limits of issue #11 in the settings view: the largest provider response and the
 * time limit of a request. Before, they existed only in the stored settings: the error "raise the
 * response size limit in the settings" pointed at nothing. The view shows each range, refuses a
 * number outside it beside the field, and a saved value governs the very next provider request.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_GENERIC } from '../../main/model/defaults';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, openDashboard } from '../helpers/e2e-steps';

/** A token endpoint whose answer is 100 KiB (`/big`) or comes after 2.5 s (`/slow`). */
async function startTokenServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const body = JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 3600, padding: 'x'.repeat(100 * 1024) });
    const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (req.url === '/slow') setTimeout(send, 2_500);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe('settings: provider request limits', () => {
  let h: Harness;
  let tokens: { url: string; server: Server };

  beforeAll(async () => {
    tokens = await startTokenServer();
    h = await startHarness({ viewport: { width: 880, height: 560 } });
    for (const path of ['big', 'slow']) {
      await createClient(h, {
        name: `Token ${path}`,
        provider: 'oauth2',
        clientId: 'app',
        clientSecret: 'secret',
        generic: { ...DEFAULT_GENERIC, grant: 'client_credentials', tokenUrl: `${tokens.url}/${path}` },
      });
    }
    await openDashboard(h.page);
    await h.page.locator('nav button[data-view="settings"]').click();
  });
  afterAll(async () => {
    await h?.close();
    tokens?.server.close();
  });

  test('each limit shows its range and default; a number outside it is refused beside the field and not saved', async () => {
    const { page } = h;
    const size = page.locator('#s-max-response');
    expect(await size.inputValue()).toBe('1024');
    expect(await page.locator('#s-max-response-hint').textContent()).toContain('From 64 to 65536; default 1024.');
    expect(await page.locator('#s-request-timeout').inputValue()).toBe('30');
    expect(await page.locator('#s-request-timeout-hint').textContent()).toContain('From 1 to 300; default 30.');

    await size.fill('10');
    expect(await size.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#s-max-response-hint').textContent()).toContain('Enter a whole number from 64 to 65536. Not saved.');
    await size.press('Tab');
    expect(h.desk.getSettings().maxResponseKiB).toBe(1024);
    await page.locator('#s-request-timeout').fill('301');
    await page.locator('#s-request-timeout').press('Tab');
    expect(await page.locator('#s-request-timeout').getAttribute('aria-invalid')).toBe('true');
    expect(h.desk.getSettings().requestTimeoutSeconds).toBe(30);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('a saved response limit governs the next request: 100 KiB passes at 1024 KiB, is refused at 64 KiB', async () => {
    const { page } = h;
    await h.desk.issue('Token big');
    const size = page.locator('#s-max-response');
    await size.fill('64');
    await size.press('Tab');
    expect(await size.getAttribute('aria-invalid')).toBe('false');
    await expect.poll(() => h.desk.getSettings().maxResponseKiB).toBe(64);
    await expect(h.desk.issue('Token big')).rejects.toThrow('sent a response larger than 64 KiB');
    await size.fill('1024');
    await size.press('Tab');
    await expect.poll(() => h.desk.getSettings().maxResponseKiB).toBe(1024);
    await h.desk.issue('Token big');
  });

  test('a saved time limit governs the next request: 1 s stops a provider that takes 2.5 s', async () => {
    const { page } = h;
    const timeout = page.locator('#s-request-timeout');
    await timeout.fill('1');
    await timeout.press('Tab');
    await expect.poll(() => h.desk.getSettings().requestTimeoutSeconds).toBe(1);
    await expect(h.desk.issue('Token slow')).rejects.toThrow('did not answer within 1 s');
    await timeout.fill('30');
    await timeout.press('Tab');
    await expect.poll(() => h.desk.getSettings().requestTimeoutSeconds).toBe(30);
    await h.desk.issue('Token slow');
  });

  test('start at login (issue #14 item 6) is off by default; the checkbox saves it', async () => {
    const { page } = h;
    const box = page.getByLabel('Start at login, in the tray (tokens keep refreshing after a restart)');
    expect(await box.isChecked()).toBe(false);
    expect(h.desk.getSettings().launchAtLogin).toBe(false);
    await box.check();
    await expect.poll(() => h.desk.getSettings().launchAtLogin).toBe(true);
    await box.uncheck();
    await expect.poll(() => h.desk.getSettings().launchAtLogin).toBe(false);
  });
});
