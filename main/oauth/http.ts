/**
 * The one HTTP client of the OAuth layer (and the only file that imports axios). It never throws
 * on an HTTP status, keeps every body as raw text (a malformed body must reach the user as it was
 * sent, docs/providers.md §2), never follows redirects (a redirect to the redirect URI carries the code),
 * and records every exchange — failed ones included — through `onExchange`.
 *
 * A provider is not trusted to be small or quick: the body is read as a stream and stops at the
 * response limit (on the wire and again once decompressed, so a gzip bomb stays a few kilobytes of
 * work), and one deadline covers connect, headers and body, so a body that trickles forever ends.
 * Exchange records keep at most LIMITS.rawBodyChars of each body.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { TokenDeskError } from '../model/errors';
import type { Exchange } from '../model/types';
import { capText, formatBytes, LIMITS } from '../model/limits';
import { transportConfig, type Transport } from './transport';
import { isInsecureHttp, isLoopbackHost } from '../model/urls';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  /** The TokenDesk client the exchange belongs to (Exchange.clientId). */
  clientId: string;
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
  /** The whole request's deadline (connect, headers and body); the client's default otherwise. */
  timeoutMs?: number;
  /** Proxy, trusted CAs, client certificate (transport.ts); the environment's proxy otherwise. */
  transport?: Transport;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; `set-cookie` is an array. */
  headers: Record<string, string | string[]>;
  body: string;
  exchange: Exchange;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  onExchange(exchange: Exchange): void;
  /** Default deadline of a whole request (connect, headers and body); 30 s. */
  timeoutMs?: number;
  /** The largest response body read, on the wire and decompressed; LIMITS.responseBytes (1 MiB). */
  maxResponseBytes?: number;
  /** Both of the above, read at each request (the user's settings), in place of the fixed values. */
  limits?(): { timeoutMs: number; maxResponseBytes: number };
  /** Told each time a credential goes out over cleartext http:// to another host; stderr by default. */
  onCleartext?(message: string): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const instance = axios.create({
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'stream',
    // Identity both ways: the body goes out exactly as built and comes back exactly as sent.
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true, silentJSONParsing: false, forcedJSONParsing: false },
    decompress: false,
  });

  return {
    async send(req) {
      const limits = options.limits?.();
      const maxBytes = limits?.maxResponseBytes ?? options.maxResponseBytes ?? LIMITS.responseBytes;
      const startedAt = Date.now();
      const started = performance.now();
      const headers = { 'accept-encoding': 'gzip, deflate, br', ...(req.headers ?? {}) };
      const body = req.body ?? null;
      const deadlineMs = req.timeoutMs ?? limits?.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const base = {
        id: randomUUID(),
        clientId: req.clientId,
        startedAt,
        method: req.method,
        url: req.url,
        requestHeaders: req.headers ?? {},
        requestBody: body === null ? null : capText(body),
      };
      const refusal = refusedScheme(req.url);
      if (refusal) {
        record(options, { ...base, durationMs: 0, status: null, responseHeaders: {}, responseBody: null, error: refusal.message });
        throw refusal;
      }
      if (isInsecureHttp(req.url) && carriesCredential(req)) {
        (options.onCleartext ?? ((message: string) => console.warn(`TokenDesk: ${message}`)))(
          `warning: sending credentials to ${req.url.split('?')[0]} over cleartext http:// (this client allows insecure HTTP); anyone on the network path can read them.`,
        );
      }
      const transport = transportConfig(req.url, req.transport);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), deadlineMs);
      let response: AxiosResponse<Readable> | null = null;
      let text: string;
      try {
        response = await instance.request<Readable>({
          method: req.method,
          url: req.url,
          headers,
          data: body ?? undefined,
          signal: deadline.signal,
          ...transport,
        });
        text = await readBody(response, maxBytes, deadline.signal);
      } catch (cause) {
        response?.data.destroy();
        const error =
          cause instanceof BodyTooLarge
            ? tooLargeError(req.url, maxBytes, cause)
            : networkError(cause, req.url, deadlineMs, deadline.signal.aborted);
        record(options, {
          ...base,
          durationMs: Math.round(performance.now() - started),
          status: response?.status ?? null,
          responseHeaders: response ? plainHeaders(response.headers) : {},
          responseBody: cause instanceof BodyTooLarge ? capText(cause.head) : null,
          error: error.message,
        });
        throw error;
      } finally {
        clearTimeout(timer);
      }
      const responseHeaders = plainHeaders(response.headers);
      const exchange: Exchange = {
        ...base,
        durationMs: Math.round(performance.now() - started),
        status: response.status,
        responseHeaders,
        responseBody: capText(text),
        error: null,
      };
      record(options, exchange);
      return { status: response.status, headers: responseHeaders, body: text, exchange };
    },
  };
}

/** Raised while reading a body that went past the limit; `head` is what was read of it. */
class BodyTooLarge extends Error {
  constructor(
    readonly head: string,
    readonly stage: 'declared' | 'wire' | 'decoded',
  ) {
    super('response body too large');
  }
}

/**
 * The body as text, read no further than `maxBytes` on the wire and `maxBytes` once decoded.
 * Decompression is ours (axios' own would buffer a bomb whole before any limit applies).
 */
async function readBody(response: AxiosResponse<Readable>, maxBytes: number, signal: AbortSignal): Promise<string> {
  const raw = response.data;
  const declared = Number(header(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge('', 'declared');
  const decoder = decoderFor(header(response.headers, 'content-encoding'));
  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  let wireBytes = 0;
  // What was read before stopping: the error and the record keep the first LIMITS.rawBodyChars of it.
  const head = (): string => Buffer.concat(chunks).toString('utf8');
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      raw.destroy();
      decoder?.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new AxiosError('deadline', 'ECONNABORTED'));
    signal.addEventListener('abort', onAbort, { once: true });
    const onDecoded = (chunk: Buffer): void => {
      decodedBytes += chunk.length;
      if (decodedBytes > maxBytes) return fail(new BodyTooLarge(head(), 'decoded'));
      chunks.push(chunk);
    };
    const done = (): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(stripBom(Buffer.concat(chunks).toString('utf8')));
    };
    raw.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) return fail(new BodyTooLarge(head(), 'wire'));
      if (decoder) decoder.write(chunk);
      else onDecoded(chunk);
    });
    raw.on('error', fail);
    raw.on('aborted', () => fail(new AxiosError('stream has been aborted', 'ERR_BAD_RESPONSE')));
    if (decoder) {
      decoder.on('data', onDecoded);
      decoder.on('error', (error) => fail(new AxiosError(`the response could not be decompressed (${error.message})`, 'ERR_BAD_RESPONSE')));
      decoder.on('end', done);
      raw.on('end', () => decoder.end());
    } else {
      raw.on('end', done);
    }
  });
}

/** A streaming decoder for the Content-Encoding, or null for identity (and encodings we did not ask for). */
function decoderFor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

function header(headers: unknown, name: string): string {
  const value = plainHeaders(headers)[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooLargeError(url: string, maxBytes: number, cause: BodyTooLarge): TokenDeskError {
  const what =
    cause.stage === 'declared'
      ? `announced a response larger than ${formatBytes(maxBytes)}`
      : cause.stage === 'decoded'
        ? `sent a response that decompresses to more than ${formatBytes(maxBytes)}`
        : `sent a response larger than ${formatBytes(maxBytes)}`;
  return new TokenDeskError(
    'invalid_response',
    `${hostOf(url)} ${what}; TokenDesk stopped reading it. A token response is a few kilobytes: check the URL, or raise the response size limit in the settings if this provider really needs more.`,
    { ...(cause.head !== '' ? { rawBody: cause.head } : {}), cause },
  );
}

/** A recorder that throws must not turn a good exchange into a failure. */
function record(options: HttpClientOptions, exchange: Exchange): void {
  try {
    options.onExchange(exchange);
  } catch {
    // The exchange log is best effort; the request's outcome stands.
  }
}

function plainHeaders(headers: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
      : ((headers ?? {}) as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Anything but http: and https: never leaves (a stored `file:` or `ftp:` URL edited in by hand). */
function refusedScheme(url: string): TokenDeskError | null {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return null;
  }
  if (protocol === 'http:' || protocol === 'https:') return null;
  return new TokenDeskError('bad_request', `Only http:// and https:// addresses are accepted; TokenDesk sent nothing to ${url}. Check the client's URLs.`);
}

/** Basic or Bearer auth, or a secret, password, code or refresh token in the body or the query. */
function carriesCredential(req: HttpRequest): boolean {
  if (Object.keys(req.headers ?? {}).some((name) => name.toLowerCase() === 'authorization')) return true;
  const fields = /(^|[?&])(client_secret|password|refresh_token|code|code_verifier|client_assertion|access_token)=/;
  return fields.test(req.body ?? '') || fields.test(req.url);
}

/** A network-level failure (no HTTP response) as a TokenDeskError naming the host. */
function networkError(cause: unknown, url: string, timeoutMs: number, pastDeadline: boolean): TokenDeskError {
  const host = hostOf(url);
  const code = cause instanceof AxiosError ? (cause.code ?? '') : '';
  const detail = cause instanceof Error ? cause.message : String(cause);
  const causeCode = (cause as { cause?: { code?: unknown } } | null)?.cause?.code;
  const anyCode = typeof causeCode === 'string' ? causeCode : code;
  if (pastDeadline || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new TokenDeskError(
      'timeout',
      `${host} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}. Check your connection or try again later.`,
      { cause },
    );
  }
  if (TLS_CODES.has(code) || TLS_CODES.has(anyCode) || /certificate|ssl|tls/i.test(detail)) {
    return new TokenDeskError(
      'tls',
      `The secure connection to ${host} failed (${anyCode || detail}). Check the base URL and the server's certificate.`,
      { cause },
    );
  }
  if (code === 'ERR_INVALID_URL' || /invalid url/i.test(detail)) {
    return new TokenDeskError('network', `The address ${url} is not a valid URL. Check the base URL.`, { cause });
  }
  const what =
    anyCode === 'ECONNREFUSED'
      ? 'refused the connection'
      : anyCode === 'ENOTFOUND' || anyCode === 'EAI_AGAIN'
        ? 'could not be found (DNS)'
        : anyCode === 'ECONNRESET' || anyCode === 'ERR_BAD_RESPONSE' || /socket hang up|aborted/i.test(detail)
          ? 'closed the connection before answering'
          : `could not be reached (${anyCode || detail})`;
  return new TokenDeskError('network', `${host} ${what}. Check the base URL and your connection, then try again.`, {
    cause,
  });
}
