/**
 * Sign-in in the system browser without a loopback redirect: main opens the browser and sends
 * 'auth:awaitingPaste'; the UI asks for the address the browser was sent to and hands it to
 * auth:complete. The "browser" here is the test playing the user over HTTP (playUser).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, openClient } from '../helpers/e2e-steps';
import { playUser } from '../helpers/oauth-browser';

describe('sign-in by pasting the address', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const { oauth2 } = h.sandbox.credentials;
    await createClient(h, {
      name: 'Generic paste',
      provider: 'oauth2',
      clientId: oauth2.clientId,
      clientSecret: oauth2.clientSecret,
      redirectUri: 'https://tokendesk.dev/oauth2/callback',
      scope: oauth2.scope,
      generic: {
        grant: 'authorization_code',
        authorizationUrl: `${h.sandbox.url}/oauth2/authorize`,
        tokenUrl: `${h.sandbox.url}/oauth2/token`,
        refreshUrl: null,
        revocationUrl: `${h.sandbox.url}/oauth2/revoke`,
        clientAuth: 'basic',
        paramsIn: 'body',
        pkce: true,
        extraParams: {},
        responseFields: {},
        username: null,
      },
    });
    await h.page.reload();
    await openClient(h.page, 'Generic paste');
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the paste field appears, and the pasted address completes the sign-in', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Sign in with the browser' }).click();
    const form = page.getByRole('form', { name: 'Finish signing in' });
    await form.waitFor();
    expect(h.opened).toHaveLength(1);
    const panel = page.getByTestId('signin-panel');
    expect(await panel.textContent()).toContain(h.opened[0]);
    expect(await panel.getByRole('button', { name: 'Cancel sign-in' }).count()).toBe(1);
    // Progress is shown while main waits.
    expect(await page.locator('.detail [data-state="busy"]').textContent()).toContain('Signing in…');
    expect(await axeViolations(page)).toEqual([]);

    const { username, password } = h.sandbox.credentials.oauth2;
    const callback = await playUser(h.opened[0]!, { username, password, decision: 'allow' });
    expect(callback).toMatch(/^https:\/\/tokendesk\.dev\/oauth2\/callback\?code=/);
    await form.getByLabel('The address you were sent to').fill(callback);
    await form.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.detail [data-state="valid"]').waitFor();
    await expect.poll(() => page.getByRole('form', { name: 'Finish signing in' }).count()).toBe(0);
    expect(await page.getByTestId('refresh-token').count()).toBe(1);
    expect(await page.locator('.scopes').textContent()).toContain('read');
  });
});
