/**
 * The no-loop rule and the call ceiling end to end: the real TokenDesk, its scheduler on a fake
 * clock, and the sandbox over real HTTP answering every refresh with "nothing to do"
 * (docs/providers.md §6).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import { sandboxClientPresets } from '../../../main/sandbox/presets';
import { CALLS_PER_MINUTE, scheduledRetryDelay } from '../../../main/tokens/refresh-guard';
import { playUser } from '../../helpers/oauth-browser';

const ITCODE = 'Sandbox — itcode (naver)';
const HEJHOME = 'Sandbox — Hejhome';
const DAOU = 'Sandbox — Daou Office';
const HOUR = 3_600_000;

let sandbox: Sandbox | null = null;
let desk: TokenDesk | null = null;
let dataDir = '';

async function open(lifetimes: Parameters<typeof startSandbox>[0] = {}): Promise<{ sandbox: Sandbox; desk: TokenDesk }> {
  sandbox = await startSandbox(lifetimes);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-no-loop-'));
  desk = await TokenDesk.open({ dataDir, sandboxUrl: sandbox.url, sandboxSeeds: sandboxClientPresets(sandbox.url), background: true });
  return { sandbox, desk };
}

afterEach(async () => {
  await desk?.close();
  await sandbox?.close();
  desk = null;
  sandbox = null;
  vi.useRealTimers();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The calls a provider may see in `span` ms after the first due time: the backoff schedule's number. */
function backoffCalls(firstDue: number, span: number): number {
  let at = firstDue;
  let calls = 0;
  while (at <= span) {
    calls++;
    at += scheduledRetryDelay(calls);
  }
  return calls;
}

/** Moves the fake clock through `span` ms in 5 s steps, letting every refresh land before the next step. */
async function simulate(d: TokenDesk, name: string, span: number): Promise<void> {
  for (let t = 0; t < span; t += 5_000) {
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.waitFor(() => expect(d.getClient(name).state).not.toBe('refreshing'), { timeout: 10_000 });
  }
}

describe('no refresh can loop', () => {
  it('itcode answering every auto-login with "nothing to do": over an hour of lead windows, only the backoff schedule’s calls', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { sandbox: sb, desk: d } = await open({ lifetimes: { itcodeAccess: 100, itcodeRefresh: 2 * 3600 } });
    const pending = await d.beginSignIn(ITCODE);
    await d.completeSignIn(ITCODE, await playUser(pending.authorizeUrl, { decision: 'allow' }));
    const signInExchanges = (await d.exchanges(ITCODE, false)).length;
    expect(signInExchanges).toBe(2);
    sb.config.refreshNothingToDo = true;
    sb.resetCounters();

    await simulate(d, ITCODE, HOUR);
    // A 100-second token is due 10 s before it expires: 90 s in, then 5, 10 and 20 minutes later.
    const expected = backoffCalls(90_000, HOUR);
    expect(expected).toBe(4);
    expect(sb.counters['itcode.auto']).toBe(expected);
    // Each call carried the refresh cookie alone.
    expect(sb.requests.filter((r) => r.key === 'itcode.auto').every((r) => /^refresh=[^;]+$/.test(r.headers.cookie ?? ''))).toBe(true);
    const view = d.getClient(ITCODE);
    expect(view.lastError?.message).toMatch(/^The provider returned no new token for "Sandbox — itcode \(naver\)" \(its answer carried no new access token\)/);
    expect(d.notices().filter((n) => n.clientId === view.config.id && n.kind === 'refresh_failing')).toHaveLength(1);
    // The sign-in history is still there, beside the few refresh attempts.
    const exchanges = await d.exchanges(ITCODE, false);
    expect(exchanges).toHaveLength(signInExchanges + expected);
    expect(exchanges.filter((ex) => ex.url.endsWith('/oauth2/api/login/naver'))).toHaveLength(2);
  }, 120_000);

  it('Hejhome handing back its still-valid token: the same bound holds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { sandbox: sb, desk: d } = await open({ lifetimes: { hejhomeAccess: 100 } });
    const pending = await d.beginSignIn(HEJHOME);
    const { username, password } = sb.credentials.hejhome;
    await d.completeSignIn(HEJHOME, await playUser(pending.authorizeUrl, { username, password }));
    sb.config.refreshNothingToDo = true;
    sb.resetCounters();
    await simulate(d, HEJHOME, HOUR);
    expect(sb.counters['hejhome.token']).toBe(backoffCalls(90_000, HOUR));
  }, 120_000);

  it('POD Shop and Daou handing back their still-valid tokens: a manual refresh says so and saves nothing', async () => {
    const { sandbox: sb, desk: d } = await open();
    for (const [name, key] of [['Sandbox — POD Shop', 'pod.refresh'], [DAOU, 'daou.token']] as const) {
      await d.issue(name);
      const before = d.getClient(name).token!;
      sb.config.refreshNothingToDo = true;
      sb.resetCounters();
      await expect(d.refresh(name)).rejects.toMatchObject({ code: 'invalid_response', text: { code: 'refresh_no_new_token' } });
      expect(sb.counters[key]).toBe(1);
      expect(d.getClient(name).token).toEqual(before);
      sb.config.refreshNothingToDo = false;
    }
  });
});

describe('call ceiling', () => {
  it(`no client calls its provider more than ${CALLS_PER_MINUTE} times a minute, whoever asks`, async () => {
    const { sandbox: sb, desk: d } = await open();
    await d.issue(DAOU);
    sb.resetCounters();
    const outcomes = [];
    for (let i = 0; i < CALLS_PER_MINUTE + 2; i++) outcomes.push(await d.refresh(DAOU).then(() => 'ok', (error: { code: string }) => error.code));
    expect(sb.counters['daou.token']).toBe(CALLS_PER_MINUTE - 1);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(CALLS_PER_MINUTE - 1);
    expect(outcomes.slice(CALLS_PER_MINUTE - 1)).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
    const notice = d.notices().find((n) => n.kind === 'refresh_failing');
    expect(notice?.message).toMatch(/TokenDesk held back a refresh of "Sandbox — Daou Office": it already called the provider 10 times in the last minute/);
  }, 60_000);
});
