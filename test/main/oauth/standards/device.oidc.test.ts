/** The device authorization grant (RFC 8628) against oidc-provider: approval, denial and expiry. */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandardsContext } from '../../../../main/oauth/standards/context';
import { pollDeviceToken, startDeviceAuthorization } from '../../../../main/oauth/standards/device';
import { recordedFetch, standardsOptions } from '../../../../main/oauth/standards/fetch';
import { approveDevice } from '../../../helpers/oidc-device';
import { startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';

let op: OidcProviderHandle;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [
      {
        client_id: 'tv',
        token_endpoint_auth_method: 'none',
        redirect_uris: [],
        response_types: [],
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      },
    ],
    features: { deviceFlow: { enabled: true } },
    configuration: { scopes: ['openid', 'offline_access'], ttl: { DeviceCode: 3 } },
  });
  as = await oauth.processDiscoveryResponse(new URL(op.issuer), await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }));
});
afterAll(async () => {
  await op?.stop();
});

function standardsContext(): StandardsContext {
  const fetcher = recordedFetch(recordingDeps(), flowInput(clientConfig('oauth2', { clientId: 'tv' })));
  return { as, client: { client_id: 'tv' }, clientAuth: oauth.None(), dpop: undefined, fetcher, options: standardsOptions(fetcher), label: new URL(op.issuer).host };
}

/** oidc-provider does not pace polls: the test polls every 100 ms instead of the default 5 s. */
const quick = { now: Date.now, sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 100)) };

describe('device authorization grant against oidc-provider', () => {
  it('signs in once the user approves on another device', async () => {
    const ctx = standardsContext();
    const device = await startDeviceAuthorization(ctx, 'openid', Date.now());
    expect(device.intervalMs).toBe(5000);
    expect(device.verificationUri).toBe(`${op.issuer}/device`);
    expect(device.verificationUriComplete).toBe(`${op.issuer}/device?user_code=${device.userCode}`);
    const polling = pollDeviceToken(ctx, device, quick);
    expect(await approveDevice(device.verificationUriComplete!)).toMatch(/Sign-in Success/);
    const token = await polling;
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'openid' });
    expect((token.raw as { id_token?: string }).id_token).toEqual(expect.any(String));
  });

  it('says so when the user denies, and when nobody approves before the code expires', async () => {
    const ctx = standardsContext();
    const device = await startDeviceAuthorization(ctx, 'openid', Date.now());
    const polling = pollDeviceToken(ctx, device, quick).catch((e: unknown) => e);
    await approveDevice(device.verificationUriComplete!, { deny: true });
    expect(await polling).toMatchObject({ code: 'cancelled', message: `The sign-in was denied at ${ctx.label}: nobody is signed in. Start the device sign-in again to retry.` });

    const late = await startDeviceAuthorization(ctx, 'openid', Date.now());
    expect(await pollDeviceToken(ctx, late, quick).catch((e: unknown) => e)).toMatchObject({
      code: 'timeout',
      message: `The code for ${ctx.label} expired before anyone approved it. Start the device sign-in again.`,
    });
  });
});
