/**
 * The sandbox's generic server offers discovery (RFC 8414) and DPoP (RFC 9449) like a real one:
 * the app's own discovery, DPoP issue and headers work against it, and it refuses what a strict
 * server refuses (a bound token as Bearer, a replayed proof, a proof for another URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import { issueToken } from '../../../main/oauth/flows';
import { discoverMetadata, discoveryInput, settingsFromMetadata } from '../../../main/oauth/standards/discovery';
import { requestHeaders } from '../../../main/oauth/standards/headers';
import { prepareClientKeys } from '../../../main/oauth/standards/keys';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { clientConfig, flowInput, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const headerMap = (lines: string[]) => Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));

describe('sandbox generic server: discovery and DPoP', () => {
  it('publishes RFC 8414 metadata the app discovers, then issues DPoP-bound tokens UserInfo checks', async () => {
    const issuer = `${sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`;
    const metadata = await discoverMetadata(recordingDeps(), discoveryInput(issuer, {}), issuer);
    expect(metadata.document).toMatchObject({ issuer, token_endpoint: `${sandbox.url}${SANDBOX_OAUTH2_PATHS.token}`, dpop_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'] });
    const creds = SANDBOX_CREDENTIALS.oauth2;
    const prepared = await prepareClientKeys(settingsFromMetadata({ ...DEFAULT_GENERIC, grant: 'client_credentials', dpop: true }, metadata), { clientSecret: creds.clientSecret, password: null }, undefined);
    const input = flowInput(clientConfig('oauth2', { clientId: creds.clientId, baseUrl: sandbox.url, scope: creds.scope, generic: prepared.settings }), prepared.secrets);
    const deps = recordingDeps();
    const token = await issueToken(deps, input);
    expect(token.tokenType).toBe('DPoP');
    expect(deps.exchanges.map((e) => [e.status, JSON.parse(e.responseBody!).error ?? null])).toEqual([
      [400, 'use_dpop_nonce'],
      [200, null],
    ]);

    const userinfo = `${sandbox.url}${SANDBOX_OAUTH2_PATHS.userinfo}`;
    const headers = headerMap(await requestHeaders(input, token, { method: 'GET', url: userinfo, now: Date.now() }));
    const ok = await fetch(userinfo, { headers });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ sub: creds.clientId });

    const replayed = await fetch(userinfo, { headers });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('www-authenticate')).toContain('This DPoP proof was already used (jti)');
    const asBearer = await fetch(userinfo, { headers: { authorization: `Bearer ${token.accessToken}` } });
    expect(asBearer.status).toBe(401);
    const elsewhere = headerMap(await requestHeaders(input, token, { method: 'POST', url: userinfo, now: Date.now() }));
    expect((await fetch(userinfo, { headers: elsewhere })).status).toBe(401);
  });
});
