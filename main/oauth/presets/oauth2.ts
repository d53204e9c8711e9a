/**
 * The generic RFC 6749 client (docs/providers.md §5): authorization code with
 * state and PKCE, client credentials, password (legacy), refresh with rotation, RFC 7009
 * revocation; client auth Basic / body / none; parameters in the body or the query string;
 * extra parameters; custom response field names; a separate refresh URL.
 */
import { TokenDeskError } from '../../model/errors';
import type { ClientConfig, GenericSettings, TokenSet } from '../../model/types';
import { errorFromResponse } from '../provider-errors';
import { isLoopbackRedirect } from '../redirect';
import {
  basicAuthorization,
  codeChallengeS256,
  codeFromCallback,
  context,
  formBody,
  formHeaders,
  generateCodeVerifier,
  generateState,
  requireClientId,
  requireRedirectUri,
  requireRefreshToken,
  resolveUrl,
  send,
  tokenRequest,
  withQuery,
  type FlowDeps,
  type FlowInput,
  type SendInput,
} from '../requests';
import type { OAuthAction } from '../provider-errors';
import { usesStandards } from '../standards/context';
import { standardsIssue, standardsRefresh, standardsRevoke } from '../standards/tokens';
import { standardsBeginSignIn, standardsCompleteSignIn } from '../standards/authorize';
import { standardsUserInfo } from '../standards/introspect';
import { NO_CAPABILITIES, type Preset } from './preset';

const LABEL = 'The OAuth 2.0 server';

function settingsOf(client: ClientConfig): GenericSettings {
  if (!client.generic) {
    throw new TokenDeskError('bad_request', 'This OAuth 2.0 client has no settings: edit it and fill in the token URL.');
  }
  return client.generic;
}

function requireUrl(client: ClientConfig, value: string | null, name: string): string {
  if (!value || value.trim() === '') {
    throw new TokenDeskError('bad_request', `This OAuth 2.0 client has no ${name}: edit it and fill it in.`);
  }
  return resolveUrl(client.baseUrl, value.trim());
}

/**
 * A request to the token endpoint (or the revocation endpoint, RFC 7009 §2.1) with the client's
 * authentication (RFC 6749 §2.3.1: Basic, or client_id/client_secret parameters; `none`:
 * client_id only, §3.2.1) and its parameters in the form body (standard) or the query string.
 */
export function genericEndpointRequest(input: FlowInput, url: string, params: Readonly<Record<string, string>>): SendInput {
  const settings = settingsOf(input.client);
  const clientId = requireClientId(input, LABEL);
  const all: Record<string, string> = { ...params };
  const headers: Record<string, string> = {};
  const secret = input.secrets.clientSecret ?? '';
  if (settings.clientAuth === 'basic') {
    headers.authorization = basicAuthorization(clientId, secret, { formEncode: true });
  } else {
    all.client_id = clientId;
    if (settings.clientAuth === 'body' && secret !== '') all.client_secret = secret;
  }
  if (settings.paramsIn === 'query') {
    return { method: 'POST', url: withQuery(url, all), headers, body: null };
  }
  return { method: 'POST', url, headers: formHeaders(headers), body: formBody(all) };
}

/** Messages name the server by its host ("auth.example.com rejected …"). */
function serverLabel(url: string): string {
  try {
    return new URL(url).host || LABEL;
  } catch {
    return LABEL;
  }
}

/** Extra parameters never override the grant's own (grant_type, code, …). */
function withExtras(settings: GenericSettings, params: Record<string, string>): Record<string, string> {
  return { ...settings.extraParams, ...params };
}

function token(deps: FlowDeps, input: FlowInput, action: OAuthAction, url: string, params: Record<string, string>, previous: TokenSet | null) {
  const settings = settingsOf(input.client);
  return tokenRequest(deps, input, context(serverLabel(url), action), genericEndpointRequest(input, url, withExtras(settings, params)), {
    fields: settings.responseFields,
    previous,
  });
}

function scopeParam(client: ClientConfig): Record<string, string> {
  return client.scope && client.scope.trim() !== '' ? { scope: client.scope.trim() } : {};
}

/** RFC 6749 §4.4 client credentials, §4.3 password (legacy). */
function issue(deps: FlowDeps, input: FlowInput, action: 'issue' | 'refresh', previous: TokenSet | null): Promise<TokenSet> {
  const settings = settingsOf(input.client);
  if (usesStandards(settings)) return standardsIssue(deps, input, action, previous);
  const url = requireUrl(input.client, settings.tokenUrl, 'token URL');
  if (settings.grant === 'client_credentials') {
    return token(deps, input, action, url, { grant_type: 'client_credentials', ...scopeParam(input.client) }, previous);
  }
  if (settings.grant === 'password') {
    if (!settings.username || input.secrets.password === null) {
      return Promise.reject(new TokenDeskError('bad_request', 'The password grant needs a username and a password: edit the client and enter them.'));
    }
    return token(
      deps,
      input,
      action,
      url,
      { grant_type: 'password', username: settings.username, password: input.secrets.password, ...scopeParam(input.client) },
      previous,
    );
  }
  if (settings.grant === 'device_code') {
    return Promise.reject(new TokenDeskError('needs_signin', 'This client signs in with a device code (RFC 8628): start the device sign-in.'));
  }
  return Promise.reject(new TokenDeskError('unsupported', 'This client uses the authorization code grant: sign in instead.'));
}

/** PAR, nonce, `iss` and the id_token need oauth4webapi (main/oauth/standards/authorize.ts). */
function signsInByStandards(settings: GenericSettings): boolean {
  return usesStandards(settings) || settings.par === true;
}

/** What the discovered metadata (RFC 8414) announces. */
function announces(settings: GenericSettings, endpoint: string): boolean {
  const value = settings.metadata?.document?.[endpoint];
  return typeof value === 'string' && value !== '';
}

export const oauth2Preset: Preset = {
  id: 'oauth2',
  label: 'OAuth 2.0 (generic)',
  grant: 'Authorization code, client credentials, password, device, token exchange or JWT bearer',
  environments: [],
  fields: [
    { key: 'baseUrl', required: false, default: null },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: false, default: null },
    { key: 'redirectUri', required: false, default: 'http://127.0.0.1/callback' },
    { key: 'scope', required: false, default: null },
    { key: 'generic', required: true, default: null },
    { key: 'password', required: false, default: null },
  ],
  capabilities(client) {
    const settings = client.generic;
    if (!settings) return { ...NO_CAPABILITIES };
    const code = settings.grant === 'authorization_code';
    const device = settings.grant === 'device_code';
    return {
      ...NO_CAPABILITIES,
      issue: !code && !device,
      signIn: code && settings.authorizationUrl !== null && settings.authorizationUrl !== '',
      refresh: true,
      revoke: settings.revocationUrl !== null && settings.revocationUrl !== '',
      device: device && (Boolean(settings.deviceAuthorizationUrl) || announces(settings, 'device_authorization_endpoint')),
      introspect: announces(settings, 'introspection_endpoint'),
      userInfo: announces(settings, 'userinfo_endpoint'),
    };
  },

  issueToken: (deps, input) => issue(deps, input, 'issue', null),

  /** RFC 6749 §4.1.1 with `state` (§10.12) and, by default, PKCE S256 (RFC 7636 §4.3). */
  async beginSignIn(deps, input, opts) {
    const settings = settingsOf(input.client);
    if (signsInByStandards(settings)) return standardsBeginSignIn(deps, input, requireRedirectUri(input, LABEL, opts.redirectUri));
    const authorizationUrl = requireUrl(input.client, settings.authorizationUrl, 'authorization URL');
    const redirectUri = requireRedirectUri(input, LABEL, opts.redirectUri);
    const state = generateState();
    const codeVerifier = settings.pkce ? generateCodeVerifier() : null;
    const params: Record<string, string> = withExtras(settings, {
      response_type: 'code',
      client_id: requireClientId(input, LABEL),
      redirect_uri: redirectUri,
      ...scopeParam(input.client),
      state,
      ...(codeVerifier ? { code_challenge: codeChallengeS256(codeVerifier), code_challenge_method: 'S256' } : {}),
    });
    return {
      clientId: input.client.id,
      authorizeUrl: withQuery(authorizationUrl, params),
      redirectUri,
      state,
      codeVerifier,
      createdAt: deps.now(),
      loopback: isLoopbackRedirect(redirectUri),
    };
  },

  /** RFC 6749 §4.1.3 (+ RFC 7636 §4.5 code_verifier). */
  completeSignIn(deps, input, pending, callbackUrl) {
    const settings = settingsOf(input.client);
    if (signsInByStandards(settings)) return standardsCompleteSignIn(deps, input, pending, callbackUrl);
    const { code } = codeFromCallback(pending, callbackUrl, { provider: serverLabel(pending.authorizeUrl) });
    return token(
      deps,
      input,
      'exchange',
      requireUrl(input.client, settings.tokenUrl, 'token URL'),
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        ...(pending.codeVerifier ? { code_verifier: pending.codeVerifier } : {}),
      },
      null,
    );
  },

  /**
   * RFC 6749 §6 at the refresh URL (or the token URL); rotation handled by normalize. Without a
   * refresh token, client credentials and password re-issue (RFC 6749 §4.4.3: no refresh token).
   */
  refreshToken(deps, input, current) {
    const settings = settingsOf(input.client);
    if (!current.refreshToken && settings.grant !== 'authorization_code') return issue(deps, input, 'refresh', current);
    if (usesStandards(settings)) return standardsRefresh(deps, input, current, requireRefreshToken(current, LABEL));
    const url = requireUrl(input.client, settings.refreshUrl || settings.tokenUrl, 'token URL');
    return token(deps, input, 'refresh', url, { grant_type: 'refresh_token', refresh_token: requireRefreshToken(current, LABEL) }, current);
  },

  /** OpenID Connect Core §5.3, where the discovered metadata names a UserInfo endpoint. */
  fetchUserInfo: (deps, input, current) => standardsUserInfo(deps, input, current),

  /**
   * RFC 7009 §2.1: the refresh token when there is one (revoking it ends the grant, §2.1), then the
   * access token. §2.2: 200 means revoked, or already invalid.
   */
  async revokeToken(deps, input, current) {
    const settings = settingsOf(input.client);
    if (usesStandards(settings)) return standardsRevoke(deps, input, current);
    const url = requireUrl(input.client, settings.revocationUrl, 'revocation URL');
    const tokens: [string, string][] = current.refreshToken
      ? [[current.refreshToken, 'refresh_token'], [current.accessToken, 'access_token']]
      : [[current.accessToken, 'access_token']];
    for (const [value, hint] of tokens) {
      const res = await send(deps, input, genericEndpointRequest(input, url, { token: value, token_type_hint: hint }));
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, context(serverLabel(url), 'revoke'));
    }
  },
};
