/**
 * `tokendesk ui`: the built command line started as a real process (--no-open), its printed
 * address opened in Chromium. The same app as the desktop window, through the browser door:
 * first-run sandbox, issuing, the timeline, Hejhome's sign-in with its loopback redirect caught by
 * the ui process; and the door's guard: session cookie, Host, Origin, one-time token, loopback only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { hejhomeLogin, openClient, openDashboard, press, row, waitForState } from '../helpers/e2e-steps';
import { axeViolations } from '../helpers/e2e-browser';
import { launchChromium, listenersOn, rawRequest, startUi, type UiProcess } from '../helpers/ui-process';

const DAOU = 'Sandbox — Daou Office';
const HEJHOME = 'Sandbox — Hejhome';

describe('tokendesk ui in Chromium', () => {
  let ui: UiProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let cookie = '';

  beforeAll(async () => {
    ui = await startUi(['--idle-timeout', '2']);
    browser = await launchChromium(ui.origin);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(ui.url);
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  test('prints a loopback address with a 256-bit token in its fragment', () => {
    const token = new URL(ui.url).hash.replace(/^#token=/, '');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
    expect(ui.stdout()).toContain('Ctrl-C stops it');
  });

  test('first run: the sandbox clients, the browser door named in the banner, the token gone from the address bar', async () => {
    await openDashboard(page);
    for (const name of [DAOU, HEJHOME, 'Sandbox — POD Shop']) expect(await row(page, name).count()).toBe(1);
    expect(await page.locator('.banner [data-code="browser_door"]').textContent()).toContain('running in a browser tab');
    expect(page.url()).toBe(`${ui.origin}/`);
    const cookies = await browser.context.cookies(ui.origin);
    const session = cookies.find((c) => c.name === 'tokendesk_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    cookie = `tokendesk_session=${session!.value}`;
    expect(await axeViolations(page)).toEqual([]);
  });

  test('issues a Daou Office token, and copies it through the page clipboard', async () => {
    await press(page, DAOU, 'Issue token');
    await waitForState(page, DAOU, 'valid');
    await openClient(page, DAOU);
    await page.getByRole('group', { name: 'Copy as' }).getByRole('button', { name: 'Authorization header', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Copied to the clipboard');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Authorization: Bearer \S{20,}$/);
  });

  test('signs in to Hejhome in a new tab; the ui process catches the loopback redirect', async () => {
    await openClient(page, HEJHOME);
    // No OAuth window in a browser: one sign-in, through this browser.
    expect(await page.getByRole('button', { name: 'Sign in with the browser' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const form = page.getByRole('form', { name: 'Finish signing in' });
    const link = form.getByRole('link', { name: 'Open the sign-in page' });
    await link.waitFor();
    // Copy link: the waiting sign-in's page, through the table; Open again is the page's own job here.
    const call = (name: string) =>
      rawRequest(ui.port, {
        method: 'POST',
        path: `/api/call/${name}`,
        headers: { host: `127.0.0.1:${ui.port}`, origin: ui.origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: HEJHOME }),
      }).then((response) => JSON.parse(response.body) as { ok: boolean; value?: unknown; error?: { code: string } });
    expect(await call('auth:copyLink')).toEqual({ ok: true, value: await link.getAttribute('href') });
    expect(await call('auth:reopen')).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    const [popup] = await Promise.all([browser.context.waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    await hejhomeLogin(popup);
    // The sandbox sends the tab to http://127.0.0.1:47823/hejhome/callback, where the ui process listens.
    await popup.waitForURL(/^http:\/\/127\.0\.0\.1:47823\/hejhome\/callback\?code=/);
    await page.locator('.detail [data-state="valid"]').waitFor();
    await expect.poll(() => form.count()).toBe(0);
    await popup.close();
  });

  test('the timeline shows both tokens on one axis', async () => {
    await page.locator('nav button[data-view="timeline"]').click();
    const timeline = page.getByRole('region', { name: 'Expiry timeline' });
    await timeline.locator('svg').waitFor();
    for (const name of [DAOU, HEJHOME]) expect(await timeline.locator(`g.row:has(text:text-is("${name}")) rect.access`).count()).toBe(1);
  });

  test('a second tab of the same browser shares the session, and events keep both tabs current', async () => {
    const second = await browser.context.newPage();
    // No token this time: the session cookie is enough.
    await second.goto(`${ui.origin}/`);
    await openDashboard(second);
    await openDashboard(page);
    await press(page, 'Sandbox — POD Shop', 'Issue token');
    await waitForState(second, 'Sandbox — POD Shop', 'valid');
    await second.close();
  });

  test('settings say what a browser tab cannot do', async () => {
    await page.locator('nav button[data-view="settings"]').click();
    await page.getByTestId('browser-notices').waitFor();
    expect(await page.getByText('Keep running in the tray when the window is closed').count()).toBe(0);
  });

  test('security: without the session cookie, every call and the event stream are refused', async () => {
    const headers = { host: `127.0.0.1:${ui.port}`, origin: ui.origin };
    const call = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers });
    expect(call.status).toBe(401);
    expect(call.body).not.toContain('Sandbox');
    expect((await rawRequest(ui.port, { path: '/api/events', headers: { host: headers.host } })).status).toBe(401);
    const forged = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { ...headers, cookie: 'tokendesk_session=forged' } });
    expect(forged.status).toBe(401);
    // The same request with the tab's cookie works: the refusals above are the guard's.
    const allowed = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { ...headers, cookie } });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain(DAOU);
    expect(allowed.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('security: a wrong Host (DNS rebinding) is refused, even with the session cookie', async () => {
    for (const host of ['evil.example', `evil.example:${ui.port}`, `127.0.0.1.nip.io:${ui.port}`]) {
      const page = await rawRequest(ui.port, { path: '/', headers: { host } });
      expect(page.status).toBe(400);
      const call = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { host, origin: `http://${host}`, cookie } });
      expect(call.status).toBe(400);
      expect(call.body).not.toContain(DAOU);
    }
  });

  test('security: a foreign Origin, a POST without Origin and a cross-site fetch are refused', async () => {
    const host = `127.0.0.1:${ui.port}`;
    for (const origin of ['http://evil.example', 'http://127.0.0.1:1', 'null']) {
      const call = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { host, origin, cookie } });
      expect(call.status).toBe(403);
    }
    expect((await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { host, cookie } })).status).toBe(403);
    const crossSite = await rawRequest(ui.port, { path: '/api/events', headers: { host, cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  test('security: a page on another loopback port (same site, so the cookie goes along) cannot act', async () => {
    // SameSite ignores ports: only the Origin / Sec-Fetch-Site check stands between this page and the door.
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilPage = await browser.context.newPage();
    try {
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const outcome = await evilPage.evaluate(async (target) => {
        const body = JSON.stringify({ name: 'Planted by evil', provider: 'daouoffice', clientId: 'x', clientSecret: 'y' });
        await fetch(`${target}/api/call/clients:create`, { method: 'POST', mode: 'no-cors', credentials: 'include', body }).catch(() => undefined);
        return fetch(`${target}/api/call/clients:list`, { method: 'POST', credentials: 'include' }).then(
          (response) => `read ${response.status}`,
          () => 'blocked',
        );
      }, ui.origin);
      expect(outcome).toBe('blocked');
    } finally {
      await evilPage.close();
      await new Promise((resolve) => {
        evil.close(resolve);
        evil.closeAllConnections();
      });
    }
    const list = await rawRequest(ui.port, { method: 'POST', path: '/api/call/clients:list', headers: { host: `127.0.0.1:${ui.port}`, origin: ui.origin, cookie } });
    expect(list.body).not.toContain('Planted by evil');
  });

  test('security: the URL token works once; a second browser with the same address is refused', async () => {
    const token = new URL(ui.url).hash.replace(/^#token=/, '');
    const again = await rawRequest(ui.port, {
      method: 'POST',
      path: '/api/session',
      headers: { host: `127.0.0.1:${ui.port}`, origin: ui.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();

    const other = await launchChromium(ui.origin);
    try {
      const otherPage = other.context.pages()[0] ?? (await other.context.newPage());
      await otherPage.goto(ui.url);
      await otherPage.locator('.load-error').waitFor();
      expect(await otherPage.locator('.load-error').textContent()).toContain('this address was already used');
      expect(await other.context.cookies(ui.origin)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('security: the server listens on 127.0.0.1 only, with the app CSP (connect-src self) and no CORS', async () => {
    expect(listenersOn(ui.port)).toEqual(['0100007F']);
    const index = await rawRequest(ui.port, { path: '/', headers: { host: `127.0.0.1:${ui.port}` } });
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(index.headers['access-control-allow-origin']).toBeUndefined();
    expect(index.body).toContain("connect-src 'self'");
  });

  test('the same input schemas as IPC: a bad payload is refused with the channel named', async () => {
    const bad = await rawRequest(ui.port, {
      method: 'POST',
      path: '/api/call/token:issue',
      headers: { host: `127.0.0.1:${ui.port}`, origin: ui.origin, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 42 }),
    });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('Invalid input for token:issue') } });
  });

  test('stops by itself once the last tab has been closed for the idle time', async () => {
    for (const open of browser.context.pages()) await open.close();
    const started = Date.now();
    expect(await ui.exited).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(ui.stdout()).toContain('TokenDesk ui stopped (every tab has been closed for 2 s)');
  });
});

describe('tokendesk ui stopped under an open tab', () => {
  test('Ctrl-C stops the server, and the page says so', async () => {
    const ui = await startUi();
    const browser = await launchChromium(ui.origin);
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(ui.url);
      await openDashboard(page);
      ui.child.kill('SIGINT');
      expect(await ui.exited).toBe(0);
      await page.getByRole('button', { name: 'Notices (1)' }).click();
      expect(await page.locator('#notice-list').textContent()).toContain('TokenDesk ui is not running any more');
    } finally {
      await browser.close();
      await ui.stop();
    }
  });
});
