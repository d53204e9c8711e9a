/**
 * Asking the server about a token (RFC 7662 introspection) and about its user (OpenID Connect
 * UserInfo, Core §5.3), through oauth4webapi over the recorded client. Revocation is in tokens.ts.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { TokenSet } from '../../model/types';
import { errorFromResponse, jsonObjectBody } from '../provider-errors';
import { context } from '../requests';
import type { FlowDeps, FlowInput } from '../requests';
import { standardsContext, type StandardsContext } from './context';

/** RFC 7662 §2.2: `active` and whatever else the server tells. */
export type Introspection = { active: boolean } & Record<string, unknown>;

function requireEndpoint(ctx: StandardsContext, endpoint: string | undefined, what: string): void {
  if (!endpoint) throw new TokenDeskError('unsupported', `${ctx.label} has no ${what} endpoint: fill it in, or refresh the discovery.`);
}

function lastOrThrow(ctx: StandardsContext) {
  const res = ctx.fetcher.lastResponse();
  if (!res) throw new TokenDeskError('internal', 'The request was not sent.');
  return res;
}

/** RFC 7662 §2.1: the access token by default, the refresh token on request. */
export async function introspectToken(ctx: StandardsContext, current: TokenSet, which: 'access' | 'refresh' = 'access'): Promise<Introspection> {
  requireEndpoint(ctx, ctx.as.introspection_endpoint, 'introspection');
  const token = which === 'access' ? current.accessToken : current.refreshToken;
  if (!token) throw new TokenDeskError('not_found', 'There is no refresh token to introspect.');
  await oauth.introspectionRequest(ctx.as, ctx.client, ctx.clientAuth, token, {
    ...ctx.options,
    additionalParameters: { token_type_hint: which === 'access' ? 'access_token' : 'refresh_token' },
  });
  const res = lastOrThrow(ctx);
  const body = jsonObjectBody(res, context(ctx.label, 'introspect'));
  if (typeof body['active'] !== 'boolean') {
    throw new TokenDeskError('invalid_response', `${ctx.label} answered the introspection without a boolean "active" (RFC 7662 §2.2).`, {
      status: res.status,
      rawBody: res.body,
    });
  }
  return body as Introspection;
}

/** OpenID Connect Core §5.3: the claims about the signed-in user; `sub` must match the id_token's (§5.3.4). */
export async function fetchUserInfoClaims(ctx: StandardsContext, current: TokenSet): Promise<Record<string, unknown>> {
  requireEndpoint(ctx, ctx.as.userinfo_endpoint, 'UserInfo');
  const response = await oauth.userInfoRequest(ctx.as, ctx.client, current.accessToken, ctx.options);
  const idToken = (current.raw as { id_token?: unknown } | null)?.id_token;
  const sub = typeof idToken === 'string' ? (JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: string }).sub : undefined;
  try {
    return (await oauth.processUserInfoResponse(ctx.as, ctx.client, sub ?? oauth.skipSubjectCheck, response)) as Record<string, unknown>;
  } catch (error) {
    const res = lastOrThrow(ctx);
    if (res.status !== 200) throw errorFromResponse(res, context(ctx.label, 'userinfo'));
    throw new TokenDeskError('invalid_response', `${ctx.label} answered UserInfo for another user or with an unusable body (${(error as Error).message}).`, {
      status: res.status,
      rawBody: res.body,
    });
  }
}

/** For the desk: RFC 7662 about the client's current token. */
export async function standardsIntrospect(deps: FlowDeps, input: FlowInput, current: TokenSet, which: 'access' | 'refresh' = 'access'): Promise<Introspection> {
  return introspectToken(await standardsContext(deps, input), current, which);
}

/** For the desk: OpenID Connect UserInfo with the client's current token. */
export async function standardsUserInfo(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<Record<string, unknown>> {
  return fetchUserInfoClaims(await standardsContext(deps, input), current);
}
