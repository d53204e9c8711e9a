/**
 * Issue #13 row 3: while a sign-in waited ("Sign in with the browser" with a loopback redirect),
 * there was only a "Signing in…" badge and every button was disabled — no link to open again, no
 * copy, no cancel. Now a panel says what is happening and offers Open again, Copy link, the paste
 * field (browser sign-ins) and Cancel, for the browser and for the OAuth window, while the rest of
 * the app stays usable.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, detailButton, hejhomeLogin, openClient, press, waitForState } from '../helpers/e2e-steps';
import { playUser } from '../helpers/oauth-browser';

const LOOPBACK = 'Generic loopback';
const HEJHOME = 'Sandbox — Hejhome';
const DAOU = 'Sandbox — Daou Office';

describe('the sign-in panel', () => {
  let h: Harness;
  const panel = () => h.page.getByTestId('signin-panel');
  const panelButton = (name: string) => panel().getByRole('button', { name, exact: true });

  beforeAll(async () => {
    h = await startHarness();
    const { oauth2 } = h.sandbox.credentials;
    await createClient(h, {
      name: LOOPBACK,
      provider: 'oauth2',
      clientId: oauth2.clientId,
      clientSecret: oauth2.clientSecret,
      // No port: the loopback listener takes an ephemeral one (RFC 8252 §7.3).
      redirectUri: 'http://127.0.0.1/oauth2/callback',
      scope: oauth2.scope,
      generic: {
        grant: 'authorization_code',
        authorizationUrl: `${h.sandbox.url}/oauth2/authorize`,
        tokenUrl: `${h.sandbox.url}/oauth2/token`,
        refreshUrl: null,
        revocationUrl: null,
        clientAuth: 'basic',
        paramsIn: 'body',
        pkce: true,
        extraParams: {},
        responseFields: {},
        username: null,
      },
    });
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('browser with a loopback redirect: Open again, Copy link, paste and Cancel, not just a badge', async () => {
    const { page } = h;
    await press(page, LOOPBACK, 'Sign in with the browser');
    await panel().waitFor();
    await expect.poll(() => h.opened.length).toBe(1);
    const link = h.opened[0]!;
    expect(await panel().getAttribute('data-mode')).toBe('paste');
    expect(await panel().textContent()).toContain(link);
    for (const name of ['Open again', 'Copy link', 'Continue', 'Cancel sign-in']) expect(await panelButton(name).count()).toBe(1);
    expect(await panelButton('Open again').isEnabled()).toBe(true);
    expect(await panelButton('Copy link').isEnabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await panelButton('Copy link').click();
    await expect.poll(() => h.clipboard.at(-1)).toBe(link);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Sign-in link copied to the clipboard.');
    await panelButton('Open again').click();
    // The same page again: the same state and PKCE challenge, so the first tab still works too.
    await expect.poll(() => h.opened.length).toBe(2);
    expect(h.opened[1]).toBe(link);

    // The rest of the app stays usable while the sign-in waits.
    await press(page, DAOU, 'Issue token');
    await waitForState(page, DAOU, 'valid');

    // The browser comes back to the loopback listener: the sign-in finishes and the panel goes.
    await openClient(page, LOOPBACK);
    const { username, password } = h.sandbox.credentials.oauth2;
    const callback = await playUser(link, { username, password, decision: 'allow' });
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback\?code=/);
    await fetch(callback);
    await waitForState(page, LOOPBACK, 'valid');
    await expect.poll(() => panel().count()).toBe(0);
  });

  test('the OAuth window: Open again replaces the window, Copy link copies its page, Cancel closes it', async () => {
    const { page } = h;
    await press(page, HEJHOME, 'Sign in');
    await panel().waitFor();
    await expect.poll(() => panel().getAttribute('data-mode')).toBe('window');
    await panelButton('Copy link').waitFor();
    expect(await panel().getByRole('textbox').count()).toBe(0);
    // The panel can show before the window's page is handed to the harness: wait for it, don't race it.
    await expect.poll(() => h.authPages.length).toBe(1);
    await expect.poll(() => h.authPages[0]!.url()).toContain('/login/openapi');
    const link = h.authPages[0]!.url();

    await panelButton('Copy link').click();
    await expect.poll(() => h.clipboard.at(-1)).toBe(link);
    await panelButton('Open again').click();
    await expect.poll(() => h.authPages.length).toBe(2);
    await expect.poll(() => h.authPages[0]!.isClosed()).toBe(true);

    await panelButton('Cancel sign-in').click();
    await expect.poll(() => h.authPages[1]!.isClosed()).toBe(true);
    await expect.poll(() => panel().count()).toBe(0);
    // Not stuck busy: the sign-in can start again at once, and this time it is finished in the window.
    await expect.poll(() => detailButton(page, 'Sign in').isEnabled()).toBe(true);
    await detailButton(page, 'Sign in').click();
    await expect.poll(() => h.authPages.length).toBe(3);
    await hejhomeLogin(h.authPages[2]!);
    await waitForState(page, HEJHOME, 'valid');
    await expect.poll(() => panel().count()).toBe(0);
  });
});

describe('the sign-in panel (Korean)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ locale: 'ko-KR', colorScheme: 'dark' });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('its buttons read in Korean; axe is clean in dark', async () => {
    const { page } = h;
    await press(page, HEJHOME, '로그인');
    const panel = page.getByTestId('signin-panel');
    await panel.getByRole('button', { name: '링크 복사' }).waitFor();
    for (const name of ['다시 열기', '링크 복사', '로그인 취소']) expect(await panel.getByRole('button', { name, exact: true }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: '로그인 취소' }).click();
    await expect.poll(() => panel.count()).toBe(0);
  });
});
