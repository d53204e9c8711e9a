/**
 * Plays the user in front of a login / consent page, over plain HTTP: GET the authorize URL, fill
 * in and POST its form, and return where the 302 sends the browser (the redirect URI with the code).
 * Also builds the ClientConfig / FlowDeps the OAuth integration tests need.
 */
import type { ClientConfig, ClientSecrets, Exchange, ProviderId } from '../../main/model/types';
import { DEFAULT_REFRESH_POLICY } from '../../main/model/defaults';
import { createHttpClient } from '../../main/oauth/http';
import type { FlowDeps, FlowInput } from '../../main/oauth/flows';

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

/** The first form of a page: its absolute action and its hidden fields. */
export function readForm(html: string, pageUrl: string): PageForm {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form on the page ${pageUrl}:\n${html}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) fields[name] = unescapeHtml(value);
  }
  return { action: new URL(unescapeHtml(form[1]!), pageUrl).toString(), fields };
}

function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/**
 * GET the authorize URL, submit its form with `answers` (username, password, decision …) and
 * return the redirect address. Throws with the page when the server did not redirect.
 */
export async function playUser(authorizeUrl: string, answers: Record<string, string>): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const pageText = await page.text();
  const early = page.headers.get('location');
  if (page.status >= 300 && page.status < 400 && early) return new URL(early, authorizeUrl).toString();
  if (page.status !== 200) throw new Error(`The authorize page answered ${page.status}:\n${pageText}`);
  const form = readForm(pageText, authorizeUrl);
  const posted = await fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...answers }).toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status < 300 || posted.status >= 400 || !location) {
    throw new Error(`The login form answered ${posted.status} without a redirect:\n${await posted.text()}`);
  }
  return new URL(location, form.action).toString();
}

export function clientConfig(provider: ProviderId, over: Partial<ClientConfig> = {}): ClientConfig {
  return {
    id: `test-${provider}`,
    name: `Test ${provider}`,
    provider,
    baseUrl: '',
    clientId: '',
    redirectUri: null,
    scope: null,
    env: null,
    platform: null,
    podRefreshForm: 'body',
    generic: null,
    autoRefresh: true,
    refreshPolicy: DEFAULT_REFRESH_POLICY,
    sandbox: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export function flowInput(client: ClientConfig, secrets: Partial<ClientSecrets> = {}): FlowInput {
  return { client, secrets: { clientSecret: null, password: null, ...secrets } };
}

/** FlowDeps over real HTTP, recording every exchange. */
export function recordingDeps(opts: { now?: () => number; timeoutMs?: number } = {}): FlowDeps & { exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const http = createHttpClient({ onExchange: (ex) => exchanges.push(ex), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
  return { http, now: opts.now ?? Date.now, exchanges };
}
