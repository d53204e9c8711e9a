/**
 * The expiry timeline: every token's lifetime and scheduled refresh on one SVG axis, zoomable from
 * an hour to a year, with Daou's one day beside Hejhome's 180/360 days. Hejhome is signed in
 * through its HTML login page in an "OAuth window" (a second page whose redirect the harness catches).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startHarness, type Harness } from '../helpers/e2e-harness';
import { detail, hejhomeLogin, openClient, openDashboard, press, row, waitForState } from '../helpers/e2e-steps';

const DAY = 86_400;
const LIFETIMES = { daouAccess: DAY, hejhomeAccess: 180 * DAY, hejhomeRefresh: 360 * DAY, podAccess: 3599, podRefresh: 14 * DAY };

async function signInHejhomeAndIssueDaou(h: Harness, labels: { signIn: string; issue: string }): Promise<void> {
  const { page } = h;
  await openDashboard(page);
  await press(page, 'Sandbox — Hejhome', labels.signIn);
  await waitForState(page, 'Sandbox — Hejhome', 'valid');
  await press(page, 'Sandbox — Daou Office', labels.issue);
  await waitForState(page, 'Sandbox — Daou Office', 'valid');
  await press(page, 'Sandbox — POD Shop', labels.issue);
  await waitForState(page, 'Sandbox — POD Shop', 'valid');
}

describe('timeline (English)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ sandbox: { lifetimes: LIFETIMES }, authWindow: hejhomeLogin });
    await signInHejhomeAndIssueDaou(h, { signIn: 'Sign in', issue: 'Issue token' });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('signing in to Hejhome through its login page gives a 180-day token and a 360-day refresh token', async () => {
    const hejhome = row(h.page, 'Sandbox — Hejhome');
    expect(await hejhome.locator('.time').textContent()).toMatch(/^(179d 23h|180d) left$/);
    await openClient(h.page, 'Sandbox — Hejhome');
    const countdowns = detail(h.page).locator('.countdown .time');
    expect(await countdowns.nth(0).textContent()).toMatch(/^(179d 23h|180d)$/);
    expect(await countdowns.nth(1).textContent()).toMatch(/^(359d 23h|360d)$/);
    expect(h.sandbox.counters['hejhome.login']).toBe(1);
  });

  test('one axis shows the day-long and the half-year tokens side by side, "now" marked', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Timeline' }).click();
    const timeline = page.getByRole('region', { name: 'Expiry timeline' });
    await timeline.locator('svg').waitFor();
    // Until the user zooms, the span fits the furthest expiry: Hejhome's refresh token, 360 days out.
    expect(await timeline.getByRole('button', { name: '1 year' }).getAttribute('aria-pressed')).toBe('true');
    const bar = (name: string) => timeline.locator(`g.row:has(text:text-is("${name}")) rect.access`);
    const daouWidth = Number(await bar('Sandbox — Daou Office').getAttribute('width'));
    const hejhomeWidth = Number(await bar('Sandbox — Hejhome').getAttribute('width'));
    expect(hejhomeWidth).toBeGreaterThan(daouWidth * 20);
    expect(await timeline.locator('g.row:has(text:text-is("Sandbox — Hejhome")) rect.refresh').count()).toBe(1);
    expect(await timeline.locator('.now line').count()).toBe(1);
    expect(await timeline.locator('.now text').textContent()).toBe('now');
    // Scheduled refreshes are marked.
    expect(await timeline.locator('path.scheduled').count()).toBeGreaterThanOrEqual(1);
  });

  test('zooming from a year to an hour changes the axis; hovering a row shows its dates', async () => {
    const { page } = h;
    const timeline = page.getByRole('region', { name: 'Expiry timeline' });
    const ticks = () => timeline.locator('text.tick').allTextContents();
    const yearTicks = await ticks();
    await timeline.getByRole('button', { name: '1 hour' }).click();
    expect(await timeline.getByRole('button', { name: '1 hour' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(ticks).not.toEqual(yearTicks);
    expect((await ticks()).every((tick) => /^\d{1,2}:\d{2}( [AP]M)?$/.test(tick))).toBe(true);
    await timeline.getByRole('button', { name: '1 day' }).click();

    await timeline.locator('g.row:has(text:text-is("Sandbox — Hejhome")) rect.hit').hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('Sandbox — Hejhome');
    expect(await tooltip.textContent()).toMatch(/access token.*\d{4}/);
    // The same details are the accessible name of the row.
    const label = await timeline.locator('g.row:has(text:text-is("Sandbox — Daou Office"))').getAttribute('aria-label');
    expect(label).toMatch(/^Sandbox — Daou Office: access token expires .+; refresh token expires never; next refresh /);
  });

  test('the tooltip of the last row stays whole inside the window, not clipped by the card; "AM (in …)" spaced (issue #13 row 8)', async () => {
    const { page } = h;
    const timeline = page.getByRole('region', { name: 'Expiry timeline' });
    await timeline.getByRole('button', { name: '1 day' }).click();
    const last = timeline.locator('g.row').last();
    const box = (await last.locator('rect.hit').boundingBox())!;
    // Near the row's right end and bottom: where the card cut the tooltip off before.
    await page.mouse.move(box.x + box.width - 10, box.y + box.height - 4);
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    // How much of the tooltip can be seen, every clipping ancestor and the viewport considered.
    const visible = await tooltip.evaluate(
      (element) =>
        new Promise<number>((resolve) => {
          const observer = new IntersectionObserver((entries) => {
            observer.disconnect();
            resolve(entries[0]!.intersectionRatio);
          });
          observer.observe(element);
        }),
    );
    expect(visible).toBe(1);
    const size = page.viewportSize()!;
    const rect = (await tooltip.boundingBox())!;
    expect(rect.x).toBeGreaterThanOrEqual(0);
    expect(rect.x + rect.width).toBeLessThanOrEqual(size.width);
    expect(rect.y + rect.height).toBeLessThanOrEqual(size.height);
    // The access line: a date, one space, then the distance in brackets.
    const access = await tooltip.locator('dd').first().textContent();
    expect(access).toMatch(/\S \((in \d|expired)/);
    expect(access).not.toMatch(/\S\(/);
    await page.mouse.move(0, 0);
  });

  test('at one year the axis reads one month per tick, in calendar order', async () => {
    const timeline = h.page.getByRole('region', { name: 'Expiry timeline' });
    await timeline.getByRole('button', { name: '1 year' }).click();
    const names = await timeline.locator('text.tick').allTextContents();
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(names.length).toBeGreaterThanOrEqual(11);
    names.forEach((name, index) => expect(name).toBe(months[(months.indexOf(names[0]!) + index) % 12]));
  });

  test('no serious or critical accessibility violation; screenshot', async () => {
    const { page } = h;
    await page.getByRole('region', { name: 'Expiry timeline' }).getByRole('button', { name: '1 year' }).click();
    await page.mouse.move(0, 0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'timeline-en');
  });
});

describe('timeline (Korean)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ locale: 'ko-KR', sandbox: { lifetimes: LIFETIMES }, authWindow: hejhomeLogin });
    await signInHejhomeAndIssueDaou(h, { signIn: '로그인', issue: '토큰 발급' });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('Korean axis, legend and zoom; screenshot', async () => {
    const { page } = h;
    await page.getByRole('button', { name: '타임라인' }).click();
    const timeline = page.getByRole('region', { name: '만료 타임라인' });
    await timeline.locator('svg').waitFor();
    expect(await timeline.getByRole('button', { name: '1년' }).getAttribute('aria-pressed')).toBe('true');
    expect(await timeline.locator('.now text').textContent()).toBe('지금');
    expect((await timeline.locator('text.tick').allTextContents()).some((tick) => tick.endsWith('월'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'timeline-ko');
  });
});
