/**
 * A generic, strict RFC 6749 authorization server for the generic client: authorization code with
 * state and PKCE S256 (RFC 7636), client credentials, password, refresh with rotation, revocation
 * (RFC 7009) and a userinfo endpoint (RFC 6750 errors). Client authentication by Basic
 * (client_secret_basic), by body (client_secret_post) or none for the registered public client.
 * The device grant (RFC 8628) lives in generic-device.ts, token exchange and JWT bearer in generic-grants.ts. Two quirky token endpoints exercise the generic client's knobs: one reads its parameters from the
 * query string only, one answers with custom field names (SANDBOX_CUSTOM_FIELDS).
 */
import { createHash } from 'node:crypto';
import { SANDBOX_CREDENTIALS, SANDBOX_CUSTOM_FIELDS, SANDBOX_OAUTH2_PATHS } from './credentials';
import { DEVICE_GRANT_TYPE, deviceGrant } from './generic-device';
import { dpopChecker, genericMetadata } from './generic-dpop';
import { extensionGrants, JWT_BEARER_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from './generic-grants';
import {
  bearerToken,
  epochSeconds,
  escapeHtml,
  formParams,
  hiddenInputs,
  htmlPage,
  isForm,
  json,
  NO_STORE,
  parseBasic,
  randomToken,
  redirect,
  sameSecret,
  SIGN_IN_FIELDS,
  withQuery,
  type BasicCredentials,
  type ProviderContext,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
} from './util';

interface RegisteredClient {
  id: string;
  /** null: a public client (token endpoint auth method "none"). */
  secret: string | null;
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | null;
  codeChallenge: string | null;
  expiresAt: number;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  subject: string;
  expiresAt: number;
  used: boolean;
  grantId: string;
}

interface TokenRecord {
  clientId: string;
  subject: string;
  scope: string;
  expiresAt: number;
  revoked: boolean;
  /** Every token issued from one authorization (code, password, client credentials) shares this. */
  grantId: string;
  /** RFC 9449: the thumbprint of the DPoP key the token is bound to. */
  jkt?: string;
}

type TokenVariant = 'standard' | 'query' | 'custom_fields';

const PAGE_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, { error, error_description: description }, { ...NO_STORE, ...headers });
}

/** RFC 6749 §3.1.2.3 exact match, except that a loopback URI matches on any port (RFC 8252 §7.3). */
export function redirectUriMatches(given: string, registered: readonly string[]): boolean {
  if (registered.includes(given)) return true;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return false;
  }
  return registered.some((entry) => {
    const reg = new URL(entry);
    return (
      reg.protocol === 'http:' &&
      LOOPBACK_HOSTS.has(reg.hostname) &&
      url.protocol === 'http:' &&
      url.hostname === reg.hostname &&
      url.pathname === reg.pathname &&
      url.search === reg.search
    );
  });
}

/** RFC 6749 §2.3.1: the client id and secret are form-urlencoded before the Basic encoding. */
function formDecoded(basic: BasicCredentials | null): BasicCredentials | null {
  if (!basic) return null;
  try {
    const decode = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
    return { id: decode(basic.id), secret: decode(basic.secret) };
  } catch {
    return basic;
  }
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function genericRoutes(ctx: ProviderContext): Route[] {
  const creds = SANDBOX_CREDENTIALS.oauth2;
  const clients = new Map<string, RegisteredClient>([
    [creds.clientId, { id: creds.clientId, secret: creds.clientSecret }],
    [creds.publicClientId, { id: creds.publicClientId, secret: null }],
  ]);
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, TokenRecord & { rotated: boolean }>();
  const dpop = dpopChecker(ctx);

  /** RFC 6749 §2.3: exactly one authentication method per request. */
  function authenticateClient(req: SandboxRequest, params: URLSearchParams): RegisteredClient | SandboxResponse {
    const basic = formDecoded(parseBasic(req));
    const bodyId = params.get('client_id');
    const bodySecret = params.get('client_secret');
    const invalidClient = (description: string): SandboxResponse =>
      oauthError(401, 'invalid_client', description, basic ? { 'www-authenticate': 'Basic realm="sandbox"' } : {});

    if (basic) {
      if (bodySecret !== null) {
        return oauthError(400, 'invalid_request', 'The client used more than one authentication method (Basic header and client_secret)');
      }
      if (bodyId !== null && bodyId !== basic.id) {
        return oauthError(400, 'invalid_request', 'client_id differs from the client in the Basic header');
      }
      const client = clients.get(basic.id);
      if (!client || client.secret === null || !sameSecret(basic.secret, client.secret)) {
        return invalidClient('Client authentication failed');
      }
      return client;
    }
    if (bodyId === null) return invalidClient('Client authentication is required');
    const client = clients.get(bodyId);
    if (!client) return invalidClient('Client authentication failed: unknown client');
    if (client.secret === null) {
      if (bodySecret !== null) return invalidClient('Client authentication failed: a public client has no secret');
      return client;
    }
    if (bodySecret === null) return invalidClient('Client authentication failed: this client is confidential and must authenticate');
    if (!sameSecret(bodySecret, client.secret)) return invalidClient('Client authentication failed');
    return client;
  }

  function issue(variant: TokenVariant, client: RegisteredClient, subject: string, scope: string, grantId: string, withRefresh: boolean, jkt?: string): SandboxResponse {
    const now = ctx.now();
    const iat = epochSeconds(now);
    const accessLifetime = ctx.lifetimes.oauth2Access;
    const refreshLifetime = ctx.lifetimes.oauth2Refresh;
    const accessToken = ctx.signer.sign({
      iss: ctx.baseUrl(),
      sub: subject,
      client_id: client.id,
      scope,
      iat,
      exp: iat + accessLifetime,
      jti: randomToken(9),
      ...(jkt ? { cnf: { jkt } } : {}),
    });
    const tokenType = jkt ? 'DPoP' : 'Bearer';
    accessTokens.set(accessToken, { clientId: client.id, subject, scope, expiresAt: now + accessLifetime * 1000, revoked: false, grantId, jkt });
    let refreshToken: string | undefined;
    if (withRefresh) {
      refreshToken = randomToken(32);
      refreshTokens.set(refreshToken, {
        clientId: client.id,
        subject,
        scope,
        expiresAt: now + refreshLifetime * 1000,
        revoked: false,
        rotated: false,
        grantId,
        jkt,
      });
    }
    if (variant === 'custom_fields') {
      const f = SANDBOX_CUSTOM_FIELDS;
      const body: Record<string, unknown> = { [f.accessToken]: accessToken, [f.tokenType]: tokenType, [f.expiresIn]: accessLifetime, [f.scope]: scope };
      if (refreshToken) Object.assign(body, { [f.refreshToken]: refreshToken, [f.refreshExpiresIn]: refreshLifetime });
      return json(200, body, NO_STORE);
    }
    const body: Record<string, unknown> = { access_token: accessToken, token_type: tokenType, expires_in: accessLifetime, scope };
    // RFC 6749 §4.4.3: no refresh token for client credentials.
    if (refreshToken) body.refresh_token = refreshToken;
    return json(200, body, NO_STORE);
  }

  function revokeGrant(grantId: string): void {
    for (const record of accessTokens.values()) if (record.grantId === grantId) record.revoked = true;
    for (const record of refreshTokens.values()) if (record.grantId === grantId) record.revoked = true;
  }

  function codeGrant(variant: TokenVariant, client: RegisteredClient, params: URLSearchParams, jkt?: string): SandboxResponse {
    const code = params.get('code');
    if (!code) return oauthError(400, 'invalid_request', 'Missing code');
    const issued = codes.get(code);
    if (!issued || issued.expiresAt <= ctx.now() || issued.clientId !== client.id) {
      return oauthError(400, 'invalid_grant', 'Invalid authorization code');
    }
    if (issued.used) {
      // RFC 6749 §4.1.2: a reused code revokes the tokens already issued from it.
      revokeGrant(issued.grantId);
      return oauthError(400, 'invalid_grant', 'Authorization code has already been used');
    }
    issued.used = true;
    if (params.get('redirect_uri') !== issued.redirectUri) {
      return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    }
    const verifier = params.get('code_verifier');
    if (issued.codeChallenge !== null) {
      if (!verifier) return oauthError(400, 'invalid_grant', 'code_verifier is required: the authorization request sent a code_challenge');
      if (s256(verifier) !== issued.codeChallenge) return oauthError(400, 'invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge');
    } else if (verifier !== null) {
      return oauthError(400, 'invalid_grant', 'code_verifier sent, but the authorization request had no code_challenge');
    }
    return issue(variant, client, issued.subject, issued.scope, issued.grantId, true, jkt);
  }

  function refreshGrant(variant: TokenVariant, client: RegisteredClient, params: URLSearchParams, jkt?: string): SandboxResponse {
    const token = params.get('refresh_token');
    if (!token) return oauthError(400, 'invalid_request', 'Missing refresh_token');
    const record = refreshTokens.get(token);
    if (!record || record.revoked || record.clientId !== client.id) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
    if (record.rotated) return oauthError(400, 'invalid_grant', 'Refresh token was already used and replaced by a newer one');
    if (record.expiresAt <= ctx.now()) return oauthError(400, 'invalid_grant', 'Refresh token expired');
    // RFC 9449 §5: a public client's refresh token is bound to its DPoP key.
    if (record.jkt && client.secret === null && record.jkt !== jkt) return oauthError(400, 'invalid_grant', 'The refresh token is bound to another DPoP key');
    record.rotated = true;
    return issue(variant, client, record.subject, record.scope, record.grantId, true, jkt);
  }

  const device = deviceGrant(ctx, {
    authenticate: authenticateClient,
    issue: (clientId, subject, scope) => issue('standard', clients.get(clientId)!, subject, scope, randomToken(9), true),
  });
  const extension = extensionGrants(ctx, {
    subjectOf: (token) => {
      const record = accessTokens.get(token);
      return record && !record.revoked && record.expiresAt > ctx.now() ? record : null;
    },
    issue: (clientId, subject, scope) => issue('standard', clients.get(clientId)!, subject, scope, randomToken(9), false),
  });

  function tokenEndpoint(variant: TokenVariant): (req: SandboxRequest) => SandboxResponse {
    return (req) => {
      let params: URLSearchParams;
      if (variant === 'query') {
        if (req.body.trim() !== '') return oauthError(400, 'invalid_request', 'This token endpoint reads its parameters from the query string only; send no body');
        params = req.url.searchParams;
      } else {
        // RFC 6749 §4.1.3: parameters in an application/x-www-form-urlencoded body.
        if (!isForm(req)) return oauthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded');
        if (req.url.searchParams.has('grant_type')) return oauthError(400, 'invalid_request', 'Token parameters belong in the form body, not the query string');
        params = formParams(req);
      }
      const client = authenticateClient(req, params);
      if (!('id' in client)) return client;
      const proof = dpop.check(req, 'POST', `${ctx.baseUrl()}${req.url.pathname}`, { requireNonce: true });
      if (proof && 'error' in proof) return proof.error;
      const jkt = proof?.jkt;

      const grantType = params.get('grant_type');
      switch (grantType) {
        case 'authorization_code':
          return codeGrant(variant, client, params, jkt);
        case 'refresh_token':
          return refreshGrant(variant, client, params, jkt);
        case 'client_credentials':
          if (client.secret === null) return oauthError(400, 'unauthorized_client', 'A public client cannot use the client_credentials grant');
          return issue(variant, client, client.id, params.get('scope') ?? creds.scope, randomToken(9), false, jkt);
        case 'password': {
          const password = params.get('password') ?? '';
          if (params.get('username') !== creds.username || !sameSecret(password, creds.password)) {
            return oauthError(400, 'invalid_grant', 'Invalid resource owner credentials');
          }
          return issue(variant, client, creds.username, params.get('scope') ?? creds.scope, randomToken(9), true, jkt);
        }
        case DEVICE_GRANT_TYPE:
          return device.grant(client.id, params);
        case TOKEN_EXCHANGE_GRANT_TYPE:
          return extension.tokenExchange(client.id, params);
        case JWT_BEARER_GRANT_TYPE:
          return extension.jwtBearer(client.id, params);
        case null:
          return oauthError(400, 'invalid_request', 'Missing grant_type');
        default:
          return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
      }
    };
  }

  function authorizePage(status: number, requestId: string, clientId: string, scope: string, error: string | null): SandboxResponse {
    const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
    return htmlPage(
      status,
      'Sandbox OAuth 2.0 — sign in',
      `${alert}<p><strong>${escapeHtml(clientId)}</strong> asks for: <code>${escapeHtml(scope)}</code></p>
<form method="post" action="${SANDBOX_OAUTH2_PATHS.authorize}">
${hiddenInputs({ request_id: requestId })}
${SIGN_IN_FIELDS}
</form>`,
    );
  }

  function authorize(req: SandboxRequest): SandboxResponse {
    const query = req.url.searchParams;
    const clientId = query.get('client_id') ?? '';
    const client = clients.get(clientId);
    const redirectUri = query.get('redirect_uri');
    const errorPage = (message: string): SandboxResponse =>
      htmlPage(400, 'Sandbox OAuth 2.0 — error', `<p class="error" role="alert">${escapeHtml(message)}</p>`);
    // RFC 6749 §4.1.2.1: a bad client or redirect URI is shown, never redirected to.
    if (!client) return errorPage('Unknown client_id.');
    if (!redirectUri || !redirectUriMatches(redirectUri, ctx.config.oauth2RedirectUris)) {
      return errorPage('redirect_uri is missing or not registered for this client.');
    }
    const state = query.get('state');
    const fail = (error: string, description: string): SandboxResponse => {
      const params: Record<string, string> = { error, error_description: description };
      if (state !== null) params.state = state;
      return redirect(withQuery(redirectUri, params));
    };
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    const challenge = query.get('code_challenge');
    if (challenge !== null && query.get('code_challenge_method') !== 'S256') {
      return fail('invalid_request', 'Only code_challenge_method=S256 is supported');
    }
    if (challenge === null && client.secret === null) return fail('invalid_request', 'PKCE (code_challenge) is required for public clients');
    const requestId = randomToken(12);
    const scope = query.get('scope') ?? creds.scope;
    pending.set(requestId, { clientId, redirectUri, scope, state, codeChallenge: challenge, expiresAt: ctx.now() + PAGE_MS });
    return authorizePage(200, requestId, clientId, scope, null);
  }

  function decide(req: SandboxRequest): SandboxResponse {
    const form = formParams(req);
    const requestId = form.get('request_id') ?? '';
    const request = pending.get(requestId);
    if (!request || request.expiresAt <= ctx.now()) {
      return htmlPage(400, 'Sandbox OAuth 2.0 — error', '<p class="error" role="alert">This sign-in request expired. Start again.</p>');
    }
    const stateParam: Record<string, string> = request.state === null ? {} : { state: request.state };
    if (form.get('decision') !== 'allow') {
      pending.delete(requestId);
      return redirect(withQuery(request.redirectUri, { error: 'access_denied', error_description: 'The resource owner denied the request', ...stateParam }));
    }
    if (form.get('username') !== creds.username || !sameSecret(form.get('password') ?? '', creds.password)) {
      return authorizePage(401, requestId, request.clientId, request.scope, 'Wrong username or password.');
    }
    pending.delete(requestId);
    const code = randomToken(16);
    codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      codeChallenge: request.codeChallenge,
      subject: creds.username,
      expiresAt: ctx.now() + ctx.lifetimes.authorizationCode * 1000,
      used: false,
      grantId: randomToken(9),
    });
    return redirect(withQuery(request.redirectUri, { code, ...stateParam }));
  }

  /** RFC 7009 §2: answers 200 for unknown tokens too; a refresh token takes its access tokens along. */
  function revoke(req: SandboxRequest): SandboxResponse {
    if (!isForm(req)) return oauthError(400, 'invalid_request', 'The revocation request must be application/x-www-form-urlencoded');
    const params = formParams(req);
    const client = authenticateClient(req, params);
    if (!('id' in client)) return client;
    const token = params.get('token');
    if (!token) return oauthError(400, 'invalid_request', 'Missing token');
    const record = refreshTokens.get(token) ?? accessTokens.get(token);
    if (record && record.clientId === client.id) {
      record.revoked = true;
      if (refreshTokens.has(token)) revokeGrant(record.grantId);
    }
    return { status: 200, headers: { ...NO_STORE }, body: '' };
  }

  /** RFC 6750 §3: Bearer errors in WWW-Authenticate. */
  function userinfo(req: SandboxRequest): SandboxResponse {
    const dpopScheme = /^DPoP\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const token = dpopScheme ? dpopScheme[1]! : bearerToken(req);
    if (token === null) return json(401, { error: 'invalid_request', error_description: 'Missing Bearer token' }, { 'www-authenticate': 'Bearer realm="sandbox"' });
    const record = accessTokens.get(token);
    const problem = !record || record.revoked ? 'The access token is invalid or revoked' : record.expiresAt <= ctx.now() ? 'The access token expired' : null;
    if (problem !== null || !record) {
      return json(
        401,
        { error: 'invalid_token', error_description: problem },
        { 'www-authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${problem}"` },
      );
    }
    const unbound = record.jkt ? dpop.checkResource(req, dpopScheme ? 'DPoP' : 'Bearer', token, record.jkt) : null;
    if (unbound) return unbound;
    const isUser = record.subject === creds.username;
    return json(200, {
      sub: record.subject,
      client_id: record.clientId,
      scope: record.scope,
      ...(isUser ? { name: 'Sandbox User', email: 'sandbox-user@tokendesk.dev', preferred_username: creds.username } : {}),
    });
  }

  const paths = SANDBOX_OAUTH2_PATHS;
  return [
    { method: 'GET', pattern: paths.metadata, key: 'oauth2.metadata', handle: () => genericMetadata(ctx) },
    { method: 'GET', pattern: paths.authorize, key: 'oauth2.authorize', handle: authorize },
    { method: 'POST', pattern: paths.authorize, key: 'oauth2.login', handle: decide },
    { method: 'POST', pattern: paths.token, key: 'oauth2.token', handle: tokenEndpoint('standard') },
    { method: 'POST', pattern: paths.queryToken, key: 'oauth2.quirky.query.token', handle: tokenEndpoint('query') },
    { method: 'POST', pattern: paths.customFieldsToken, key: 'oauth2.quirky.fields.token', handle: tokenEndpoint('custom_fields') },
    { method: 'POST', pattern: paths.revoke, key: 'oauth2.revoke', handle: revoke },
    { method: 'GET', pattern: paths.userinfo, key: 'oauth2.userinfo', handle: userinfo },
    { method: 'POST', pattern: paths.userinfo, key: 'oauth2.userinfo', handle: userinfo },
    ...device.routes,
  ];
}
