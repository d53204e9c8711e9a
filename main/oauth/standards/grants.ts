/**
 * The generic client's extension grants through oauth4webapi's generic token endpoint request:
 * RFC 8693 token exchange, with the subject (and actor) tokens the desk took from other clients,
 * and RFC 7523 §2.1 JWT bearer, with an assertion signed (jose) by the client's own private key.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { TokenSet } from '../../model/types';
import type { FlowDeps, FlowInput } from '../requests';
import { standardsContext, tokenEndpoint, type StandardsContext } from './context';
import { signingKey } from './keys';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 8693 §3: the type of an access token given as subject or actor token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** RFC 7523 §3: a short-lived assertion; the server may refuse one that lives long. */
const ASSERTION_LIFETIME_S = 300;

/** Extra parameters never override the grant's own. */
function withExtras(input: FlowInput, params: Record<string, string>): Record<string, string> {
  return { ...(input.client.generic?.extraParams ?? {}), ...params };
}

function scopeParams(input: FlowInput): Record<string, string> {
  const scope = input.client.scope?.trim();
  return scope ? { scope } : {};
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function generic(ctx: StandardsContext, input: FlowInput, grantType: string, params: Record<string, string>) {
  return () => oauth.genericTokenEndpointRequest(ctx.as, ctx.client, ctx.clientAuth, grantType, withExtras(input, params), ctx.options);
}

/**
 * RFC 8693 §2.1: subject_token (+ actor_token), audience, resource, scope, requested_token_type.
 * §2.2.1: a token that is not an access token comes with token_type `N_A`, which is accepted.
 */
export async function standardsTokenExchange(deps: FlowDeps, input: FlowInput, previous: TokenSet | null): Promise<TokenSet> {
  const exchange = input.client.generic?.tokenExchange;
  const tokens = input.grantTokens;
  if (!exchange || !tokens) {
    throw new TokenDeskError('bad_request', 'Token exchange needs a subject client whose token is exchanged: edit the client and choose one.');
  }
  const ctx = await standardsContext(deps, input);
  const params: Record<string, string> = {
    subject_token: tokens.subject.token,
    subject_token_type: tokens.subject.type,
    ...(tokens.actor ? { actor_token: tokens.actor.token, actor_token_type: tokens.actor.type } : {}),
    ...(present(exchange.audience) ? { audience: exchange.audience.trim() } : {}),
    ...(present(exchange.resource) ? { resource: exchange.resource.trim() } : {}),
    ...(present(exchange.requestedTokenType) ? { requested_token_type: exchange.requestedTokenType.trim() } : {}),
    ...scopeParams(input),
  };
  return tokenEndpoint(deps, ctx, 'token_exchange', previous, generic(ctx, input, TOKEN_EXCHANGE_GRANT, params), (response) =>
    oauth.processGenericTokenEndpointResponse(ctx.as, ctx.client, response, { recognizedTokenTypes: { n_a: () => undefined } }),
  );
}

/**
 * RFC 7523 §3: iss the client, sub the configured subject (the client itself by default), aud the
 * token endpoint (§3 point 3 allows it, and every server accepts it), exp, iat and a unique jti.
 */
export async function jwtBearerAssertion(ctx: StandardsContext, input: FlowInput, now: number): Promise<string> {
  if (!input.secrets.privateKey) {
    throw new TokenDeskError('bad_request', 'The JWT bearer grant signs its assertion with the client\'s private key: edit the client and generate or import one.');
  }
  const { key, kid, alg } = await signingKey(input.secrets.privateKey);
  const subject = input.client.generic?.assertionSubject;
  const iat = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(input.client.clientId)
    .setSubject(present(subject) ? subject.trim() : input.client.clientId)
    .setAudience(ctx.as.token_endpoint ?? ctx.as.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(key);
}

/** RFC 7523 §2.1: grant_type jwt-bearer with the assertion; the client authenticates as configured. */
export async function standardsJwtBearer(deps: FlowDeps, input: FlowInput, previous: TokenSet | null): Promise<TokenSet> {
  const ctx = await standardsContext(deps, input);
  const assertion = await jwtBearerAssertion(ctx, input, deps.now());
  return tokenEndpoint(deps, ctx, 'jwt_bearer', previous, generic(ctx, input, JWT_BEARER_GRANT, { assertion, ...scopeParams(input) }), (response) =>
    oauth.processGenericTokenEndpointResponse(ctx.as, ctx.client, response),
  );
}
