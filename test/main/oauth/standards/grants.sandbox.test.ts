/**
 * RFC 8693 token exchange and RFC 7523 §2.1 JWT bearer against the sandbox's generic server, the
 * way a new user tries them without an account: discovered from the sandbox issuer, the subject
 * token taken from another sandbox client, the assertion signed with the sandbox's documented key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import type { ClientSecrets, GenericSettings, ServerMetadata } from '../../../../main/model/types';
import { issueToken, revokeToken } from '../../../../main/oauth/flows';
import type { GrantTokens } from '../../../../main/oauth/requests';
import { discoverMetadata, settingsFromMetadata } from '../../../../main/oauth/standards/discovery';
import { ACCESS_TOKEN_TYPE } from '../../../../main/oauth/standards/grants';
import { generateClientKey } from '../../../../main/oauth/standards/keys';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../../main/sandbox';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';

const creds = SANDBOX_CREDENTIALS.oauth2;
const sandboxKey = JSON.stringify(creds.assertionKey);
let sandbox: Sandbox;
let metadata: ServerMetadata;

beforeAll(async () => {
  sandbox = await startSandbox();
  metadata = await discoverMetadata(recordingDeps(), flowInput(clientConfig('oauth2')), `${sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`);
});
afterAll(async () => {
  await sandbox.close();
});

function input(over: Partial<GenericSettings>, secrets: Partial<ClientSecrets> = {}, grantTokens?: GrantTokens) {
  const generic = settingsFromMetadata({ ...DEFAULT_GENERIC, clientAuth: 'basic', ...over }, metadata);
  const base = flowInput(clientConfig('oauth2', { clientId: creds.clientId, baseUrl: sandbox.url, scope: null, generic }), { clientSecret: creds.clientSecret, ...secrets });
  return grantTokens ? { ...base, grantTokens } : base;
}

const subjectTokens = (token: string, actor?: string): GrantTokens => ({
  subject: { token, type: ACCESS_TOKEN_TYPE },
  ...(actor ? { actor: { token: actor, type: ACCESS_TOKEN_TYPE } } : {}),
});

async function passwordToken() {
  return issueToken(recordingDeps(), input({ grant: 'password', username: creds.username }, { password: creds.password }));
}

async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}${SANDBOX_OAUTH2_PATHS.userinfo}`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('sandbox: token exchange (RFC 8693)', () => {
  it('the sandbox announces both grants', () => {
    expect(metadata.document['grant_types_supported']).toEqual(
      expect.arrayContaining(['urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer']),
    );
  });

  it('exchanges the user\'s token (with an actor) for a token of the same user, without a refresh token', async () => {
    const subject = await passwordToken();
    const actor = await issueToken(recordingDeps(), input({ grant: 'client_credentials' }));
    const deps = recordingDeps();
    const token = await issueToken(deps, input({ grant: 'token_exchange', tokenExchange: { subjectClientId: 'user', audience: 'orders' } }, {}, subjectTokens(subject.accessToken, actor.accessToken)));
    expect(token.refreshToken).toBeNull();
    expect(token.raw).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer' });
    expect(await userinfo(token.accessToken)).toMatchObject({ sub: creds.username });
    expect(new URLSearchParams(deps.exchanges[0]!.requestBody!).get('audience')).toBe('orders');
  });

  it('a revoked subject token is refused with the server\'s reason', async () => {
    const subject = await passwordToken();
    await revokeToken(recordingDeps(), input({ grant: 'password', username: creds.username }), subject);
    await expect(issueToken(recordingDeps(), input({ grant: 'token_exchange', tokenExchange: { subjectClientId: 'user' } }, {}, subjectTokens(subject.accessToken)))).rejects.toMatchObject({
      code: 'provider_rejected',
      message: expect.stringContaining('"invalid_grant": subject_token is invalid, revoked or expired.'),
    });
  });

  it('a requested token type the sandbox does not issue is refused', async () => {
    const subject = await passwordToken();
    await expect(
      issueToken(
        recordingDeps(),
        input({ grant: 'token_exchange', tokenExchange: { subjectClientId: 'user', requestedTokenType: 'urn:ietf:params:oauth:token-type:id_token' } }, {}, subjectTokens(subject.accessToken)),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('This server issues access tokens only') });
  });
});

describe('sandbox: JWT bearer (RFC 7523 §2.1)', () => {
  it('an assertion signed with the sandbox\'s documented key gets a token for its subject', async () => {
    const token = await issueToken(recordingDeps(), input({ grant: 'jwt_bearer', assertionSubject: creds.username }, { privateKey: sandboxKey }));
    expect(await userinfo(token.accessToken)).toMatchObject({ sub: creds.username, client_id: creds.clientId });
  });

  it('an assertion signed with another key is refused', async () => {
    const other = await generateClientKey();
    await expect(issueToken(recordingDeps(), input({ grant: 'jwt_bearer' }, { privateKey: JSON.stringify(other.privateJwk) }))).rejects.toMatchObject({
      code: 'provider_rejected',
      message: expect.stringContaining('The assertion is not signed with the key registered for this client'),
    });
  });

  it('a replayed assertion is refused (the app signs a new one each time, so only a hand-made replay fails)', async () => {
    const deps = recordingDeps();
    await issueToken(deps, input({ grant: 'jwt_bearer' }, { privateKey: sandboxKey }));
    const sent = deps.exchanges[0]!;
    const replay = await fetch(sent.url, { method: 'POST', headers: sent.requestHeaders, body: sent.requestBody });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant', error_description: 'The assertion was already used (jti replay)' });
  });
});
