/**
 * panva's oidc-provider (OpenID Certified) in-process, as the judge of the standards flows
 * (issue #12): on 127.0.0.1 with an ephemeral port, over HTTP or, given a certificate, HTTPS
 * (optionally asking for client certificates, RFC 8705). Clients and features are configurable;
 * devInteractions play the user (`signIn`). Call `stop()` in afterAll.
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

export interface OidcProviderOptions {
  clients: ClientMetadata[];
  /** Merged over the defaults below, feature by feature. */
  features?: Configuration['features'];
  /** Anything else of the provider's configuration (ttl, scopes, pkce, …), merged over the defaults. */
  configuration?: Omit<Configuration, 'clients' | 'features'>;
  /**
   * Serve HTTPS with this certificate; `ca` is the test CA (trusted by `signIn`, and the one client
   * certificates are verified against); `requestCert` asks clients for theirs (RFC 8705).
   */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
}

export interface OidcProviderHandle {
  provider: Provider;
  /** The issuer identifier (no trailing slash): `http://127.0.0.1:PORT`. */
  issuer: string;
  /**
   * Plays the user with devInteractions: opens `authorizeUrl`, signs in as `login`, consents
   * (or, with `deny`, aborts) and returns the address the browser is sent back to.
   */
  signIn(authorizeUrl: string, opts?: { login?: string; deny?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_FEATURES: Configuration['features'] = {
  devInteractions: { enabled: true },
  clientCredentials: { enabled: true },
  introspection: { enabled: true },
  revocation: { enabled: true },
  userinfo: { enabled: true },
  dPoP: { enabled: true },
};

/** Starts oidc-provider; resolves once it listens. */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProviderHandle> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => handler(req, res);
  const server: Server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: options.tls.requestCert ?? false,
          // The provider decides (certificateAuthorized): an unknown certificate is its invalid_client, not a TLS abort.
          rejectUnauthorized: false,
        },
        listener,
      )
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  // Signing keys of our own: oidc-provider's development keys come with a console warning.
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.privateKey)), kid: 'rs256', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.privateKey)), kid: 'es256', alg: 'ES256', use: 'sig' },
    ],
  };
  const features = { ...DEFAULT_FEATURES };
  for (const [name, value] of Object.entries(options.features ?? {})) {
    (features as Record<string, unknown>)[name] = { ...((DEFAULT_FEATURES as Record<string, object>)[name] ?? {}), ...value };
  }
  const provider = new Provider(issuer, {
    jwks,
    cookies: { keys: ['tokendesk-test-cookie-key'] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, name: `User ${sub}` }) }),
    claims: { openid: ['sub'], profile: ['name'] },
    pkce: { required: () => false },
    // Explicit lifetimes: oidc-provider prints a notice for every default one it uses.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 600, DeviceCode: 600, Grant: 86_400, IdToken: 3600, Interaction: 600, RefreshToken: 86_400, Session: 86_400 },
    ...options.configuration,
    clients: options.clients,
    features,
  });
  // oidc-provider logs every server error to the console by default; a test reads the response.
  provider.on('server_error', () => {});
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);

  return {
    provider,
    issuer,
    signIn: (authorizeUrl, opts = {}) => playDevInteractions(options.tls?.ca ?? options.tls?.cert ?? null, issuer, authorizeUrl, opts.login ?? 'alice', opts.deny ?? false),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** For `features.mTLS.getCertificate`: the PEM of the client certificate the TLS socket received. */
export function peerCertificatePem(socket: unknown): string | undefined {
  const tls = socket as TLSSocket;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const peer = tls.getPeerCertificate(false);
  if (!peer || !peer.raw) return undefined;
  return new X509Certificate(peer.raw).toString();
}

/** Follows the devInteractions pages with a cookie jar until the browser would leave the issuer. */
async function playDevInteractions(ca: string | null, issuer: string, authorizeUrl: string, login: string, deny: boolean): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<PageResponse> => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await request(url, { ...init, headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } }, ca);
    for (const line of res.setCookie) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
  let url = authorizeUrl;
  for (let step = 0; step < 12; step += 1) {
    const res = await go(url);
    const location = res.location;
    if (location) {
      const next = new URL(location, url).toString();
      if (!next.startsWith(`${issuer}/`)) return next;
      url = next;
      continue;
    }
    const html = res.body;
    if (res.status !== 200) throw new Error(`oidc-provider answered ${res.status} at ${url}:\n${html}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`No devInteractions form at ${url}:\n${html}`);
    if (deny) {
      url = `${new URL(action, url).toString()}/abort`;
      continue;
    }
    const fields: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    const posted = await go(new URL(action, url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const after = posted.location;
    if (!after) throw new Error(`The ${prompt} form answered ${posted.status} without a redirect:\n${posted.body}`);
    url = new URL(after, url).toString();
    if (!url.startsWith(`${issuer}/`)) return url;
  }
  throw new Error(`devInteractions did not come back to the client after 12 steps (last: ${url}).`);
}

interface PageResponse {
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
}

/** One request without following redirects; over HTTPS it trusts the provider's own certificate. */
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, ca: string | null): Promise<PageResponse> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: typeof res.headers.location === 'string' ? res.headers.location : null,
          setCookie: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
