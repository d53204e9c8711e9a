/**
 * `npm run screenshots`: the README's pictures, taken as a user sees the app (issue #13 row 16) —
 * the built renderer in Chromium on the real core and sandbox, in light and dark, English and
 * Korean, at 1360×900 and at the 880×560 minimum window. Not a test: it writes docs/*.png (or the
 * directory in SHOTS_DIR) and removes everything else it made.
 *
 * What a user would not see is kept out: the core gets a keychain (as the app gets the OS one), so
 * no "no OS keychain" banner; toasts are dismissed and the pointer and focus moved away before each
 * picture. The keychain here only seals the throw-away data directory of this run.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Keychain } from '../../main/tokens/secrets';
import { ROOT } from '../helpers/e2e-build';
import { startHarness, type Harness } from '../helpers/e2e-harness';
import { hejhomeLogin, openClient, press, waitForState } from '../helpers/e2e-steps';

const OUT = process.env['SHOTS_DIR'] ?? join(ROOT, 'docs');
const DAY = 86_400;

/** Stands in for the OS keychain: seals nothing worth keeping (the data directory is deleted after). */
const runKeychain: Keychain = {
  backend: 'screenshots',
  plaintextEquivalent: false,
  encrypt: async (plain) => Buffer.from(plain, 'utf8'),
  decrypt: async (data) => data.toString('utf8'),
};

interface Scene {
  locale: 'en-US' | 'ko-KR';
  colorScheme: 'light' | 'dark';
  /** Suffix of the file names: 'en', 'ko-dark'. */
  tag: string;
  labels: { issue: string; signIn: string; signInBrowser: string; cancel: string };
  /** The pictures the README shows from this scene (the walk-through passes through all of them). */
  shots: readonly Shot[];
}

type Shot = 'first-run' | 'dashboard' | 'small' | 'exchanges' | 'timeline' | 'signin' | 'signin-small';

const SCENES: Scene[] = [
  {
    locale: 'en-US',
    colorScheme: 'light',
    tag: 'en',
    labels: { issue: 'Issue token', signIn: 'Sign in', signInBrowser: 'Sign in with the browser', cancel: 'Cancel sign-in' },
    shots: ['first-run', 'dashboard', 'small', 'timeline', 'signin'],
  },
  {
    locale: 'ko-KR',
    colorScheme: 'dark',
    tag: 'ko-dark',
    labels: { issue: '토큰 발급', signIn: '로그인', signInBrowser: '브라우저로 로그인', cancel: '로그인 취소' },
    shots: ['dashboard', 'small', 'exchanges', 'signin-small'],
  },
];

/** No toast, no hover, no focus ring: the window as it looks when the user glances at it. */
async function settle(page: Page): Promise<void> {
  const toasts = page.locator('[role="status"] .toast button');
  while ((await toasts.count()) > 0) await toasts.first().click();
  await page.mouse.move(1, 1);
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
  await page.waitForTimeout(300);
}

async function shoot(page: Page, scene: Scene, shot: Shot, viewport: { width: number; height: number }): Promise<void> {
  if (!scene.shots.includes(shot)) return;
  await page.setViewportSize(viewport);
  await settle(page);
  const path = join(OUT, `screenshot-${shot}-${scene.tag}.png`);
  await page.screenshot({ path });
  console.log(`  ${path}`);
}

async function scene(s: Scene): Promise<void> {
  const h: Harness = await startHarness({
    locale: s.locale,
    colorScheme: s.colorScheme,
    desk: { keychain: runKeychain },
    sandbox: { lifetimes: { daouAccess: DAY, hejhomeAccess: 180 * DAY, hejhomeRefresh: 360 * DAY, podAccess: 3599, podRefresh: 14 * DAY } },
    authWindow: hejhomeLogin,
  });
  try {
    const { page } = h;
    const large = { width: 1360, height: 900 };
    const small = { width: 880, height: 560 };
    await page.locator('[data-client-id]').first().waitFor();
    await shoot(page, s, 'first-run', large);
    await page.setViewportSize(large);

    await press(page, 'Sandbox — Hejhome', s.labels.signIn);
    await waitForState(page, 'Sandbox — Hejhome', 'valid');
    await press(page, 'Sandbox — POD Shop', s.labels.issue);
    await waitForState(page, 'Sandbox — POD Shop', 'valid');
    await press(page, 'Sandbox — Daou Office', s.labels.issue);
    await waitForState(page, 'Sandbox — Daou Office', 'valid');
    await shoot(page, s, 'dashboard', large);
    await shoot(page, s, 'small', small);

    await page.getByRole('tab').nth(2).click();
    await shoot(page, s, 'exchanges', large);

    await page.locator('nav button[data-view="timeline"]').click();
    await page.locator('svg text.tick').first().waitFor();
    await shoot(page, s, 'timeline', large);

    await openClient(page, 'Sandbox — Generic OAuth 2.0');
    await page.getByRole('button', { name: s.labels.signInBrowser, exact: true }).click();
    await page.getByTestId('signin-panel').waitFor();
    await page.waitForTimeout(500);
    await shoot(page, s, 'signin', large);
    await shoot(page, s, 'signin-small', small);
    // Its loopback listener would otherwise wait out the sign-in timeout.
    await page.getByTestId('signin-panel').getByRole('button', { name: s.labels.cancel }).click();
  } finally {
    await h.close();
  }
}

await mkdir(OUT, { recursive: true });
for (const s of SCENES) {
  console.log(`${s.locale}, ${s.colorScheme}`);
  await scene(s);
}
