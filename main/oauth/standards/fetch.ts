/**
 * oauth4webapi's `customFetch` over the project's one recorded HTTP client (issue #12 item 9):
 * every request oauth4webapi makes is logged and masked like any other exchange, carries the
 * client's transport settings, and comes back as the WHATWG `Response` oauth4webapi expects.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import { isLoopbackUrl, type HttpMethod, type HttpResponse } from '../http';
import type { FlowDeps, FlowInput } from '../requests';
import { clientTransport } from '../transport';

/** The part of fetch's `init` oauth4webapi passes (build/index.js: body, headers, method, redirect, signal). */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  redirect?: string;
  signal?: AbortSignal;
}

export interface RecordedFetch {
  (url: string, init?: FetchInit): Promise<Response>;
  /** The last answer, so failures can be explained in the project's words (provider-errors). */
  lastResponse(): HttpResponse | null;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** Fetch Standard §2.2.3: a null body status cannot carry a body in a `Response`. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function bodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  // oauth4webapi only sends forms and strings; a stream or a Blob here is a programming error.
  throw new TokenDeskError('internal', 'oauth4webapi sent a request body TokenDesk cannot record.');
}

function toResponse(res: HttpResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const nullBody = NULL_BODY_STATUS.has(res.status) || res.body === '';
  // `new Response` only takes 200-599; anything else is a broken server and reads as a 502.
  const status = res.status >= 200 && res.status <= 599 ? res.status : 502;
  return new Response(nullBody ? null : res.body, { status, headers });
}

/**
 * A `fetch` for oauth4webapi that sends through `deps.http` under the client's id. Cleartext
 * HTTP goes to loopback only (BRIEF: "Cleartext HTTP only to loopback"); oauth4webapi's own
 * check is therefore relaxed by `standardsOptions`, and this one applies instead. The abort
 * signal is not forwarded: the recorded client applies its own deadline to every request.
 */
export function recordedFetch(deps: FlowDeps, input: FlowInput): RecordedFetch {
  let last: HttpResponse | null = null;
  const fetcher = async (url: string, init: FetchInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase() as HttpMethod;
    if (!METHODS.includes(method)) {
      throw new TokenDeskError('internal', `TokenDesk cannot send an HTTP ${method} request.`);
    }
    if (url.startsWith('http://') && !isLoopbackUrl(url) && input.client.allowInsecureHttp !== true) {
      throw new TokenDeskError(
        'bad_request',
        `${url} uses cleartext http://, which TokenDesk only allows on this computer (loopback) unless the client allows insecure HTTP. Use the server's https:// address.`,
      );
    }
    last = await deps.http.send({
      clientId: input.client.id,
      method,
      url,
      headers: { ...(init.headers ?? {}) },
      body: bodyText(init.body),
      transport: clientTransport(input.client, input.secrets),
    });
    return toResponse(last);
  };
  return Object.assign(fetcher, { lastResponse: () => last });
}

/** The options every oauth4webapi call of a client takes: the recorded fetch, and our cleartext rule. */
export interface StandardsOptions {
  [oauth.customFetch]: RecordedFetch;
  [oauth.allowInsecureRequests]: true;
}

export function standardsOptions(fetcher: RecordedFetch): StandardsOptions {
  return { [oauth.customFetch]: fetcher, [oauth.allowInsecureRequests]: true };
}
