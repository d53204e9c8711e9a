/**
 * The generic client's standards in the app, judged by oidc-provider in-process: the editor
 * discovers an issuer, offers only the auth methods the server supports, turns DPoP on; the
 * detail shows the metadata, and the token issued is DPoP-bound.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { openDashboard } from '../helpers/e2e-steps';
import { startOidcProvider, type OidcProviderHandle } from '../helpers/oidc-provider';

describe('standards in the editor and the detail', () => {
  let h: Harness;
  let op: OidcProviderHandle;

  beforeAll(async () => {
    op = await startOidcProvider({
      clients: [{ client_id: 'e2e-machine', client_secret: 'e2e-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] }],
      configuration: { clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] },
    });
    h = await startHarness();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
    await op?.stop();
  });

  test('discover an issuer, pick a supported method, DPoP on; the detail shows the metadata and a DPoP token', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Provider').selectOption('oauth2');
    await dialog.locator('#f-name').fill('Certified');
    await dialog.locator('#f-clientId').fill('e2e-machine');
    await dialog.locator('#f-clientSecret').fill('e2e-secret');
    await dialog.locator('#f-grant').selectOption('client_credentials');
    await dialog.locator('#f-issuer').fill(op.issuer);
    await dialog.getByRole('button', { name: 'Discover' }).click();
    await dialog.getByText(`Endpoints discovered from ${op.issuer}.`).waitFor();
    expect(await dialog.locator('#f-tokenUrl').inputValue()).toBe(`${op.issuer}/token`);
    expect(await dialog.locator('#f-clientAuth').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'basic',
      'body',
      'private_key_jwt',
    ]);
    await dialog.locator('#f-clientAuth').selectOption('body');
    // DPoP sits among the folded advanced settings.
    await dialog.locator('details.advanced > summary').click();
    await dialog.getByLabel('Sender-constrained tokens with DPoP (RFC 9449)').check();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'editor-discovery-en');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certified' }).waitFor();
    // The server's metadata sits in the detail's Settings tab.
    await page.getByRole('tab', { name: 'Settings' }).click();

    const metadata = page.getByTestId('metadata');
    await metadata.waitFor();
    expect(await metadata.textContent()).toContain(op.issuer);
    expect(await metadata.textContent()).toContain('Tokens are DPoP-bound to this client’s key.');
    await page.getByRole('button', { name: 'Issue token' }).first().click();
    await expect.poll(async () => (await h.desk.getClient('Certified')).token?.tokenType, { timeout: 15_000 }).toBe('DPoP');
    await page.getByRole('button', { name: 'Refresh discovery' }).click();
    await page.getByText('Metadata of Certified read again.').first().waitFor();
    await screenshot(page, 'detail-metadata-en');
  });
});
