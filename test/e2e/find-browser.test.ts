/**
 * The browser the e2e tests drive: found in the documented order, and the Chromium from npm
 * really runs a page here with nothing but what npm installed.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../helpers/e2e-browser';
import { findBrowser, NO_BROWSER_MESSAGE, removeChromiumScratch } from '../helpers/find-browser';

let dir: string;
let fakeChrome: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokendesk-find-browser-'));
  fakeChrome = join(dir, 'chrome');
  await writeFile(fakeChrome, '#!/bin/sh\n');
  await chmod(fakeChrome, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first', () => {
    const found = findBrowser({ env: { CHROMIUM_PATH: fakeChrome }, installed: ['/usr/bin/chromium'] });
    expect(found).toMatchObject({ executablePath: fakeChrome, source: 'CHROMIUM_PATH' });
  });

  it('goes on to an installed browser when CHROMIUM_PATH points nowhere', () => {
    const found = findBrowser({ env: { CHROMIUM_PATH: join(dir, 'nowhere') }, installed: [join(dir, 'missing'), dir, fakeChrome] });
    expect(found).toMatchObject({ executablePath: fakeChrome, source: 'installed' });
  });

  it('names what to install when nothing is found and npm has no build for the platform', () => {
    expect(() => findBrowser({ env: {}, installed: [], platform: 'darwin', arch: 'arm64' })).toThrow(NO_BROWSER_MESSAGE);
    expect(() => findBrowser({ env: {}, installed: [], npm: false })).toThrow(/apt-get install chromium/);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'runs the Chromium that came from npm, with its own libraries',
    async () => {
      const found = findBrowser({ env: {}, installed: [] });
      expect(found.source).toBe('npm');
      expect(found.executablePath).toContain('node_modules/.cache/tokendesk-chromium-');
      const userDataDir = await mkdtemp(join(dir, 'profile-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: found.executablePath,
        env: { ...process.env, ...found.env },
        headless: true,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.setContent('<p id="out"></p><script>document.getElementById("out").textContent = String(6 * 7)</script>');
        expect(await page.textContent('#out')).toBe('42');
      } finally {
        await context.close();
        removeChromiumScratch();
      }
    },
  );
});
