/**
 * The one HTTP client of the OAuth layer (and the only file that imports axios). It never throws
 * on an HTTP status, keeps every body as raw text (a malformed body must reach the user as it was
 * sent, docs/providers.md §2), never follows redirects (a redirect to the redirect URI carries the code),
 * and records every exchange — failed ones included — through `onExchange`.
 */
import { randomUUID } from 'node:crypto';
import axios, { AxiosError, type AxiosResponse } from 'axios';
import { TokenDeskError } from '../model/errors';
import type { Exchange } from '../model/types';
import { transportConfig, type Transport } from './transport';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  /** The TokenDesk client the exchange belongs to (Exchange.clientId). */
  clientId: string;
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
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
  /** Default per-request timeout; 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

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
    responseType: 'text',
    // Identity both ways: the body goes out exactly as built and comes back exactly as sent.
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true, silentJSONParsing: false, forcedJSONParsing: false },
    decompress: true,
  });

  return {
    async send(req) {
      const startedAt = Date.now();
      const started = performance.now();
      const headers = { ...(req.headers ?? {}) };
      const body = req.body ?? null;
      const base = {
        id: randomUUID(),
        clientId: req.clientId,
        startedAt,
        method: req.method,
        url: req.url,
        requestHeaders: headers,
        requestBody: body,
      };
      const transport = transportConfig(req.url, req.transport);
      let response: AxiosResponse<string>;
      try {
        response = await instance.request<string>({
          method: req.method,
          url: req.url,
          headers,
          data: body ?? undefined,
          timeout: req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          ...transport,
        });
      } catch (cause) {
        const error = networkError(cause, req.url, req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        record(options, {
          ...base,
          durationMs: Math.round(performance.now() - started),
          status: null,
          responseHeaders: {},
          responseBody: null,
          error: error.message,
        });
        throw error;
      }
      const responseHeaders = plainHeaders(response.headers);
      const text = typeof response.data === 'string' ? response.data : response.data == null ? '' : String(response.data);
      const exchange: Exchange = {
        ...base,
        durationMs: Math.round(performance.now() - started),
        status: response.status,
        responseHeaders,
        responseBody: text,
        error: null,
      };
      record(options, exchange);
      return { status: response.status, headers: responseHeaders, body: text, exchange };
    },
  };
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
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === '[::1]' || host === 'localhost';
  } catch {
    return false;
  }
}

/** A network-level failure (no HTTP response) as a TokenDeskError naming the host. */
function networkError(cause: unknown, url: string, timeoutMs: number): TokenDeskError {
  const host = hostOf(url);
  const code = cause instanceof AxiosError ? (cause.code ?? '') : '';
  const detail = cause instanceof Error ? cause.message : String(cause);
  const causeCode = (cause as { cause?: { code?: unknown } } | null)?.cause?.code;
  const anyCode = typeof causeCode === 'string' ? causeCode : code;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
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
