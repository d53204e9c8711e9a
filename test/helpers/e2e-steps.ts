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

/** The list row of a client, by its name. */
export function row(page: Page, name: string): Locator {
  return page.locator('[data-client-id]', { has: page.locator('button.open .name', { hasText: new RegExp(`^\\s*${escape(name)}\\s*$`) }) });
}

/** The detail pane of the selected client. */
export function detail(page: Page): Locator {
  return page.locator('article[data-detail]');
}

/** A button of the selected client's detail, by its exact label. */
export function detailButton(page: Page, label: string): Locator {
  return detail(page).getByRole('button', { name: label, exact: true });
}

export async function openDashboard(page: Page): Promise<void> {
  await page.locator('nav button[data-view="clients"]').click();
  await page.locator('[data-client-id]').first().waitFor();
}

/** Selects a client in the list; its detail shows on the right. */
export async function openClient(page: Page, name: string): Promise<void> {
  await openDashboard(page);
  await row(page, name).locator('button.open').click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Selects a client and presses one of its detail's buttons. */
export async function press(page: Page, name: string, label: string): Promise<void> {
  await openClient(page, name);
  await detailButton(page, label).click();
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
