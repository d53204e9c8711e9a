/**
 * The Foundation slice, end to end through the UI against the real core and the sandbox: add a
 * Daou Office client, issue a token, and see what the user sees — the masked token, a countdown
 * that moves, the raw exchange, and the provider's Korean message when the credentials are wrong.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/e2e-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function addDaouClient(name: string, clientId: string, secret: string): Promise<void> {
  const { page } = h;
  await page.getByRole('button', { name: 'New client' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await dialog.getByLabel('Provider').selectOption('daouoffice');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Base URL').fill(h.sandbox.url);
  await dialog.getByLabel('Client ID').fill(clientId);
  await dialog.getByLabel('Client secret').fill(secret);
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('the slice: a Daou Office client', () => {
  test('first launch lists the ready sandbox clients', async () => {
    const rows = h.page.locator('[data-client-id]');
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    await h.page.locator('[data-client-id] button.open', { hasText: 'Sandbox — Daou Office' }).waitFor();
  });

  test('issuing shows the masked token, a moving countdown and the raw exchange', async () => {
    const { page } = h;
    await addDaouClient('My Daou', h.sandbox.credentials.daouoffice.clientId, h.sandbox.credentials.daouoffice.clientSecret);
    await page.getByRole('button', { name: 'Issue token' }).click();

    const masked = page.getByTestId('access-token');
    await masked.waitFor();
    const client = h.desk.listClients().find((c) => c.config.name === 'My Daou');
    expect(client?.token).not.toBeNull();
    const token = await h.desk.reveal(client!.config.id, 'access');
    await expect.poll(() => masked.textContent()).toBe(client!.token!.accessTokenMasked);
    expect(await masked.textContent()).not.toContain(token);

    // The countdown moves with the one clock; the progress bar is there.
    const countdown = page.locator('#panel-token .countdown .time').first();
    const before = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 4000 }).not.toBe(before);
    await expect.poll(() => page.getByRole('progressbar', { name: 'Access token' }).count()).toBe(1);

    // The raw exchange: Authorization masked, status, headers, body pretty-printed.
    await page.getByRole('tab', { name: 'HTTP exchanges' }).click();
    const exchange = page.locator('.exchange').first();
    await exchange.waitFor();
    const request = exchange.locator('.request');
    const requestText = (await request.textContent()) ?? '';
    expect(requestText).toMatch(/authorization: Basic/i);
    expect(requestText).not.toContain(Buffer.from(`${client!.config.clientId}:${h.sandbox.credentials.daouoffice.clientSecret}`).toString('base64'));
    expect(requestText).toContain('grant_type=client_credentials');
    const response = exchange.locator('.response');
    expect(await response.textContent()).toContain('Status 200');
    expect(await response.textContent()).toMatch(/content-type: application\/json/i);
    const body = (await response.locator('pre.json').textContent()) ?? '';
    expect(body).toContain('"access_token":');
    expect(body).toContain('\n  "'); // pretty-printed
    expect(body).not.toContain(token);

    // Reveal shows the real value; copy goes through main to the (fake) clipboard.
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByRole('button', { name: 'Show token' }).first().click();
    await expect.poll(() => masked.textContent()).toBe(token);
    await page.getByRole('button', { name: 'Hide token' }).first().click();
    await expect.poll(() => masked.textContent()).toBe(client!.token!.accessTokenMasked);
    await page.locator('button[data-copy="raw"]').click();
    await expect.poll(() => h.clipboard.at(-1)).toBe(token);
  });

  test('a wrong client id shows the provider’s Korean message as written, with the raw body', async () => {
    const { page } = h;
    await addDaouClient('Wrong Daou', 'not-a-client', 'whatever');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const alert = page.locator('.error-panel');
    await alert.waitFor();
    await expect.poll(() => alert.locator('.provider-message').textContent()).toBe('연동ID(clientId)를 확인하세요');
    const raw = (await alert.locator('pre').textContent()) ?? '';
    expect(raw).toContain('"messageDetail": "연동ID(clientId)를 확인하세요"');
    expect(raw).toContain('"code": "401"');
  });

  test('a wrong secret shows the provider’s own wording too', async () => {
    const { page } = h;
    await addDaouClient('Bad secret Daou', h.sandbox.credentials.daouoffice.clientId, 'wrong-secret');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => page.locator('.error-panel .provider-message').textContent()).toBe('연동비밀키(clientSecret)를 확인하세요');
    // The list row shows the failure as a state.
    const row = page.locator('[data-client-id]', { hasText: 'Bad secret Daou' });
    await expect.poll(() => row.getAttribute('data-state')).toMatch(/^(error|needs_signin)$/);
  });

  test('the page keeps to its CSP and logs no errors', async () => {
    const problems = await h.problems();
    expect(problems.csp).toEqual([]);
    expect(problems.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
