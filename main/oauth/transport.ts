/**
 * How a request reaches its server (issue #12 items 3 and 7): through a proxy (the client's own,
 * or HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches), trusting a client's CA bundle on top of the
 * system's (TLS checks stay on), presenting an RFC 8705 client certificate.
 * HTTPS through a proxy is an HTTP CONNECT tunnel (RFC 9110 §9.3.6) with TLS inside it: axios's
 * own proxy support sends an https URL to the proxy in the clear, so it is never used.
 */
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { TokenDeskError } from '../model/errors';
import type { ClientConfig, ClientSecrets } from '../model/types';

export interface Transport {
  /** The client's proxy URL; null or absent: the environment's. */
  proxy?: string | null;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | null;
  /** Client certificate and key (PEM), RFC 8705. */
  cert?: string | null;
  key?: string | null;
}

/** What http.ts spreads into its axios request. */
export interface TransportConfig {
  /** axios's own proxy, for cleartext requests only. */
  proxy: false | { protocol: string; host: string; port: number; auth?: { username: string; password: string } };
  httpsAgent?: HttpsAgent;
}

type Env = Readonly<Record<string, string | undefined>>;

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '[::1]' || host === '::1' || host === 'localhost';
}

/**
 * curl's NO_PROXY rules: a comma/space separated list of host names, domain suffixes (with or
 * without a leading dot), optional `:port`; `*` alone matches everything.
 */
export function noProxyMatches(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, ''));
    const name = (match?.[1] ?? entry).replace(/^\*?\./, '');
    if (match?.[2] && match[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * The proxy for `url`: the client's own when set; otherwise HTTPS_PROXY (https) or HTTP_PROXY
 * (http), either case, unless NO_PROXY matches. Loopback never takes an environment proxy.
 */
export function proxyFor(url: string, transport: Transport | undefined, env: Env = process.env): URL | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    // Not a URL: the request itself fails and says so (http.ts).
    return null;
  }
  const own = transport?.proxy?.trim();
  if (own) return parseProxy(own);
  if (isLoopbackHost(target.hostname)) return null;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  if (noProxy !== '' && noProxyMatches(target, noProxy)) return null;
  const fromEnv =
    target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.ALL_PROXY ?? env.all_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  return fromEnv && fromEnv.trim() !== '' ? parseProxy(fromEnv.trim()) : null;
}

function parseProxy(value: string): URL {
  // `host:port` without a scheme is how many people write HTTPS_PROXY; it means http://.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TokenDeskError('bad_request', `The proxy address "${value}" is not a URL. Write it as http://host:port.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TokenDeskError('bad_request', `The proxy ${url.host} uses ${url.protocol}; TokenDesk speaks to http:// and https:// proxies only.`);
  }
  return url;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { 'proxy-authorization': `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}` };
}

/** An https.Agent that opens each connection as a CONNECT tunnel through `proxy`, TLS inside. */
class TunnelAgent extends HttpsAgent {
  readonly #proxy: URL;

  constructor(proxy: URL, options: AgentOptions) {
    super(options);
    this.#proxy = proxy;
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    // Node's Agent takes the socket from the callback when createConnection returns nothing.
    const fail = (err: Error) => callback?.(err, undefined as unknown as Duplex);
    const host = options.host ?? 'localhost';
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port ?? 443}`;
    const proxy = this.#proxy;
    const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const connect = send({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
    });
    connect.once('connect', (res, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(new Error(`the proxy ${proxy.host} refused the tunnel with HTTP ${res.statusCode}`));
        return;
      }
      const servername = isIP(host) === 0 ? host : undefined;
      callback?.(null, tlsConnect({ ...(options as ConnectionOptions), socket, ...(servername ? { servername } : {}) }));
    });
    connect.once('error', fail);
    connect.end();
    return undefined;
  }
}

/** The axios settings for one request: agents carrying the proxy, trusted CAs and client certificate. */
export function transportConfig(url: string, transport: Transport | undefined, env: Env = process.env): TransportConfig {
  const proxy = proxyFor(url, transport, env);
  const tlsOptions: AgentOptions = {
    // Node replaces its roots when `ca` is given: keep them, and add the client's bundle.
    ...(transport?.ca ? { ca: [...rootCertificates, transport.ca] } : {}),
    ...(transport?.cert && transport.key ? { cert: transport.cert, key: transport.key } : {}),
  };
  if (url.startsWith('https:')) {
    return { proxy: false, httpsAgent: proxy ? new TunnelAgent(proxy, tlsOptions) : new HttpsAgent(tlsOptions) };
  }
  // Cleartext goes to the proxy whole (RFC 9112 §3.2.2 absolute-form), which axios does itself.
  if (proxy) {
    return {
      proxy: {
        protocol: proxy.protocol.replace(':', ''),
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
        ...(proxy.username ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
      },
    };
  }
  return { proxy: false };
}

/** A client's transport settings (the generic client's; presets use the environment's proxy). */
export function clientTransport(client: ClientConfig, secrets: ClientSecrets): Transport | undefined {
  const settings = client.generic;
  if (!settings) return undefined;
  return {
    proxy: settings.proxy ?? null,
    ca: settings.caCertificates ?? null,
    // RFC 8705 §3: a certificate also binds tokens, so it is presented whenever one is configured.
    cert: settings.clientCertificate ?? null,
    key: settings.clientCertificate ? (secrets.tlsClientKey ?? null) : null,
  };
}
