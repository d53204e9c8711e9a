/** The security check recorded beside each sign-in and token exchange (issue #12 item 8), end to end on the sandbox. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { sandboxClientPresets } from '../../../main/sandbox/presets';
import { playUser } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
let desk: TokenDesk;
let dataDir: string;
const GENERIC = 'Sandbox — Generic OAuth 2.0';
const { username, password } = SANDBOX_CREDENTIALS.oauth2;

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-security-'));
  desk = await TokenDesk.open({ dataDir, sandboxUrl: sandbox.url, sandboxSeeds: sandboxClientPresets(sandbox.url) });
});
afterAll(async () => {
  await desk.close();
  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const summary = (checks: { id: string; outcome: string; reason: string }[] | undefined) =>
  Object.fromEntries((checks ?? []).map((c) => [c.id, `${c.outcome}:${c.reason}`]));

describe('security check beside the exchanges', () => {
  it('records a sign-in with PKCE and state, then a refresh that rotated its refresh token', async () => {
    const pending = await desk.beginSignIn(GENERIC, { redirectUri: 'http://127.0.0.1:47999/oauth2/callback' });
    await desk.completeSignIn(GENERIC, await playUser(pending.authorizeUrl, { username, password, decision: 'allow' }));
    await desk.refresh(GENERIC);
    // Recording is asynchronous (sealed, under the lock): wait for both exchanges to land.
    let exchanges = await desk.exchanges(GENERIC, false);
    for (let i = 0; i < 50 && exchanges.filter((e) => e.security).length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      exchanges = await desk.exchanges(GENERIC, false);
    }
    const [refresh, signIn] = exchanges.filter((e) => e.security);
    expect(signIn?.requestBody).toMatch(/grant_type=authorization_code/);
    expect(summary(signIn?.security)).toEqual({
      pkce: 'verified:S256',
      state: 'verified:matched',
      iss: 'unverified:not_supported',
      nonce: 'not_applicable:no_id_token',
      id_token_signature: 'not_applicable:no_id_token',
      id_token_claims: 'not_applicable:no_id_token',
      token_bound: 'unverified:bearer',
      transport: 'verified:loopback',
      scope: 'verified:unchanged',
      refresh_token: 'not_applicable:issued',
    });
    expect(refresh?.requestBody).toMatch(/grant_type=refresh_token/);
    expect(summary(refresh?.security)).toMatchObject({
      pkce: 'not_applicable:no_authorization_step',
      transport: 'verified:loopback',
      scope: 'verified:unchanged',
      refresh_token: 'verified:rotated',
    });
  });
});

describe('security check of a refused sign-in', () => {
  it('a mix-up (RFC 9207 iss naming another server) is recorded at the authorization response, with the check that failed', async () => {
    const client = 'Discovered sign-in';
    const issuer = `${sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`;
    const metadata = await desk.discover(issuer);
    await desk.createClient({
      name: client,
      provider: 'oauth2',
      baseUrl: sandbox.url,
      clientId: SANDBOX_CREDENTIALS.oauth2.clientId,
      clientSecret: SANDBOX_CREDENTIALS.oauth2.clientSecret,
      redirectUri: 'http://127.0.0.1:47998/oauth2/callback',
      generic: { ...DEFAULT_GENERIC, grant: 'authorization_code', pkce: true, issuer, metadata, tokenUrl: String(metadata.document['token_endpoint']), authorizationUrl: String(metadata.document['authorization_endpoint']) },
    });
    const pending = await desk.beginSignIn(client, { redirectUri: 'http://127.0.0.1:47998/oauth2/callback' });
    const callback = new URL(await playUser(pending.authorizeUrl, { username, password, decision: 'allow' }));
    callback.searchParams.set('iss', 'https://attacker.example');
    await expect(desk.completeSignIn(client, callback.href)).rejects.toMatchObject({ code: 'state_mismatch' });
    let refused = (await desk.exchanges(client, false)).find((e) => e.method === 'GET' && e.security);
    for (let i = 0; i < 50 && !refused; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refused = (await desk.exchanges(client, false)).find((e) => e.method === 'GET' && e.security);
    }
    expect(refused?.url).toContain('iss=https');
    expect(refused?.url).not.toContain(callback.searchParams.get('code'));
    expect(refused?.error).toContain('RFC 9207 mix-up defence');
    expect(summary(refused?.security)).toMatchObject({ pkce: 'verified:S256', iss: 'failed:mismatch', state: 'not_applicable:not_reached', token_bound: 'not_applicable:refused' });
    expect((await desk.getClient(client)).token).toBeNull();
  });
});
