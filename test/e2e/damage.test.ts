/**
 * Damage stays where it is, in the app (issue #11 row 2 and 5): one client whose sealed secret has a
 * flipped byte and one whose stored provider is "nosuch" are listed as damaged and say what is
 * wrong (in Korean too), while the good client is issued a token; the damaged ones are repaired
 * and removed through the same dispatch the renderer uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ClientConfig, ClientView } from '../../main/model/types';
import { startHarness, type Harness } from '../helpers/e2e-harness';
import { createClient, daouInput, detail, openClient, openDashboard, press, row, waitForState } from '../helpers/e2e-steps';

/** One character of a sealed value's ciphertext changed: its GCM tag no longer matches. */
function flipOne(sealed: string): string {
  const parts = sealed.split('.');
  const ct = parts[3]!;
  parts[3] = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
  return parts.join('.');
}

describe('damaged clients in the app', () => {
  let h: Harness;
  let broken: ClientView;

  beforeAll(async () => {
    h = await startHarness();
    broken = await createClient(h, daouInput(h, { name: 'Daou secret' }));
    await createClient(h, daouInput(h, { name: 'Daou good' }));
    const file = path.join(h.dataDir, 'store.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { clients: ClientConfig[]; secrets: Record<string, string> };
    doc.secrets[broken.config.id] = flipOne(doc.secrets[broken.config.id]!);
    doc.clients.push({ ...doc.clients.find((client) => client.name === 'Daou good')!, id: 'nosuch-provider', name: 'Daou nosuch', provider: 'nosuch' as ClientConfig['provider'] });
    fs.writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
    await h.page.reload();
    await openDashboard(h.page);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('are listed as damaged and say what is wrong; the good client is issued a token', async () => {
    await waitForState(h.page, 'Daou secret', 'damaged');
    await waitForState(h.page, 'Daou nosuch', 'damaged');
    await openClient(h.page, 'Daou secret');
    await expect.poll(() => detail(h.page).locator('.error-panel').textContent()).toContain('The client secret of "Daou secret" is unreadable: enter it again');
    await openClient(h.page, 'Daou nosuch');
    await expect.poll(() => detail(h.page).locator('.error-panel').textContent()).toMatch(/The stored settings of "Daou nosuch" cannot be read \(provider: .+\): edit the client/);

    await press(h.page, 'Daou good', 'Issue token');
    await waitForState(h.page, 'Daou good', 'valid');
  });

  test('in Korean, the damage reads in Korean', async () => {
    expect(await h.call('settings:set', { language: 'ko' })).toMatchObject({ ok: true });
    await h.page.reload();
    await openClient(h.page, 'Daou secret');
    await expect.poll(() => detail(h.page).locator('.error-panel').textContent()).toContain('"Daou secret"의 클라이언트 시크릿을 읽을 수 없습니다');
    expect(await h.call('settings:set', { language: 'en' })).toMatchObject({ ok: true });
    await h.page.reload();
  });

  test('the secret entered again repairs one; the other is removed; the good client keeps its token', async () => {
    const input = { ...daouInput(h, { name: 'Daou secret' }) };
    expect(await h.call('clients:update', { clientId: broken.config.id, input })).toMatchObject({ ok: true, value: { state: 'none', damage: null } });
    await waitForState(h.page, 'Daou secret', 'none');
    expect(await h.call('clients:remove', { clientId: 'nosuch-provider' })).toMatchObject({ ok: true });
    await expect.poll(() => row(h.page, 'Daou nosuch').count()).toBe(0);
    await waitForState(h.page, 'Daou good', 'valid');
  });
});
