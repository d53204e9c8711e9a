/**
 * POD Shop Admin API — docs/providers.md §3, seeds/002: Basic credentials exchanged for a Bearer
 * token, refreshed with `refreshToken` in one of the document's two forms.
 */
import { TokenDeskError } from '../../model/errors';
import type { ClientConfig, PodRefreshForm, TokenSet } from '../../model/types';
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

/**
 * The only host the document names (docs/providers.md §3). It documents no production host, so
 * none is invented: any other address is one the user types.
 */
export const PODSHOP_DOCUMENTED_BASE_URL = 'https://dev-api.pod.shop';

function baseUrl(client: ClientConfig): string {
  return client.baseUrl.trim() !== '' ? client.baseUrl.trim() : PODSHOP_DOCUMENTED_BASE_URL;
}

/**
 * Answers after which the other documented refresh form is tried: 404 (no such route), 400 and
 * 415 (a server that wants the parameter in another place or encoding). 401 is not one of them:
 * that is the refresh token refused.
 */
const TRY_OTHER_FORM = new Set([400, 404, 415]);

/** docs/providers.md §3 "plain Basic": `Basic base64(client_id:client_key)`, usable on every Admin API call. */
export function podshopBasicHeader(input: FlowInput): string {
  return basicAuthorization(requireClientId(input, LABEL), requireSecret(input, LABEL, 'client key'), { formEncode: false });
}

/** docs/providers.md §3 "token": POST /ac/oauth/ext/token, the Basic header only — no body, no grant_type. */
async function issue(deps: FlowDeps, input: FlowInput): Promise<TokenSet> {
  const request = {
    url: endpoint(baseUrl(input.client), '/ac/oauth/ext/token'),
    headers: { authorization: podshopBasicHeader(input) },
    body: null,
  };
  return (await sendToken(deps, input, 'issue', request, null)).token();
}

/**
 * docs/providers.md §3 "refresh", in the form the client is set to: the table's (`refreshToken` in the
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

/**
 * The document disagrees with itself about the refresh (docs/providers.md §3): the form that worked
 * last for this client goes first (else the configured one), the other is tried once after an
 * answer that says "not like this", and the one that worked is remembered with the token.
 */
async function refresh(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<TokenSet> {
  const remembered = current.refreshForm;
  if (!current.refreshToken) return withForm(await issue(deps, input), remembered);
  const first = remembered ?? input.client.podRefreshForm ?? 'body';
  let form = first;
  let attempt = await sendToken(deps, input, 'refresh', podshopRefreshRequest(input, current.refreshToken, first), current);
  if (TRY_OTHER_FORM.has(attempt.res.status)) {
    form = first === 'body' ? 'query' : 'body';
    const other = await sendToken(deps, input, 'refresh', podshopRefreshRequest(input, current.refreshToken, form), current);
    // Where the other form fails too, the first answer is the one to report.
    if (TRY_OTHER_FORM.has(other.res.status)) form = first;
    else attempt = other;
  }
  try {
    return withForm(attempt.token(), form);
  } catch (error) {
    // A refresh token POD Shop no longer takes (401) is no dead end: the Basic exchange issues a
    // new pair without the user (docs/providers.md §3). Bad client credentials fail there too, clearly.
    if (error instanceof TokenDeskError && attempt.res.status === 401) return withForm(await issue(deps, input), remembered);
    throw error;
  }
}

function withForm(token: TokenSet, form: PodRefreshForm | undefined): TokenSet {
  return form ? { ...token, refreshForm: form } : token;
}

export const podshopPreset: Preset = {
  id: 'podshop',
  label: LABEL,
  grant: 'Basic credentials → Bearer token',
  environments: [{ id: 'dev', label: 'dev-api.pod.shop', baseUrl: PODSHOP_DOCUMENTED_BASE_URL }],
  fields: [
    { key: 'baseUrl', required: true, default: PODSHOP_DOCUMENTED_BASE_URL },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
    { key: 'podRefreshForm', required: false, default: 'body' },
  ],
  capabilities: () => ({ ...NO_CAPABILITIES, issue: true, refresh: true, basicHeader: true }),
  issueToken: issue,
  refreshToken: refresh,
};
