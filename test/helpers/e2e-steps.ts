/** Small steps the e2e tests share: set-up through the real dispatch, and locators by client name. */
import type { Locator, Page } from 'playwright-core';
import type { ClientInput } from '../../main/ipc/contract';
import type { ClientView } from '../../main/model/types';
import type { Harness } from './e2e-harness';

/** Creates a client through the same dispatch the renderer uses (set-up, not the thing under test). */
export async function createClient(h: Harness, input: ClientInput): Promise<ClientView> {
  const result = await h.call('clients:create', input);
  if (!result.ok) throw new Error(`clients:create failed: ${result.error.message}`);
  return result.value as ClientView;
}

export function daouInput(h: Harness, over: Partial<ClientInput> = {}): ClientInput {
  const { clientId, clientSecret } = h.sandbox.credentials.daouoffice;
  return { name: 'Daou', provider: 'daouoffice', baseUrl: h.sandbox.url, clientId, clientSecret, ...over };
}

export function podInput(h: Harness, over: Partial<ClientInput> = {}): ClientInput {
  const { clientId, clientSecret } = h.sandbox.credentials.podshop;
  return { name: 'POD', provider: 'podshop', baseUrl: h.sandbox.url, clientId, clientSecret, env: 'dev', ...over };
}

/** The dashboard row of a client, by its name. */
export function row(page: Page, name: string): Locator {
  return page.locator('tr[data-client-id]', { has: page.locator('th button', { hasText: new RegExp(`^\\s*${escape(name)}\\s*$`) }) });
}

export async function openDashboard(page: Page): Promise<void> {
  await page.locator('nav button[data-view="dashboard"]').click();
  await page.locator('tr[data-client-id]').first().waitFor();
}

export async function openClient(page: Page, name: string): Promise<void> {
  await openDashboard(page);
  await row(page, name).locator('th button').click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sandbox's Hejhome login page, played in the OAuth window: ID/PW and LOGIN. */
export async function hejhomeLogin(page: Page): Promise<void> {
  await page.locator('#username').fill('sandbox@tokendesk.dev');
  await page.locator('#password').fill('sandbox-password');
  await page.getByRole('button', { name: 'LOGIN' }).click();
}

/** Waits (outside a test too: hooks) until a client's row shows the given state. */
export async function waitForState(page: Page, name: string, state: string, timeout = 15_000): Promise<void> {
  await row(page, name).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout });
}
