/**
 * The standards commands of the real command line (out/cli, as a subprocess, standalone) against
 * oidc-provider in-process: `clients add --issuer` with private_key_jwt from a file and DPoP,
 * `issue`, and `headers` printing a DPoP proof bound to the token and the request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importClientKey } from '../../../main/oauth/standards/keys';
import { startOidcProvider, type OidcProviderHandle } from '../../helpers/oidc-provider';
import { ensureCliBuilt, removeTempDataDirs, runCli, tempDataDir } from '../../helpers/cli';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = await importClientKey(pem);
let op: OidcProviderHandle;
let dataDir: string;
let keyFile: string;

beforeAll(async () => {
  await ensureCliBuilt();
  op = await startOidcProvider({
    clients: [
      {
        client_id: 'cli-machine',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [key.publicJwk] },
      },
      { client_id: 'cli-basic', client_secret: 'cli-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
    ],
  });
  dataDir = tempDataDir();
  keyFile = path.join(dataDir, 'client-key.pem');
  fs.writeFileSync(keyFile, pem, { mode: 0o600 });
}, 120_000);

afterAll(async () => {
  await op?.stop();
  removeTempDataDirs();
});

const cli = (args: string[], stdin?: string) => runCli(args, { dataDir, standalone: true, ...(stdin === undefined ? {} : { stdin }) });

// Each case spawns the CLI four or five times; on a loaded two-core machine one spawn takes seconds.
describe('tokendesk with a discovered OAuth 2.0 server', { timeout: 120_000 }, () => {
  it('clients add --issuer --auth private_key_jwt --dpop, issue, then headers with a fresh DPoP proof', async () => {
    const added = await cli(['clients', 'add', 'pk', '--provider', 'oauth2', '--issuer', op.issuer, '--client-id', 'cli-machine', '--auth', 'private_key_jwt', '--private-key-file', keyFile, '--dpop']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe(`Added pk (oauth2, ${op.issuer}).\n`);
    // The key file's contents are sealed: the store holds no PEM and no private JWK member.
    const stored = fs.readFileSync(path.join(dataDir, fs.readdirSync(dataDir).find((f) => f.endsWith('.json'))!), 'utf8');
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toContain(String(key.privateJwk.d));

    const issued = await cli(['issue', 'pk', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const token = JSON.parse(issued.stdout) as { access_token: string; token_type: string };
    expect(token.token_type).toBe('DPoP');

    const url = `${op.issuer}/resource?page=2`;
    const headers = await cli(['headers', 'pk', '--method', 'post', '--url', url]);
    expect(headers.code, headers.stderr).toBe(0);
    const [authorization, dpop, ...rest] = headers.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(authorization).toBe(`Authorization: DPoP ${token.access_token}`);
    const proof = dpop!.replace(/^DPoP: /, '');
    expect(decodeJwt(proof)).toMatchObject({
      htm: 'POST',
      htu: `${op.issuer}/resource`,
      ath: createHash('sha256').update(token.access_token).digest('base64url'),
    });
    // The proof's key is the one the server bound the token to (cnf.jkt).
    const introspection = await fetch(`${op.issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('cli-basic:cli-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: token.access_token }),
    }).then((r) => r.json() as Promise<{ cnf?: { jkt?: string } }>);
    expect(introspection.cnf?.jkt).toBe(await calculateJwkThumbprint(decodeProtectedHeader(proof).jwk as JWK));
  });

  it('a Bearer client prints one Authorization line; an unsupported --auth is refused with what the server offers', async () => {
    const added = await cli(['clients', 'add', 'plain', '--provider', 'oauth2', '--issuer', op.issuer, '--client-id', 'cli-basic', '--client-secret-stdin'], 'cli-secret\n');
    expect(added.code, added.stderr).toBe(0);
    const headers = await cli(['headers', 'plain']);
    expect(headers.stdout).toMatch(/^Authorization: Bearer \S+\n$/);

    const refused = await cli(['clients', 'add', 'x', '--provider', 'oauth2', '--issuer', op.issuer, '--client-id', 'c', '--auth', 'tls_client_auth', '--client-cert-file', keyFile, '--client-key-file', keyFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not support --auth tls_client_auth; it offers client_secret_basic, /);
  });
});
