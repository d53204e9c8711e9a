/**
 * Token detail (the right pane, in tabs): masked value with reveal, copy as raw / header / curl / .env (what main put on the
 * clipboard), the decoded JWT with its dates in local time, the raw token response, and the
 * exchange history with secrets masked until the user reveals them. English and Korean.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { openClient, press } from '../helpers/e2e-steps';

const DAOU = 'Sandbox — Daou Office';

describe('token detail (English)', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness({ sandbox: { lifetimes: { daouAccess: 86_400 } } });
    await press(h.page, DAOU, 'Issue token');
    await h.page.getByTestId('access-token').waitFor();
    const id = h.desk.listClients().find((c) => c.config.name === DAOU)!.config.id;
    token = await h.desk.reveal(id, 'access');
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the token is masked until revealed', async () => {
    const value = h.page.getByTestId('access-token');
    expect(await value.textContent()).not.toBe(token);
    await h.page.getByRole('button', { name: 'Show token', exact: true }).click();
    await expect.poll(() => value.textContent()).toBe(token);
    await h.page.getByRole('button', { name: 'Hide token', exact: true }).click();
    await expect.poll(() => value.textContent()).not.toBe(token);
  });

  test('copy as raw token, Authorization header, curl command and .env line', async () => {
    const { page } = h;
    const copy = async (label: string) => {
      const before = h.clipboard.length;
      await page.getByRole('group', { name: 'Copy as' }).getByRole('button', { name: label, exact: true }).click();
      await expect.poll(() => h.clipboard.length).toBe(before + 1);
      return h.clipboard.at(-1);
    };
    expect(await copy('Raw token')).toBe(token);
    expect(await copy('Authorization header')).toBe(`Authorization: Bearer ${token}`);
    expect(await copy('curl command')).toBe(`curl -H 'Authorization: Bearer ${token}' '${h.sandbox.url}/path'`);
    expect(await copy('.env line')).toBe(`SANDBOX_DAOU_OFFICE_ACCESS_TOKEN=${token}`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Copied to the clipboard');
    // Ctrl+Shift+C copies the open client's token as a header.
    await page.locator('#detail-title').click();
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => h.clipboard.at(-1)).toBe(`Authorization: Bearer ${token}`);
  });

  test('the JWT is decoded: header, claims, and exp/iat as local dates', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Response' }).click();
    const jwt = page.getByRole('region', { name: 'Decoded JWT' });
    await jwt.waitFor();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number; sub: string };
    expect(await jwt.getByLabel('Header').textContent()).toContain('"alg": "HS256"');
    expect(await jwt.getByLabel('Claims').textContent()).toContain(`"sub": "${claims.sub}"`);
    const expDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Seoul' }).format(claims.exp * 1000);
    expect(await jwt.locator('time').first().textContent()).toBe(expDate);
    expect(await jwt.locator('dl').textContent()).toContain(String(claims.iat));
  });

  test('the raw token response and the exchange mask secrets until "Reveal secrets"', async () => {
    const { page } = h;
    const raw = page.getByRole('region', { name: 'Raw token response' });
    expect(await raw.textContent()).toContain('"expires_in"');
    expect(await raw.textContent()).not.toContain(token);
    await page.getByRole('tab', { name: 'HTTP exchanges' }).click();
    const exchange = page.locator('.exchange').first();
    expect(await exchange.locator('.response').textContent()).not.toContain(token);
    await page.getByLabel('Reveal secrets').check();
    await expect.poll(() => exchange.locator('.response').textContent()).toContain(token);
    await page.getByRole('tab', { name: 'Response' }).click();
    await expect.poll(() => raw.textContent()).toContain(token);
    await page.getByRole('tab', { name: 'HTTP exchanges' }).click();
    const basic = Buffer.from(`${h.sandbox.credentials.daouoffice.clientId}:${h.sandbox.credentials.daouoffice.clientSecret}`).toString('base64');
    expect(await exchange.locator('.request').textContent()).toContain(`Basic ${basic}`);
    await page.getByLabel('Reveal secrets').uncheck();
    await expect.poll(() => exchange.locator('.response').textContent()).not.toContain(token);
  });

  test('Ctrl+Enter issues again; the exchange history grows, newest first', async () => {
    const { page } = h;
    const before = await page.locator('.exchange').count();
    await page.locator('#detail-title').click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.exchange').count()).toBe(before + 1);
  });

  test('no serious or critical accessibility violation; screenshot', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await screenshot(h.page, 'detail-en');
  });
});

describe('token detail (Korean)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ locale: 'ko-KR', sandbox: { lifetimes: { daouAccess: 86_400 } } });
    await press(h.page, DAOU, '토큰 발급');
    await h.page.getByTestId('access-token').waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('labels, dates and durations are Korean', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: '응답' }).click();
    const claims = page.getByRole('region', { name: 'JWT 해독' }).locator('time').first();
    expect(await claims.textContent()).toMatch(/\d{4}\. \d{1,2}\. \d{1,2}\./);
    await page.getByRole('tab', { name: 'HTTP 교환' }).click();
    expect(await page.getByRole('region', { name: 'HTTP 요청 기록' }).textContent()).toContain('요청');
    await page.getByRole('tab', { name: '토큰' }).click();
    await page.getByRole('group', { name: '복사 형식' }).getByRole('button', { name: 'Authorization 헤더' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('클립보드에 복사했습니다');
  });

  test('no serious or critical accessibility violation; screenshot', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await screenshot(h.page, 'detail-ko');
  });
});

describe('token detail: POD Shop', () => {
  let h: Harness;
  const POD = 'Sandbox — POD Shop';

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('shows the refresh form that worked after a fallback (docs/providers.md §3)', async () => {
    // A server that takes only the curl example's form and answers the table's with 415.
    h.sandbox.config.podRefreshForms = ['query'];
    h.sandbox.config.podRefusedFormStatus = 415;
    await h.desk.issue(POD);
    await h.desk.refresh(POD);
    await openClient(h.page, POD);
    await expect
      .poll(() => h.page.getByTestId('refresh-form').textContent())
      .toBe('refreshToken in the query string (the document’s curl example)');
  });
});
