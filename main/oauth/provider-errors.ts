/**
 * A provider's failure as a TokenDeskError the user can act on: what happened, what the provider
 * said (as it wrote it, Korean included), what to do next, and the raw body when it was not what
 * we expected. Pure: never throws anything but the error it builds.
 */
import { TokenDeskError } from '../model/errors';
import type { ErrorCode } from '../model/types';

/** What TokenDesk was doing when the provider answered; drives the "what to do next" part. */
export type OAuthAction =
  | 'issue'
  | 'exchange'
  | 'refresh'
  | 'revoke'
  | 'signout'
  | 'userinfo'
  | 'login_url'
  | 'reconsent'
  | 'discovery'
  | 'device'
  | 'introspect'
  | 'token_exchange'
  | 'jwt_bearer';

export interface ResponseContext {
  /** The provider's name as the user knows it: "Daou Office", "Hejhome". */
  provider: string;
  action: OAuthAction;
}

/** The part of an HTTP response these functions read. */
export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

const ACTION_LABEL: Record<OAuthAction, string> = {
  issue: 'token request',
  exchange: 'authorization code exchange',
  refresh: 'token refresh',
  revoke: 'token revocation',
  signout: 'sign-out',
  userinfo: 'user info request',
  login_url: 'sign-in request',
  reconsent: 're-consent request',
  discovery: 'metadata request',
  device: 'device authorization request',
  introspect: 'token introspection',
  token_exchange: 'token exchange',
  jwt_bearer: 'JWT bearer token request',
};

export type JsonParse = { ok: true; value: unknown } | { ok: false };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(res: ResponseLike, name: string): string {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

export function isHtml(res: ResponseLike): boolean {
  return /text\/html/i.test(header(res, 'content-type')) || /^\s*<(!doctype\s+html|html[\s>])/i.test(res.body);
}

/** The visible text of an HTML page, short: the message a provider put in its error page. */
export function htmlText(html: string, maxLength = 300): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const text = body
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * A string field of a JSON-looking text that did not parse (the Daou document's own samples have
 * duplicated keys and missing commas, docs/providers.md §2): the first `"name": "value"` found.
 */
export function lenientStringField(text: string, name: string): string | undefined {
  const match = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text);
  if (!match) return undefined;
  const parsed = parseJson(`"${match[1]}"`);
  return parsed.ok && typeof parsed.value === 'string' ? parsed.value : match[1];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The fields of the error bodies we know, from parsed JSON or (leniently) from broken JSON. */
interface ErrorFields {
  /** RFC 6749 §5.2 `error`, Daou's `message` ("invalid_client"), Spring's `error`. */
  error?: string;
  /** Text meant for a human: `error_description`, Daou's `messageDetail`, itcode's `message`. */
  description?: string;
  errorUri?: string;
  /** itcode's `title`. */
  title?: string;
}

function errorFields(res: ResponseLike): ErrorFields | null {
  const parsed = parseJson(res.body);
  if (parsed.ok) {
    if (!isRecord(parsed.value)) return null;
    const b = parsed.value;
    // RFC 6749 §5.2
    if (str(b.error) && (str(b.error_description) || str(b.error_uri) || !('message' in b))) {
      return { error: str(b.error), description: str(b.error_description), errorUri: str(b.error_uri) };
    }
    // Daou Office: { code: "401", message: "invalid_client", messageDetail: "…" } (docs/providers.md §2)
    if (str(b.messageDetail) || (str(b.code) && str(b.message))) {
      return { error: str(b.message), description: str(b.messageDetail) ?? str(b.message) };
    }
    // itcode: { flag: false, title, message, body } (docs/providers.md §4)
    if (b.flag === false) return { title: str(b.title), description: str(b.message) ?? str(b.title) };
    // Spring-style { status, error, message, path } (POD Shop's 401) and other `message` bodies
    if (str(b.message) || str(b.error)) {
      return { error: str(b.error), description: str(b.message) ?? str(b.error) };
    }
    return null;
  }
  const error = lenientStringField(res.body, 'error') ?? lenientStringField(res.body, 'message');
  const description =
    lenientStringField(res.body, 'error_description') ?? lenientStringField(res.body, 'messageDetail');
  if (!error && !description) return null;
  return { error, description: description ?? error };
}

function nextStep(ctx: ResponseContext, status: number, error: string | undefined): string {
  if (error === 'invalid_grant') {
    if (ctx.action === 'token_exchange') return "Check that the server accepts the subject (and actor) client's token for this exchange, and the audience and resource.";
    if (ctx.action === 'jwt_bearer') return "Check that the client's public key is registered with the server and that the assertion's subject is allowed.";
    if (ctx.action === 'exchange') return 'The sign-in code was already used or has expired: sign in again.';
    if (ctx.action === 'issue') return 'Check the username and password.';
    return 'The refresh token is no longer valid: sign in again.';
  }
  if (error === 'invalid_client' || error === 'unauthorized_client' || status === 401) {
    return 'Check the client ID and client secret.';
  }
  if (error === 'access_denied') return 'Sign in again and allow access.';
  if (error === 'invalid_scope') return 'Check the scope.';
  if (error === 'unsupported_grant_type' || error === 'invalid_request' || status === 400) {
    return "Check the client's settings (base URL, redirect URI, grant).";
  }
  if (status === 403) return 'Check that this client is allowed to use the API.';
  if (status === 404) return 'Check the base URL.';
  if (status === 429) return 'Wait a moment, then try again.';
  if (status >= 500) return 'The provider had a problem: try again later.';
  return "Check the client's settings, then try again.";
}

/** Ends a sentence with a period unless the provider's own text already did. */
export function endSentence(text: string): string {
  return /[.!?。]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** invalid_grant means "sign in again", except for grants whose input is no sign-in (RFC 8693, RFC 7523). */
function errorCodeFor(error: string | undefined, action: OAuthAction): ErrorCode {
  return error === 'invalid_grant' && action !== 'token_exchange' && action !== 'jwt_bearer' ? 'invalid_grant' : 'provider_rejected';
}

/**
 * The error for a provider response that failed: RFC 6749 §5.2 bodies, Daou's and itcode's own
 * error bodies, HTML error pages, and anything else (raw body kept).
 */
export function errorFromResponse(res: ResponseLike, ctx: ResponseContext): TokenDeskError {
  const label = ACTION_LABEL[ctx.action];
  const httpPart = res.status >= 200 && res.status < 300 ? '' : ` (HTTP ${res.status})`;
  if (isHtml(res)) {
    const ok = res.status >= 200 && res.status < 300;
    const text = htmlText(res.body);
    return new TokenDeskError(
      ok ? 'invalid_response' : 'provider_rejected',
      `${ctx.provider} answered the ${label} with an HTML page${httpPart} instead of data. ${
        ok ? 'Check the base URL.' : nextStep(ctx, res.status, undefined)
      }`,
      { status: res.status, rawBody: res.body, ...(text ? { providerMessage: text } : {}) },
    );
  }
  // A 5xx is the provider's own failure, not a verdict on the request.
  const verb = res.status >= 500 ? 'could not handle' : 'rejected';
  const fields = errorFields(res);
  if (fields) {
    const code = fields.error ?? fields.title;
    const said = fields.description && fields.description !== code ? `: ${fields.description}` : '';
    const uri = fields.errorUri ? ` (see ${fields.errorUri})` : '';
    return new TokenDeskError(
      errorCodeFor(fields.error, ctx.action),
      `${endSentence(`${ctx.provider} ${verb} the ${label}${httpPart}${code ? ` with "${code}"` : ''}${said}${uri}`)} ${nextStep(ctx, res.status, fields.error)}`,
      {
        status: res.status,
        rawBody: res.body,
        ...(fields.description || code ? { providerMessage: fields.description ?? code } : {}),
      },
    );
  }
  if (res.status >= 200 && res.status < 300) {
    return invalidResponse(res, ctx, 'an answer TokenDesk does not understand');
  }
  return new TokenDeskError(
    'provider_rejected',
    `${ctx.provider} ${verb} the ${label}${httpPart}. ${nextStep(ctx, res.status, undefined)}`,
    { status: res.status, ...(res.body !== '' ? { rawBody: res.body } : {}) },
  );
}

/** A successful status with a body we cannot use; `what` names the problem. */
export function invalidResponse(res: ResponseLike, ctx: ResponseContext, what: string): TokenDeskError {
  return new TokenDeskError(
    'invalid_response',
    `${ctx.provider} answered the ${ACTION_LABEL[ctx.action]} with ${what}. The raw response is shown below; check the base URL or report it to the provider.`,
    { status: res.status, rawBody: res.body },
  );
}

/**
 * Daou's `{code, message, messageDetail}` is the provider's error whatever the HTTP status, 2xx
 * included (docs/providers.md §2). `messageDetail` is optional in its table, so `code` with
 * `message` counts too, unless the body carries anything named like a token (a generic
 * provider's `{code: 0, message: "ok", accessToken: …}` is a success).
 */
function isDaouErrorBody(body: Record<string, unknown>): boolean {
  if (Object.keys(body).some((key) => /token/i.test(key)) || 'flag' in body) return false;
  return str(body.messageDetail) !== undefined || (str(body.code) !== undefined && typeof body.message === 'string');
}

/**
 * A JSON object body of a successful response, or the error to throw: an error body on a 2xx
 * (itcode's `flag: false`, an RFC 6749 `error`), HTML, or text that is not JSON.
 */
export function jsonObjectBody(res: ResponseLike, ctx: ResponseContext): Record<string, unknown> {
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, ctx);
  if (isHtml(res)) throw errorFromResponse(res, ctx);
  const parsed = parseJson(res.body);
  if (!parsed.ok) {
    // Daou's own error sample is broken JSON: its fields still say it is the provider's error.
    if (lenientStringField(res.body, 'messageDetail') !== undefined) throw errorFromResponse(res, ctx);
    throw invalidResponse(res, ctx, res.body.trim() === '' ? 'an empty body' : 'a body that is not valid JSON');
  }
  if (!isRecord(parsed.value)) throw invalidResponse(res, ctx, 'JSON that is not an object');
  const body = parsed.value;
  if (body.flag === false || (typeof body.error === 'string' && body.error !== '') || isDaouErrorBody(body)) throw errorFromResponse(res, ctx);
  return body;
}
