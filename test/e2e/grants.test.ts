/**
 * The extension grants in the app (RFC 8693 token exchange, RFC 7523 §2.1 JWT bearer), against
 * the sandbox's generic server: the editor offers them because the discovered server lists them,
 * the token exchange client names its subject client, and issuing sends that client's valid token
 * (the exchange recorded, masked, with its security check). Axe-clean.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_GENERIC } from '../../main/model/defaults';
import { SANDBOX_OAUTH2_PATHS } from '../../main/sandbox';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, detailButton, openClient, openDashboard } from '../helpers/e2e-steps';

describe('token exchange and JWT bearer in the editor and the detail', () => {
  let h: Harness;
  let issuer: string;

  beforeAll(async () => {
    h = await startHarness();
    const creds = h.sandbox.credentials.oauth2;
    issuer = `${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`;
    const metadata = await h.desk.discover(issuer);
    await createClient(h, {
      name: 'Signed-in user',
      provider: 'oauth2',
      baseUrl: h.sandbox.url,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      password: creds.password,
      generic: { ...DEFAULT_GENERIC, grant: 'password', username: creds.username, tokenUrl: `${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, issuer, metadata },
    });
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a token exchange client made in the editor exchanges the subject client\'s token', async () => {
    const { page } = h;
    const creds = h.sandbox.credentials.oauth2;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('oauth2');
    await dialog.locator('#f-name').fill('Orders API');
    await dialog.locator('#f-clientId').fill(creds.clientId);
    await dialog.locator('#f-clientSecret').fill(creds.clientSecret);
    await dialog.locator('#f-issuer').fill(issuer);
    await dialog.getByRole('button', { name: 'Discover' }).click();
    await dialog.getByText(`Endpoints discovered from ${issuer}.`).waitFor();
    const offered = await dialog.locator('#f-grant option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['token_exchange', 'jwt_bearer']));
    await dialog.locator('#f-grant').selectOption('token_exchange');
    await dialog.getByLabel('Subject client (its token is exchanged)').selectOption({ label: 'Signed-in user' });
    await dialog.getByLabel('Audience (optional)').fill('orders');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'editor-token-exchange-en');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders API' }).waitFor();

    await detailButton(page, 'Issue token').click();
    await page.getByTestId('access-token').waitFor();
    const subject = (await h.desk.validToken('Signed-in user')).accessToken;
    const exchanges = await h.desk.exchanges('Orders API', false);
    const exchange = exchanges.find((e) => e.requestBody?.includes('token-exchange'))!;
    expect(new URLSearchParams(exchange.requestBody!).get('audience')).toBe('orders');
    expect(exchange.requestBody).not.toContain(subject);
    expect(exchange.security?.find((c) => c.id === 'transport')).toMatchObject({ outcome: 'verified' });

    await page.getByRole('tab', { name: 'HTTP exchanges' }).click();
    await page.getByRole('region', { name: 'Security check' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'detail-token-exchange-en');
  });

  test('a JWT bearer client signs with the key it was given', async () => {
    const { page } = h;
    const creds = h.sandbox.credentials.oauth2;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('oauth2');
    await dialog.locator('#f-name').fill('Service account');
    await dialog.locator('#f-clientId').fill(creds.clientId);
    await dialog.locator('#f-clientSecret').fill(creds.clientSecret);
    await dialog.locator('#f-issuer').fill(issuer);
    await dialog.getByRole('button', { name: 'Discover' }).click();
    await dialog.getByText(`Endpoints discovered from ${issuer}.`).waitFor();
    await dialog.locator('#f-grant').selectOption('jwt_bearer');
    await dialog.getByLabel('Assertion subject (sub)').fill('alice');
    await dialog.locator('#f-privateKey').fill(JSON.stringify(creds.assertionKey));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await openClient(page, 'Service account');
    await page.getByRole('tab', { name: 'Token' }).click();
    await detailButton(page, 'Issue token').click();
    await page.getByTestId('access-token').waitFor();
    const token = await h.desk.validToken('Service account');
    const res = await fetch(`${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.userinfo}`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    expect(await res.json()).toMatchObject({ sub: 'alice' });
  });
});
