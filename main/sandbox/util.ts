/**
 * Plumbing shared by every emulated provider: the request and response shapes the router hands
 * around, body and header parsing, and a few response builders. node:http only (no framework), so
 * the sandbox runs under plain Node in the app, the CLI and the tests.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxConfig, SandboxLifetimes } from './credentials';
import type { JwtSigner } from './jwt';

/** A request as a provider handler sees it: fully read, URL parsed, path parameters extracted. */
export interface SandboxRequest {
  method: string;
  url: URL;
  /** The query string exactly as sent, without the '?': Hejhome compares redirect_uri unencoded. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (UTF-8), '' when there was none. */
  body: string;
  params: Record<string, string>;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface Route {
  method: string;
  /** '/oauth2/api/login/:platform' — ':name' matches one path segment. */
  pattern: string;
  /** Counter and fault key, e.g. 'daou.token' (see SANDBOX_ENDPOINT_KEYS). */
  key: string;
  handle: Handler;
}

/** The parts of the running sandbox a provider needs: its clock, lifetimes and configuration. */
export interface ProviderContext {
  /** epoch ms */
  now(): number;
  /** Read on every request: tests change them at runtime. */
  lifetimes: SandboxLifetimes;
  config: SandboxConfig;
  signer: JwtSigner;
  /** The base URL the server listens on, for URLs it hands out (itcode's platform authorize URL). */
  baseUrl(): string;
}

export function json(status: number, value: unknown, headers: Record<string, string | string[]> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** RFC 6749 §5.1: token responses must not be cached. */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export function htmlPage(status: number, title: string, inner: string, headers: Record<string, string> = {}): SandboxResponse {
  const body = `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin-top:.75rem}input{display:block;width:100%;padding:.4rem}
button{margin-top:1rem;margin-right:.5rem;padding:.5rem 1.2rem}.error{color:#b00020}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${inner}
</body>
</html>
`;
  return { status, headers: { 'content-type': 'text/html;charset=UTF-8', ...headers }, body };
}

export function redirect(location: string): SandboxResponse {
  return { status: 302, headers: { location }, body: '' };
}

/** Appends query parameters to a URL that may already carry some (itcode's callback has ?platform=). */
export function withQuery(base: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return base + (base.includes('?') ? '&' : '?') + query;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The user's name and password and the allow/deny decision: every sandbox consent form ends with them. */
export const SIGN_IN_FIELDS = `<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>`;

export function hiddenInputs(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

export function isForm(req: SandboxRequest): boolean {
  return mediaType(req) === 'application/x-www-form-urlencoded';
}

export function isJson(req: SandboxRequest): boolean {
  return mediaType(req) === 'application/json';
}

function mediaType(req: SandboxRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The form body's parameters; an empty set when the request is not form-encoded. */
export function formParams(req: SandboxRequest): URLSearchParams {
  return isForm(req) ? new URLSearchParams(req.body) : new URLSearchParams();
}

/** A raw (undecoded) query parameter value, for APIs that compare it as text. */
export function rawQueryParam(rawQuery: string, name: string): string | null {
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (safeDecode(key) === name) return eq === -1 ? '' : part.slice(eq + 1);
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

export interface BasicCredentials {
  id: string;
  secret: string;
}

/**
 * RFC 7617 Basic credentials. RFC 6749 §2.3.1 form-encodes id and secret before base64; the
 * sandbox ids and secrets contain no characters that encoding would change, so both readings agree.
 */
export function parseBasic(req: SandboxRequest): BasicCredentials | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { id: decoded, secret: '' };
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function bearerToken(req: SandboxRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1]! : null;
}

export function parseCookies(req: SandboxRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name) cookies[name] = part.slice(eq + 1).trim();
  }
  return cookies;
}

/** Constant-time comparison for secrets. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hejhome's tokens look like UUIDs with a piece masked out in the doc ("790af99-74b2-****-824a-d580c"). */
export function uuidToken(): string {
  return randomUUID();
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
