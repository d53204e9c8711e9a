/**
 * POD Shop Admin API — PROVIDERS.md §3, seeds/002: Basic credentials exchanged for a Bearer token,
 * refreshed with `refreshToken` in one of the document's two forms.
 */
import { TokenDeskError } from '../../model/errors';
import type { ClientConfig, PodRefreshForm, PodShopEnv, TokenSet } from '../../model/types';
import {
  basicAuthorization,
  context,
  endpoint,
  formBody,
  formHeaders,
  requireClientId,
  requireSecret,
  send,
  type FlowDeps,
  type FlowInput,
} from '../requests';
import { processTokenResponse } from '../normalize';
import { NO_CAPABILITIES, type Preset } from './preset';

const LABEL = 'POD Shop';

export const PODSHOP_BASE_URLS: Record<PodShopEnv, string> = {
  prod: 'https://api.pod.shop',
  // The doc's examples use the dev host (PROVIDERS.md §3).
  dev: 'https://dev-api.pod.shop',
};

function baseUrl(client: ClientConfig): string {
  return client.baseUrl.trim() !== '' ? client.baseUrl.trim() : PODSHOP_BASE_URLS[client.env ?? 'prod'];
}

/** PROVIDERS.md §3 "plain Basic": `Basic base64(client_id:client_key)`, usable on every Admin API call. */
export function podshopBasicHeader(input: FlowInput): string {
  return basicAuthorization(requireClientId(input, LABEL), requireSecret(input, LABEL, 'client key'), { formEncode: false });
}

/** PROVIDERS.md §3 "token": POST /ac/oauth/ext/token, the Basic header only — no body, no grant_type. */
async function issue(deps: FlowDeps, input: FlowInput): Promise<TokenSet> {
  const request = {
    url: endpoint(baseUrl(input.client), '/ac/oauth/ext/token'),
    headers: { authorization: podshopBasicHeader(input) },
    body: null,
  };
  return (await sendToken(deps, input, 'issue', request, null)).token();
}

/**
 * PROVIDERS.md §3 "refresh", in the form the client is set to: the table's (`refreshToken` in the
 * form body of /ac/oauth/ext/token/refresh) or the curl example's (query string of
 * /ac/oauth/external/{clientId}/refresh).
 */
export function podshopRefreshRequest(input: FlowInput, refreshToken: string, form: PodRefreshForm) {
  const authorization = podshopBasicHeader(input);
  if (form === 'query') {
    const path = `/ac/oauth/external/${encodeURIComponent(input.client.clientId)}/refresh`;
    return {
      url: `${endpoint(baseUrl(input.client), path)}?${formBody({ refreshToken })}`,
      headers: { authorization },
      body: null,
    };
  }
  return {
    url: endpoint(baseUrl(input.client), '/ac/oauth/ext/token/refresh'),
    headers: formHeaders({ authorization }),
    body: formBody({ refreshToken }),
  };
}

async function sendToken(
  deps: FlowDeps,
  input: FlowInput,
  action: 'issue' | 'refresh',
  req: { url: string; headers: Record<string, string>; body: string | null },
  previous: TokenSet | null,
) {
  const res = await send(deps, input, { method: 'POST', ...req });
  return { res, token: () => processTokenResponse(res, context(LABEL, action), { now: deps.now(), previous }) };
}

async function refresh(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<TokenSet> {
  if (!current.refreshToken) return issue(deps, input);
  const configured = input.client.podRefreshForm ?? 'body';
  let attempt = await sendToken(deps, input, 'refresh', podshopRefreshRequest(input, current.refreshToken, configured), current);
  if (attempt.res.status === 404) {
    // The document disagrees with itself about the refresh route: a server without the
    // configured one answers 404, so the other documented form is tried once.
    const other: PodRefreshForm = configured === 'body' ? 'query' : 'body';
    attempt = await sendToken(deps, input, 'refresh', podshopRefreshRequest(input, current.refreshToken, other), current);
  }
  try {
    return attempt.token();
  } catch (error) {
    // A refresh token POD Shop no longer takes (401) is no dead end: the Basic exchange issues a
    // new pair without the user (PROVIDERS.md §3). Bad client credentials fail there too, clearly.
    if (error instanceof TokenDeskError && attempt.res.status === 401) return issue(deps, input);
    throw error;
  }
}

export const podshopPreset: Preset = {
  id: 'podshop',
  label: LABEL,
  grant: 'Basic credentials → Bearer token',
  environments: [
    { id: 'prod', label: 'api.pod.shop', baseUrl: PODSHOP_BASE_URLS.prod },
    { id: 'dev', label: 'dev-api.pod.shop', baseUrl: PODSHOP_BASE_URLS.dev },
  ],
  fields: [
    { key: 'env', required: true, default: 'prod' },
    { key: 'baseUrl', required: true, default: PODSHOP_BASE_URLS.prod },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
    { key: 'podRefreshForm', required: false, default: 'body' },
  ],
  capabilities: () => ({ ...NO_CAPABILITIES, issue: true, refresh: true, basicHeader: true }),
  issueToken: issue,
  refreshToken: refresh,
};
