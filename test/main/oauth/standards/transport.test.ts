/**
 * Networks integrators work in, with certificates made in the test and servers on loopback only:
 * oidc-provider over HTTPS trusted through a per-client CA bundle, RFC 8705 client certificates
 * (tls_client_auth, self_signed_tls_client_auth, certificate-bound tokens `cnf.x5t#S256`), and a
 * CONNECT proxy set per client or through HTTPS_PROXY / NO_PROXY.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { exportJWK, importX509 } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../../main/model/defaults';
import type { ClientAuthMethod, GenericSettings, ServerMetadata } from '../../../../main/model/types';
import { issueToken } from '../../../../main/oauth/flows';
import { createHttpClient } from '../../../../main/oauth/http';
import { discoverMetadata, discoveryInput, settingsFromMetadata } from '../../../../main/oauth/standards/discovery';
import { noProxyMatches, proxyFor } from '../../../../main/oauth/transport';
import { makeTestPki, type TestPki } from '../../../helpers/certificates';
import { clientConfig, flowInput, recordingDeps } from '../../../helpers/oauth-browser';
import { peerCertificatePem, startOidcProvider, type OidcProviderHandle } from '../../../helpers/oidc-provider';

let pki: TestPki;
let op: OidcProviderHandle;
let metadata: ServerMetadata;

/** A CONNECT proxy on loopback that records each tunnel's target; with `auth`, it asks for it (407). */
function startProxy(auth?: string) {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: HttpServer = createHttpServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    if (auth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host!.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise<{ url: string; tunnels: string[]; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        tunnels,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

beforeAll(async () => {
  pki = makeTestPki();
  const selfSignedJwk = { ...(await exportJWK(await importX509(pki.selfSigned.cert, 'ES256', { extractable: true }))), x5c: [new X509Certificate(pki.selfSigned.cert).raw.toString('base64')] };
  const machine = { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], tls_client_certificate_bound_access_tokens: true };
  op = await startOidcProvider({
    tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true },
    clients: [
      { ...machine, client_id: 'pki', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=machine-client' },
      { ...machine, client_id: 'self', token_endpoint_auth_method: 'self_signed_tls_client_auth', jwks: { keys: [selfSignedJwk] } },
      { ...machine, client_id: 'secret', client_secret: 'secret-secret' },
      { client_id: 'rs', client_secret: 'rs-secret', grant_types: [], response_types: [], redirect_uris: [] },
    ],
    configuration: {
      clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'],
    },
    features: {
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx: { socket: unknown }) => peerCertificatePem(ctx.socket),
        certificateAuthorized: (ctx: { socket: TLSSocket }) => ctx.socket.authorized,
        certificateSubjectMatches: (ctx: { socket: TLSSocket }, property: string, expected: string) =>
          property === 'tls_client_auth_subject_dn' && `CN=${ctx.socket.getPeerCertificate().subject.CN}` === expected,
      },
    },
  });
  metadata = await discoverMetadata(recordingDeps(), discoveryInput(op.issuer, { caCertificates: pki.ca.cert }), op.issuer);
}, 60_000);
afterAll(() => op?.stop());

function input(clientId: string, clientAuth: ClientAuthMethod, over: Partial<GenericSettings> = {}, secrets: Record<string, string | null> = {}) {
  const generic = settingsFromMetadata({ ...DEFAULT_GENERIC, grant: 'client_credentials', clientAuth, caCertificates: pki.ca.cert, ...over }, metadata);
  return flowInput(clientConfig('oauth2', { id: `td-${clientId}`, clientId, baseUrl: op.issuer, generic }), secrets);
}

/** RFC 7662 at the provider, trusted through the CA: the token's confirmation claim. */
async function introspect(token: string): Promise<{ active: boolean; cnf?: Record<string, string> }> {
  const res = await createHttpClient({ onExchange: () => {} }).send({
    clientId: 'rs',
    method: 'POST',
    url: `${op.issuer}/token/introspection`,
    headers: { authorization: `Basic ${Buffer.from('rs:rs-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
    transport: { ca: pki.ca.cert },
  });
  return JSON.parse(res.body) as { active: boolean; cnf?: Record<string, string> };
}

const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

describe('a per-client CA bundle', () => {
  it('lets discovery reach a server whose certificate the system does not trust', () => {
    expect(metadata.document['issuer']).toBe(op.issuer);
    expect(metadata.document['tls_client_certificate_bound_access_tokens']).toBe(true);
  });

  it('without it, TLS checks stay on and the failure says so', async () => {
    const failure = await discoverMetadata(recordingDeps(), discoveryInput(op.issuer, {}), op.issuer).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'tls' });
    expect((failure as Error).message).toBe(
      `The secure connection to 127.0.0.1:${new URL(op.issuer).port} failed (SELF_SIGNED_CERT_IN_CHAIN). Check the base URL and the server's certificate.`,
    );
  });
});

describe('RFC 8705 client certificates', () => {
  it('tls_client_auth: a CA-issued certificate authenticates, and the token is bound to it (cnf.x5t#S256)', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, input('pki', 'tls_client_auth', { clientCertificate: pki.client.cert }, { tlsClientKey: pki.client.key }));
    const sent = new URLSearchParams(deps.exchanges.at(-1)!.requestBody!);
    expect(sent.get('client_id')).toBe('pki');
    expect(deps.exchanges.at(-1)!.requestHeaders.authorization).toBeUndefined();
    expect(await introspect(token.accessToken)).toMatchObject({ active: true, cnf: { 'x5t#S256': thumbprint(pki.client.cert) } });
  });

  it('self_signed_tls_client_auth: the registered self-signed certificate authenticates', async () => {
    const token = await issueToken(recordingDeps(), input('self', 'self_signed_tls_client_auth', { clientCertificate: pki.selfSigned.cert }, { tlsClientKey: pki.selfSigned.key }));
    expect(await introspect(token.accessToken)).toMatchObject({ active: true, cnf: { 'x5t#S256': thumbprint(pki.selfSigned.cert) } });
  });

  it('a certificate the client did not register is refused by the server', async () => {
    await expect(
      issueToken(recordingDeps(), input('pki', 'tls_client_auth', { clientCertificate: pki.selfSigned.cert }, { tlsClientKey: pki.selfSigned.key })),
    ).rejects.toMatchObject({ code: 'provider_rejected', status: 401 });
  });

  it('a secret client presenting a certificate gets a certificate-bound token', async () => {
    const token = await issueToken(recordingDeps(), input('secret', 'basic', { clientCertificate: pki.client.cert }, { clientSecret: 'secret-secret', tlsClientKey: pki.client.key }));
    expect((await introspect(token.accessToken)).cnf?.['x5t#S256']).toBe(thumbprint(pki.client.cert));
  });
});

describe('proxies', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('a client proxy carries discovery and the token request through a CONNECT tunnel, TLS end to end', async () => {
    const proxy = await startProxy();
    try {
      const deps = recordingDeps();
      const i = input('pki', 'tls_client_auth', { clientCertificate: pki.client.cert, proxy: proxy.url }, { tlsClientKey: pki.client.key });
      await discoverMetadata(deps, i, op.issuer);
      const token = await issueToken(deps, i);
      expect(proxy.tunnels).toEqual([new URL(op.issuer).host, new URL(op.issuer).host]);
      // The client certificate went through the tunnel to the server: the token is bound to it.
      expect((await introspect(token.accessToken)).cnf?.['x5t#S256']).toBe(thumbprint(pki.client.cert));
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that wants credentials gets them from the proxy URL, and a refusal names the proxy', async () => {
    const proxy = await startProxy('me:pa ss');
    try {
      const withAuth = `http://me:pa%20ss@${new URL(proxy.url).host}`;
      const certificate = { clientCertificate: pki.client.cert };
      const key = { tlsClientKey: pki.client.key };
      await expect(issueToken(recordingDeps(), input('pki', 'tls_client_auth', { ...certificate, proxy: withAuth }, key))).resolves.toMatchObject({ tokenType: 'Bearer' });
      await expect(issueToken(recordingDeps(), input('pki', 'tls_client_auth', { ...certificate, proxy: proxy.url }, key))).rejects.toMatchObject({
        code: 'network',
        message: expect.stringContaining(`the proxy ${new URL(proxy.url).host} refused the tunnel with HTTP 407`),
      });
    } finally {
      await proxy.close();
    }
  });

  it('HTTPS_PROXY is honoured, and NO_PROXY exempts a host', async () => {
    // A server on another loopback address: loopback names (127.0.0.1, localhost) never take an environment proxy.
    const server: HttpsServer = createHttpsServer({ key: pki.server.key, cert: pki.server.cert }, (_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const url = `https://127.0.0.2:${(server.address() as AddressInfo).port}/hello`;
    const proxy = await startProxy();
    const http = createHttpClient({ onExchange: () => {} });
    try {
      process.env.HTTPS_PROXY = proxy.url;
      expect((await http.send({ clientId: 'x', method: 'GET', url, transport: { ca: pki.ca.cert } })).body).toBe('{"ok":true}');
      expect(proxy.tunnels).toEqual([new URL(url).host]);
      process.env.NO_PROXY = 'example.com, 127.0.0.2';
      expect((await http.send({ clientId: 'x', method: 'GET', url, transport: { ca: pki.ca.cert } })).status).toBe(200);
      expect(proxy.tunnels).toHaveLength(1);
    } finally {
      await proxy.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('proxyFor follows curl: own proxy first, scheme-specific variables, NO_PROXY suffixes and ports', () => {
    const env = { HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'http://plain.corp:80', NO_PROXY: '.internal, api.example.com:8443' };
    expect(proxyFor('https://as.example.com/token', undefined, env)?.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor('http://as.example.com/token', undefined, env)?.href).toBe('http://plain.corp/');
    expect(proxyFor('https://login.internal/token', undefined, env)).toBeNull();
    expect(proxyFor('https://api.example.com:8443/x', undefined, env)).toBeNull();
    expect(proxyFor('https://api.example.com/x', undefined, env)?.host).toBe('proxy.corp:3128');
    expect(proxyFor('https://127.0.0.1:9/x', undefined, env)).toBeNull();
    expect(proxyFor('https://as.example.com/token', { proxy: 'http://own:8080' }, env)?.host).toBe('own:8080');
    expect(noProxyMatches(new URL('https://anything.example'), '*')).toBe(true);
    expect(() => proxyFor('https://as.example.com', { proxy: 'socks5://p:1080' }, {})).toThrow('The proxy p:1080 uses socks5:; TokenDesk speaks to http:// and https:// proxies only.');
  });
});
