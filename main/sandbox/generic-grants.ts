/**
 * The generic server's extension grants, strict where clients go wrong: RFC 8693 token exchange
 * (the subject and actor tokens must be this server's valid access tokens, typed as access
 * tokens; `issued_token_type` in the answer, no refresh token) and RFC 7523 §2.1 JWT bearer (an
 * ES256 assertion signed with the key SANDBOX_CREDENTIALS.oauth2.assertionKey, `iss` the client,
 * `aud` the token endpoint or the issuer, at most 10 minutes of life, a `jti` never seen before).
 */
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS } from './credentials';
import { json, NO_STORE, type ProviderContext, type SandboxResponse } from './util';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MAX_ASSERTION_LIFE_S = 600;

export interface ExchangeHooks {
  /** The subject of one of the server's access tokens, null when it is unknown, revoked or expired. */
  subjectOf(accessToken: string): { subject: string; scope: string } | null;
  /** The token response (no refresh token: RFC 8693 §2.2.1 leaves it optional, we never give one). */
  issue(clientId: string, subject: string, scope: string): SandboxResponse;
}

function oauthError(error: string, description: string): SandboxResponse {
  return json(400, { error, error_description: description }, { ...NO_STORE });
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signedByAssertionKey(signingInput: string, signature: string): boolean {
  const { x, y, crv, kty } = SANDBOX_CREDENTIALS.oauth2.assertionKey;
  try {
    const key = createPublicKey({ key: { kty, crv, x, y } as JsonWebKey, format: 'jwk' });
    return verify('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function extensionGrants(ctx: ProviderContext, hooks: ExchangeHooks) {
  const seenJti = new Map<string, number>();

  /** RFC 8693 §2.1-§2.2. */
  function tokenExchange(clientId: string, params: URLSearchParams): SandboxResponse {
    const subjectToken = params.get('subject_token');
    if (!subjectToken) return oauthError('invalid_request', 'Missing subject_token');
    if (params.get('subject_token_type') !== ACCESS_TOKEN_TYPE) return oauthError('invalid_request', `subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    const subject = hooks.subjectOf(subjectToken);
    if (!subject) return oauthError('invalid_grant', 'subject_token is invalid, revoked or expired');
    const actorToken = params.get('actor_token');
    if (actorToken !== null) {
      if (params.get('actor_token_type') !== ACCESS_TOKEN_TYPE) return oauthError('invalid_request', `actor_token_type must be ${ACCESS_TOKEN_TYPE}`);
      if (!hooks.subjectOf(actorToken)) return oauthError('invalid_grant', 'actor_token is invalid, revoked or expired');
    } else if (params.has('actor_token_type')) {
      return oauthError('invalid_request', 'actor_token_type without actor_token');
    }
    const requested = params.get('requested_token_type');
    if (requested !== null && requested !== ACCESS_TOKEN_TYPE) return oauthError('invalid_request', 'This server issues access tokens only');
    const answer = hooks.issue(clientId, subject.subject, params.get('scope') ?? subject.scope);
    if (answer.status !== 200) return answer;
    return { ...answer, body: JSON.stringify({ ...(JSON.parse(answer.body ?? '{}') as Record<string, unknown>), issued_token_type: ACCESS_TOKEN_TYPE }) };
  }

  /** RFC 7523 §2.1, §3. */
  function jwtBearer(clientId: string, params: URLSearchParams): SandboxResponse {
    const assertion = params.get('assertion');
    if (!assertion) return oauthError('invalid_request', 'Missing assertion');
    const [head, body, signature] = assertion.split('.');
    const header = decodePart(head);
    const claims = decodePart(body);
    if (!header || !claims || head === undefined || body === undefined || signature === undefined) return oauthError('invalid_grant', 'The assertion is not a JWT');
    if (header['alg'] !== 'ES256' || !signedByAssertionKey(`${head}.${body}`, signature)) {
      return oauthError('invalid_grant', 'The assertion is not signed with the key registered for this client');
    }
    if (clientId !== SANDBOX_CREDENTIALS.oauth2.clientId || claims['iss'] !== clientId) return oauthError('invalid_grant', 'The assertion\'s iss must be the client');
    const base = ctx.baseUrl();
    const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (!audiences.some((aud) => aud === `${base}${SANDBOX_OAUTH2_PATHS.token}` || aud === `${base}${SANDBOX_OAUTH2_PATHS.issuer}`)) {
      return oauthError('invalid_grant', 'The assertion\'s aud must be this token endpoint or issuer');
    }
    const now = Math.floor(ctx.now() / 1000);
    const { exp, iat, jti, sub } = claims;
    if (typeof sub !== 'string' || sub === '') return oauthError('invalid_grant', 'The assertion has no sub');
    if (typeof exp !== 'number' || exp <= now) return oauthError('invalid_grant', 'The assertion expired');
    if (typeof iat !== 'number' || exp - iat > MAX_ASSERTION_LIFE_S) return oauthError('invalid_grant', 'The assertion must live 10 minutes at most');
    if (typeof jti !== 'string' || jti === '') return oauthError('invalid_grant', 'The assertion has no jti');
    for (const [seen, until] of seenJti) if (until < now) seenJti.delete(seen);
    if (seenJti.has(jti)) return oauthError('invalid_grant', 'The assertion was already used (jti replay)');
    seenJti.set(jti, exp);
    return hooks.issue(clientId, sub, params.get('scope') ?? SANDBOX_CREDENTIALS.oauth2.scope);
  }

  return { tokenExchange, jwtBearer };
}
