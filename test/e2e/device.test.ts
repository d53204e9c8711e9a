/**
 * The device sign-in panel (RFC 8628) in the app, judged by oidc-provider in-process: the user
 * code and the verification page large, a QR code that decodes to verification_uri_complete,
 * polling, approval (signed in), denial said plainly, and Cancel; light and dark axe-clean.
 */
import { create } from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_GENERIC } from '../../main/model/defaults';
import { SANDBOX_OAUTH2_PATHS } from '../../main/sandbox';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, detail, detailButton, openClient } from '../helpers/e2e-steps';
import { approveDevice } from '../helpers/oidc-device';
import { startOidcProvider, type OidcProviderHandle } from '../helpers/oidc-provider';

describe('device sign-in panel', () => {
  let h: Harness;
  let op: OidcProviderHandle;

  beforeAll(async () => {
    op = await startOidcProvider({
      clients: [
        {
          client_id: 'e2e-tv',
          token_endpoint_auth_method: 'none',
          redirect_uris: [],
          response_types: [],
          grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        },
      ],
      features: { deviceFlow: { enabled: true } },
      configuration: { scopes: ['openid', 'offline_access'] },
    });
    h = await startHarness();
    const metadata = await h.desk.discover(op.issuer);
    await createClient(h, {
      name: 'Living room TV',
      provider: 'oauth2',
      baseUrl: op.issuer,
      clientId: 'e2e-tv',
      scope: 'openid',
      generic: {
        grant: 'device_code',
        authorizationUrl: null,
        tokenUrl: `${op.issuer}/token`,
        refreshUrl: null,
        revocationUrl: null,
        clientAuth: 'none',
        paramsIn: 'body',
        pkce: false,
        extraParams: {},
        responseFields: {},
        username: null,
        issuer: op.issuer,
        metadata,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await op?.stop();
  });

  async function startDeviceSignIn() {
    const { page } = h;
    await openClient(page, 'Living room TV');
    await detailButton(page, 'Sign in with a code').click();
    const panel = page.getByTestId('device-panel');
    await panel.getByTestId('device-code').waitFor();
    return panel;
  }

  test('shows the code, the page and its QR code large; approval signs in', async () => {
    const { page } = h;
    const panel = await startDeviceSignIn();
    const code = (await panel.getByTestId('device-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(await panel.getByTestId('device-uri').textContent()).toBe(`${op.issuer}/device`);
    const fontSize = await panel.getByTestId('device-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(32);
    const qr = panel.getByTestId('device-qr');
    const complete = `${op.issuer}/device?user_code=${code}`;
    expect(await qr.getAttribute('aria-label')).toBe(`QR code of ${complete}`);
    // The symbol drawn is the one the qrcode library encodes for verification_uri_complete (4-module quiet zone).
    const { modules } = create(complete, { errorCorrectionLevel: 'M' });
    const drawn = await qr.locator('path').getAttribute('d');
    const expected = Array.from({ length: modules.size * modules.size }, (_, i) => [Math.floor(i / modules.size), i % modules.size])
      .filter(([r, c]) => modules.get(r!, c!))
      .map(([r, c]) => `M${c! + 4} ${r! + 4}h1v1h-1z`)
      .join('');
    expect(drawn).toBe(expected);
    expect(await panel.getByRole('status').textContent()).toMatch(/Waiting for approval\. TokenDesk checks every 5 s\.\s+The code expires in/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'device-panel-en');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'device-panel-dark-en');
    await page.emulateMedia({ colorScheme: 'light' });

    expect(await approveDevice(`${op.issuer}/device?user_code=${code}`)).toMatch(/Sign-in Success/);
    await panel.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText('Signed in: Living room TV.').first().waitFor();
    expect((await h.desk.getClient('Living room TV')).token).not.toBeNull();

    // OpenID Connect: the id_token's claims in the detail's Response tab.
    await page.getByRole('tab', { name: 'Response' }).click();
    const claims = page.getByTestId('id-token-claims');
    await claims.waitFor();
    const text = (await claims.textContent())!;
    expect(text).toContain('ID token claims');
    expect(text).toMatch(/sub\s*alice/);
    expect(text).toContain(op.issuer);
    expect(text).toMatch(/aud\s*e2e-tv/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'detail-id-token-en');
  });

  test('a denial ends the sign-in with the reason in plain words', async () => {
    const { page } = h;
    const panel = await startDeviceSignIn();
    const code = (await panel.getByTestId('device-code').textContent())!.trim();
    await approveDevice(`${op.issuer}/device?user_code=${code}`, { deny: true });
    await panel.waitFor({ state: 'detached', timeout: 20_000 });
    await detail(page).getByText(`The sign-in was denied at ${new URL(op.issuer).host}: nobody is signed in. Start the device sign-in again to retry.`).first().waitFor();
    await screenshot(page, 'device-denied-en');
  });

  test('Cancel stops the polling and closes the panel', async () => {
    const { page } = h;
    const panel = await startDeviceSignIn();
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.waitFor({ state: 'detached' });
    await detail(page).getByText('The device sign-in was cancelled.').first().waitFor();
    expect(await detailButton(page, 'Sign in with a code').isEnabled()).toBe(true);
  });
});

describe('device sign-in panel against the sandbox: slow_down', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ sandbox: { lifetimes: { deviceInterval: 3 } } });
    const creds = h.sandbox.credentials.oauth2;
    const issuer = `${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`;
    await createClient(h, {
      name: 'Sandbox TV',
      provider: 'oauth2',
      baseUrl: h.sandbox.url,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      generic: { ...DEFAULT_GENERIC, grant: 'device_code', tokenUrl: `${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, issuer, metadata: await h.desk.discover(issuer) },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a server that says slow_down is told on the panel, with the longer interval', async () => {
    const { page } = h;
    const creds = h.sandbox.credentials.oauth2;
    await openClient(page, 'Sandbox TV');
    await detailButton(page, 'Sign in with a code').click();
    const panel = page.getByTestId('device-panel');
    await panel.getByTestId('device-code').waitFor();
    // Another copy of the client polls the same device code first (the device code, masked in the log, is revealed to the test).
    const answered = (await h.desk.exchanges('Sandbox TV', true)).find((e) => e.url.endsWith(SANDBOX_OAUTH2_PATHS.deviceAuthorization))!;
    const deviceCode = (JSON.parse(answered.responseBody!) as { device_code: string }).device_code;
    const masked = (await h.desk.exchanges('Sandbox TV', false)).find((e) => e.id === answered.id)!;
    expect(masked.responseBody).not.toContain(deviceCode);
    const rogue = await fetch(`${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }).toString(),
    });
    expect(await rogue.json()).toMatchObject({ error: 'authorization_pending' });
    const status = panel.getByTestId('device-status');
    await page.waitForFunction(() => document.querySelector('[data-testid="device-status"]')?.getAttribute('data-slowed') === 'true', null, { timeout: 15_000 });
    expect(await status.textContent()).toContain('The server asked TokenDesk to slow down: it now checks every 8 s.');
    await screenshot(page, 'device-slow-down-en');

    const code = (await panel.getByTestId('device-code').textContent())!.trim();
    const decided = await fetch(`${h.sandbox.url}${SANDBOX_OAUTH2_PATHS.device}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: code, username: creds.username, password: creds.password, decision: 'allow' }).toString(),
    });
    expect(decided.status).toBe(200);
    await panel.waitFor({ state: 'detached', timeout: 20_000 });
    expect((await h.desk.getClient('Sandbox TV')).token).not.toBeNull();
  });
});
