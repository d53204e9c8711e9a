/**
 * Hejhome (goqual.io) — docs/providers.md §1, seeds/000: authorization code with Basic client auth.
 */
import type { TokenSet } from '../../model/types';
import {
  baseUrlOf,
  basicAuthorization,
  codeFromCallback,
  context,
  endpoint,
  formBody,
  formHeaders,
  generateState,
  requireClientId,
  requireRedirectUri,
  requireRefreshToken,
  requireSecret,
  tokenRequest,
  type FlowInput,
} from '../requests';
import { isLoopbackRedirect } from '../redirect';
import { NO_CAPABILITIES, type Preset } from './preset';

const LABEL = 'Hejhome';
const DEFAULT_BASE_URL = 'https://goqual.io';
/** The refresh token lives 360 days and the response does not say so (docs/providers.md §1). */
export const HEJHOME_REFRESH_LIFETIME_SECONDS = 360 * 86_400;

/** docs/providers.md §1: the doc's Basic is plain base64(client_id:client_secret). */
function authorization(input: FlowInput): string {
  return basicAuthorization(requireClientId(input, LABEL), requireSecret(input, LABEL), { formEncode: false });
}

/**
 * docs/providers.md §1 "authorize": `scope` is the fixed `openapi`, and the redirect_uri goes in
 * WITHOUT URL-encoding ("인코딩 없이 보내주셔야 합니다"), compared as text with the registered one.
 * It comes last so that the raw text runs to the end of the address.
 */
export function hejhomeAuthorizeUrl(baseUrl: string, clientId: string, redirectUri: string, state: string): string {
  const encoded = formBody({ response_type: 'code', client_id: clientId, scope: 'openapi', state });
  return `${endpoint(baseUrl, '/login/openapi')}?${encoded}&redirect_uri=${redirectUri}`;
}

/** docs/providers.md §1 "token": grant_type, code and redirect_uri in the QUERY STRING, no body. */
export function hejhomeTokenUrl(baseUrl: string, code: string, redirectUri: string): string {
  const encoded = formBody({ grant_type: 'authorization_code', code });
  return `${endpoint(baseUrl, '/oauth/token')}?${encoded}&redirect_uri=${redirectUri}`;
}

export const hejhomePreset: Preset = {
  id: 'hejhome',
  label: LABEL,
  grant: 'Authorization code',
  environments: [{ id: 'prod', label: 'goqual.io', baseUrl: DEFAULT_BASE_URL }],
  fields: [
    { key: 'baseUrl', required: true, default: DEFAULT_BASE_URL },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
    { key: 'redirectUri', required: true, default: null },
  ],
  capabilities: () => ({ ...NO_CAPABILITIES, signIn: true, refresh: true }),

  async beginSignIn(deps, input, opts) {
    const redirectUri = requireRedirectUri(input, LABEL, opts.redirectUri);
    const state = generateState();
    return {
      clientId: input.client.id,
      authorizeUrl: hejhomeAuthorizeUrl(
        baseUrlOf(input.client, DEFAULT_BASE_URL),
        requireClientId(input, LABEL),
        redirectUri,
        state,
      ),
      redirectUri,
      state,
      codeVerifier: null,
      createdAt: deps.now(),
      loopback: isLoopbackRedirect(redirectUri),
    };
  },

  completeSignIn(deps, input, pending, callbackUrl) {
    // The doc has no `state`: Hejhome may drop it; a different one is still rejected.
    const { code } = codeFromCallback(pending, callbackUrl, { provider: LABEL, stateOptional: true });
    return tokenRequest(
      deps,
      input,
      context(LABEL, 'exchange'),
      {
        method: 'POST',
        url: hejhomeTokenUrl(baseUrlOf(input.client, DEFAULT_BASE_URL), code, pending.redirectUri),
        headers: { authorization: authorization(input) },
      },
      { refreshLifetimeSeconds: HEJHOME_REFRESH_LIFETIME_SECONDS },
    );
  },

  /** docs/providers.md §1 "refresh": Basic, form BODY; the answer rotates the refresh token. */
  refreshToken(deps, input, current: TokenSet) {
    return tokenRequest(
      deps,
      input,
      context(LABEL, 'refresh'),
      {
        method: 'POST',
        url: endpoint(baseUrlOf(input.client, DEFAULT_BASE_URL), '/oauth/token'),
        headers: formHeaders({ authorization: authorization(input) }),
        body: formBody({ grant_type: 'refresh_token', refresh_token: requireRefreshToken(current, LABEL) }),
      },
      { previous: current, refreshLifetimeSeconds: HEJHOME_REFRESH_LIFETIME_SECONDS },
    );
  },
};
