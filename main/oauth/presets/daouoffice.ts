/**
 * Daou Office — docs/providers.md §2, seeds/001: client credentials (RFC 6749 §4.4) with Basic auth
 * and a form body. `expires_in` may be a string; errors are `{code, message, messageDetail}`
 * (both handled by normalize / provider-errors). No refresh token: refreshing re-issues.
 */
import {
  baseUrlOf,
  basicAuthorization,
  context,
  endpoint,
  formBody,
  formHeaders,
  requireClientId,
  requireSecret,
  tokenRequest,
  type FlowDeps,
  type FlowInput,
} from '../requests';
import { NO_CAPABILITIES, type Preset } from './preset';

const LABEL = 'Daou Office';
const DEFAULT_BASE_URL = 'https://api.daouoffice.com';

/** RFC 6749 §4.4.2 as Daou documents it: Basic base64(client_id:client_secret), grant_type in the body. */
function issue(deps: FlowDeps, input: FlowInput, action: 'issue' | 'refresh') {
  return tokenRequest(deps, input, context(LABEL, action), {
    method: 'POST',
    url: endpoint(baseUrlOf(input.client, DEFAULT_BASE_URL), '/public/auth/v1/oauth2/token'),
    headers: formHeaders({
      authorization: basicAuthorization(requireClientId(input, LABEL), requireSecret(input, LABEL), { formEncode: false }),
    }),
    body: formBody({ grant_type: 'client_credentials' }),
  });
}

export const daouofficePreset: Preset = {
  id: 'daouoffice',
  label: LABEL,
  grant: 'Client credentials',
  environments: [{ id: 'prod', label: 'api.daouoffice.com', baseUrl: DEFAULT_BASE_URL }],
  fields: [
    { key: 'baseUrl', required: true, default: DEFAULT_BASE_URL },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
  ],
  capabilities: () => ({ ...NO_CAPABILITIES, issue: true, refresh: true }),
  issueToken: (deps, input) => issue(deps, input, 'issue'),
  refreshToken: (deps, input) => issue(deps, input, 'refresh'),
};
