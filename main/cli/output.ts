/**
 * What the command line prints: the contract's token JSON, the client and status JSON, and the
 * human tables. Dates are ISO 8601 (UTC) in JSON; tables add the remaining time.
 */
import { isoInstant, isValidInstant } from '../model/dates';
import { escapeControl } from '../model/limits';
import type { ClientView, Exchange, TokenSet } from '../model/types';
import { formatRemaining } from '../core/views';

/** The contract's token JSON (snake_case, as RFC 6749 §5.1 names these fields). */
export interface TokenJson {
  client: string;
  access_token: string;
  token_type: string;
  expires_at: string | null;
  refresh_token: string | null;
  refresh_expires_at: string | null;
  scope: string | null;
}

export interface StatusJson {
  client: string;
  provider: string;
  state: string;
  expires_at: string | null;
  refresh_expires_at: string | null;
}

export interface ClientJson extends StatusJson {
  id: string;
  base_url: string;
  client_id: string;
  has_secret: boolean;
  redirect_uri: string | null;
  scope: string | null;
  env: string | null;
  platform: string | null;
  grant: string | null;
  next_refresh_at: string | null;
  last_error: string | null;
  /** The user allowed cleartext http:// to a host other than this computer (--allow-insecure-http). */
  insecure_http: boolean;
}

export const iso = isoInstant;

/** A client's name (or any value from the store) as a terminal may show it: control characters escaped. */
export const printable = escapeControl;

export function tokenJson(client: string, token: Pick<TokenSet, 'accessToken' | 'tokenType' | 'expiresAt' | 'refreshToken' | 'refreshExpiresAt' | 'scope'>): TokenJson {
  return {
    client,
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_at: iso(token.expiresAt),
    refresh_token: token.refreshToken,
    refresh_expires_at: iso(token.refreshExpiresAt),
    scope: token.scope,
  };
}

export function statusJson(view: ClientView): StatusJson {
  return {
    client: view.config.name,
    provider: view.config.provider,
    state: view.state,
    expires_at: iso(view.token?.expiresAt),
    refresh_expires_at: iso(view.token?.refreshExpiresAt),
  };
}

export function clientJson(view: ClientView): ClientJson {
  const { config } = view;
  return {
    ...statusJson(view),
    id: config.id,
    base_url: config.baseUrl,
    client_id: config.clientId,
    has_secret: view.hasSecret,
    redirect_uri: config.redirectUri,
    scope: config.scope,
    env: config.env,
    platform: config.platform,
    grant: config.generic?.grant ?? null,
    next_refresh_at: iso(view.nextRefreshAt),
    last_error: view.lastError?.message ?? null,
    insecure_http: config.allowInsecureHttp === true,
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** "2025-06-01T12:00:00.000Z (in 4m 59s)", "—" for no time. */
export function when(epochMs: number | null | undefined, now: number): string {
  if (epochMs == null) return '—';
  const at = isoInstant(epochMs) ?? '—';
  if (!isValidInstant(epochMs)) return at;
  return epochMs > now ? `${at} (in ${formatRemaining(epochMs - now)})` : `${at} (expired)`;
}

/** Left-aligned columns, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function statusTable(views: ClientView[], now: number): string {
  if (views.length === 0) return 'No clients yet. Add one with "tokendesk clients add NAME --provider …".\n';
  return table(
    ['CLIENT', 'PROVIDER', 'STATE', 'EXPIRES', 'REFRESH EXPIRES'],
    views.map((view) => [
      printable(view.config.name),
      view.config.provider,
      view.state,
      when(view.token?.expiresAt, now),
      when(view.token?.refreshExpiresAt, now),
    ]),
  );
}

export function clientDetails(view: ClientView, now: number): string {
  const c = clientJson(view);
  const rows: [string, string | null][] = [
    ['name', printable(c.client)],
    ['id', c.id],
    ['provider', c.provider + (c.grant ? ` (${c.grant})` : '')],
    ['base url', c.base_url + (c.insecure_http ? '  (insecure http allowed: secrets may travel in cleartext)' : '')],
    ['client id', c.client_id || null],
    ['client secret', c.has_secret ? 'stored' : null],
    ['redirect uri', c.redirect_uri],
    ['scope', c.scope],
    ['environment', c.env],
    ['platform', c.platform],
    ['state', c.state],
    ['token type', view.token?.tokenType ?? null],
    ['access token', view.token?.accessTokenMasked ?? null],
    ['expires', view.token ? when(view.token.expiresAt, now) : null],
    ['refresh token', view.token?.refreshTokenMasked ?? null],
    ['refresh expires', view.token?.refreshExpiresAt != null ? when(view.token.refreshExpiresAt, now) : null],
    ['next refresh', view.nextRefreshAt != null ? when(view.nextRefreshAt, now) : null],
    ['last error', c.last_error],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== null);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
}

/** One line saying where a client stands after issue, login or refresh. */
export function summaryLine(view: ClientView, did: string, now: number): string {
  const expiry = view.token?.expiresAt != null ? `valid until ${when(view.token.expiresAt, now)}` : 'no expiry given';
  return `${printable(view.config.name)}: ${did}, ${expiry}.\n`;
}

export function exchangeLines(exchanges: Exchange[]): string {
  if (exchanges.length === 0) return 'No exchanges recorded yet.\n';
  const blocks = exchanges.map((ex, i) => {
    const outcome = ex.error ?? (ex.status === null ? 'no response' : String(ex.status));
    const lines = [`#${i + 1} ${isoInstant(ex.startedAt)} ${ex.method} ${ex.url} → ${outcome} (${ex.durationMs} ms)`];
    for (const [name, value] of Object.entries(ex.requestHeaders)) lines.push(`  > ${name}: ${value}`);
    if (ex.requestBody) lines.push(`  > ${ex.requestBody}`);
    for (const [name, value] of Object.entries(ex.responseHeaders)) {
      for (const one of Array.isArray(value) ? value : [value]) lines.push(`  < ${name}: ${one}`);
    }
    if (ex.responseBody) lines.push(`  < ${ex.responseBody}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** userinfo for people: top-level fields one per line, nested values as JSON. */
export function keyValues(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return json(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([key, field]) => `${key}: ${typeof field === 'string' ? field : JSON.stringify(field)}\n`)
    .join('');
}
