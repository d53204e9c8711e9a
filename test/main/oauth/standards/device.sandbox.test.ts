/**
 * RFC 8628 polling against the sandbox's strict device grant, on a fake clock: the interval is
 * honoured, `slow_down` makes it 5 s longer for good, denial and expiry end the sign-in clearly.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../../../main/model/errors';
import { recordedFetch, standardsOptions } from '../../../../main/oauth/standards/fetch';
import type { StandardsContext } from '../../../../main/oauth/standards/context';
import { pollDeviceToken, startDeviceAuthorization } from '../../../../main/oauth/standards/device';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../../main/sandbox';
import { fakeClock } from '../../sandbox/support';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';

const creds = SANDBOX_CREDENTIALS.oauth2;
const clock = fakeClock();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ now: clock.now, lifetimes: { deviceInterval: 5, deviceCode: 60 } });
});
afterAll(async () => {
  await sandbox.close();
});

function standardsContext(): StandardsContext {
  const deps = recordingDeps({ now: clock.now });
  const fetcher = recordedFetch(deps, flowInput(clientConfig('oauth2', { clientId: creds.clientId }), { clientSecret: creds.clientSecret }));
  return {
    as: {
      issuer: sandbox.url,
      token_endpoint: `${sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`,
      device_authorization_endpoint: `${sandbox.url}${SANDBOX_OAUTH2_PATHS.deviceAuthorization}`,
    },
    client: { client_id: creds.clientId },
    clientAuth: oauth.ClientSecretBasic(creds.clientSecret),
    dpop: undefined,
    fetcher,
    options: standardsOptions(fetcher),
    label: new URL(sandbox.url).host,
  };
}

/** The verification page, as the user at another device would answer it. */
async function decide(userCode: string, decision: 'allow' | 'deny'): Promise<void> {
  const res = await fetch(`${sandbox.url}${SANDBOX_OAUTH2_PATHS.device}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: userCode.toLowerCase(), username: creds.username, password: creds.password, decision }).toString(),
  });
  expect(res.status).toBe(200);
}

/** Another copy of the client polling the same device code (what makes a server say slow_down). */
async function rogueDevicePoll(deviceCode: string): Promise<string> {
  const res = await fetch(`${sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }).toString(),
  });
  return ((await res.json()) as { error: string }).error;
}

describe('device authorization grant (RFC 8628) on the sandbox', () => {
  it('shows a user code and both verification URIs, waits the interval, and after slow_down waits 5 s longer', async () => {
    const ctx = standardsContext();
    const device = await startDeviceAuthorization(ctx, 'read', clock.now());
    expect(device.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(device.verificationUri).toBe(`${sandbox.url}/oauth2/device`);
    expect(device.verificationUriComplete).toBe(`${sandbox.url}/oauth2/device?user_code=${device.userCode}`);
    expect(device).toMatchObject({ intervalMs: 5000, expiresAt: clock.now() + 60_000 });

    const waits: number[] = [];
    const intervals: number[] = [];
    const token = await pollDeviceToken(
      ctx,
      device,
      {
        now: clock.now,
        async sleep(ms) {
          waits.push(ms);
          clock.advance(ms);
          if (waits.length === 1) expect(await rogueDevicePoll(device.deviceCode)).toBe('authorization_pending');
          if (waits.length === 3) await decide(device.userCode, 'allow');
        },
      },
      { onInterval: (ms) => intervals.push(ms) },
    );
    // 5 s, slow_down (the other poller came first), 10 s: still pending, 10 s: approved.
    expect(waits).toEqual([5000, 10_000, 10_000]);
    expect(intervals).toEqual([10_000]);
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'read' });
    expect(token.refreshToken).toEqual(expect.any(String));
  });

  it('ends with a clear error when the user denies, and when the code expires', async () => {
    const denied = standardsContext();
    const first = await startDeviceAuthorization(denied, null, clock.now());
    await decide(first.userCode, 'deny');
    const refusal = await pollDeviceToken(denied, first, { now: clock.now, sleep: async (ms) => clock.advance(ms) }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TokenDeskError);
    expect(refusal).toMatchObject({
      code: 'cancelled',
      message: `The sign-in was denied at ${denied.label}: nobody is signed in. Start the device sign-in again to retry.`,
    });

    const late = standardsContext();
    const second = await startDeviceAuthorization(late, null, clock.now());
    let polls = 0;
    const expiry = await pollDeviceToken(late, second, {
      now: clock.now,
      async sleep(ms) {
        polls += 1;
        // The server's clock runs ahead of ours: it answers expired_token before we give up.
        clock.advance(polls === 3 ? 60_000 : ms);
      },
    }).catch((e: unknown) => e);
    expect(expiry).toMatchObject({ code: 'timeout', message: `The code for ${late.label} expired before anyone approved it. Start the device sign-in again.` });
  });
});
