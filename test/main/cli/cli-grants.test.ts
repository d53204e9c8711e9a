/**
 * `clients add --grant token_exchange|jwt_bearer` (RFC 8693, RFC 7523 §2.1) as a subprocess,
 * standalone, against the sandbox's generic server: the exchange sends the subject client's
 * valid token (recorded masked), the assertion is signed with the key file given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { ensureCliBuilt, removeTempDataDirs, runCli, tempDataDir } from '../../helpers/cli';

const creds = SANDBOX_CREDENTIALS.oauth2;
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  await ensureCliBuilt();
  sandbox = await startSandbox();
  dataDir = tempDataDir();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  removeTempDataDirs();
});

const cli = (args: string[], stdin?: string) => runCli(args, { dataDir, standalone: true, ...(stdin === undefined ? {} : { stdin }) });
const issuer = () => `${sandbox.url}${SANDBOX_OAUTH2_PATHS.issuer}`;

async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}${SANDBOX_OAUTH2_PATHS.userinfo}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return (await res.json()) as Record<string, unknown>;
}

describe('tokendesk with the extension grants', { timeout: 120_000 }, () => {
  it('token_exchange: exchanges the subject client\'s token; the exchange is recorded with the subject token masked', async () => {
    const base = ['--provider', 'oauth2', '--issuer', issuer(), '--client-id', creds.clientId, '--client-secret-stdin'];
    expect((await cli(['clients', 'add', 'user', ...base, '--grant', 'password', '--username', creds.username, '--password-stdin'], `${creds.clientSecret}\n${creds.password}\n`)).code).toBe(0);
    const added = await cli(['clients', 'add', 'orders', ...base, '--grant', 'token_exchange', '--subject-client', 'user', '--audience', 'orders-api'], `${creds.clientSecret}\n`);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    const issued = await cli(['issue', 'orders', '--json']);
    expect(issued.code).toBe(0);
    const token = JSON.parse(issued.stdout) as { access_token: string };
    expect(await userinfo(token.access_token)).toMatchObject({ sub: creds.username });

    const subject = JSON.parse((await cli(['issue', 'user', '--json'])).stdout) as { access_token: string };
    const exchanges = JSON.parse((await cli(['exchanges', 'orders', '--json'])).stdout) as { requestBody: string | null }[];
    const exchange = exchanges.find((e) => e.requestBody?.includes('token-exchange'))!;
    const sent = new URLSearchParams(exchange.requestBody!);
    expect(sent.get('audience')).toBe('orders-api');
    expect(sent.get('subject_token')).toMatch(/^.{4}….{4}$/);
    expect(exchange.requestBody).not.toContain(subject.access_token);
  });

  it('token_exchange: the subject client must exist, and cannot be the client itself', async () => {
    const base = ['--provider', 'oauth2', '--issuer', issuer(), '--client-id', creds.clientId, '--grant', 'token_exchange'];
    const missing = await cli(['clients', 'add', 'x', ...base, '--subject-client', 'nobody']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No client named "nobody"');
    const itself = await cli(['clients', 'add', 'x', ...base, '--subject-client', 'x']);
    expect(itself.code).toBe(1);
    expect(itself.stderr).toContain('--subject-client cannot be the client itself ("x").');
  });

  it('jwt_bearer: the assertion is signed with the key file (the sandbox\'s documented key) and the token is for its subject', async () => {
    const keyFile = path.join(dataDir, 'assertion-key.pem');
    fs.writeFileSync(keyFile, createPrivateKey({ key: creds.assertionKey, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const added = await cli(
      ['clients', 'add', 'service', '--provider', 'oauth2', '--issuer', issuer(), '--client-id', creds.clientId, '--client-secret-stdin', '--grant', 'jwt_bearer', '--private-key-file', keyFile, '--assertion-subject', 'alice'],
      `${creds.clientSecret}\n`,
    );
    expect(added.stderr).toBe('');
    const issued = await cli(['issue', 'service', '--json']);
    expect(issued.code).toBe(0);
    expect(await userinfo((JSON.parse(issued.stdout) as { access_token: string }).access_token)).toMatchObject({ sub: 'alice', client_id: creds.clientId });
  });
});
