/**
 * POD Shop Admin API (docs/providers.md §3, seeds/002): Basic credentials exchanged for a Bearer token.
 * The token call has no body and no grant_type. The refresh exists in two documented forms — the
 * table's (`refreshToken` in the form body of /ac/oauth/ext/token/refresh) and the curl example's
 * (`?refreshToken=` on /ac/oauth/external/{id}/refresh) — and `config.podRefreshForms` decides
 * which ones this server accepts; a disabled form answers `config.podRefusedFormStatus`: 404 as a
 * server without that route would, 400 or 415 as one that wants the parameter elsewhere.
 * Every refresh rotates the refresh token. Authentication failures are HTTP 401.
 */
import type { PodRefreshForm } from '../model/types';
import { SANDBOX_API_PATHS, SANDBOX_CREDENTIALS } from './credentials';
import {
  bearerToken,
  formParams,
  json,
  NO_STORE,
  parseBasic,
  randomToken,
  sameSecret,
  type ProviderContext,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
} from './util';

interface RefreshRecord {
  expiresAt: number;
  rotated: boolean;
}

function podError(status: number, message: string, path: string): SandboxResponse {
  const error = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : status === 415 ? 'Unsupported Media Type' : 'Bad Request';
  return json(status, { status, error, message, path });
}

export function podshopRoutes(ctx: ProviderContext): Route[] {
  const creds = SANDBOX_CREDENTIALS.podshop;
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, RefreshRecord>();
  /** The access token issued with each refresh token. */
  const accessOf = new Map<string, string>();

  function hasValidBasic(req: SandboxRequest): boolean {
    const basic = parseBasic(req);
    return basic !== null && basic.id === creds.clientId && sameSecret(basic.secret, creds.clientSecret);
  }

  function issueTokens(): SandboxResponse {
    const now = ctx.now();
    const accessToken = randomToken(32);
    const refreshToken = randomToken(32);
    accessTokens.set(accessToken, now + ctx.lifetimes.podAccess * 1000);
    refreshTokens.set(refreshToken, { expiresAt: now + ctx.lifetimes.podRefresh * 1000, rotated: false });
    accessOf.set(refreshToken, accessToken);
    return json(
      200,
      {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: ctx.lifetimes.podAccess,
        refresh_token: refreshToken,
        refresh_expires_in: ctx.lifetimes.podRefresh,
      },
      NO_STORE,
    );
  }

  function refresh(req: SandboxRequest, form: PodRefreshForm, refreshToken: string | null): SandboxResponse {
    const path = req.url.pathname;
    if (!ctx.config.podRefreshForms.includes(form)) {
      const status = ctx.config.podRefusedFormStatus;
      const message = status === 404 ? 'No handler found' : status === 415 ? 'Content type not supported' : `Required parameter 'refreshToken' is not present`;
      return podError(status, message, path);
    }
    if (!hasValidBasic(req)) return podError(401, 'Full authentication is required to access this resource', path);
    if (!refreshToken) {
      const where = form === 'body' ? 'the form body' : 'the query string';
      return podError(400, `Required parameter 'refreshToken' is not present in ${where}`, path);
    }
    const record = refreshTokens.get(refreshToken);
    if (!record || record.rotated || record.expiresAt <= ctx.now()) {
      return podError(401, 'Invalid refresh token', path);
    }
    if (ctx.config.refreshNothingToDo) {
      // "Nothing to do": the same pair, with what is left of each lifetime (docs/providers.md §6).
      const accessToken = accessOf.get(refreshToken) ?? '';
      const left = (at: number | undefined): number => Math.max(0, Math.floor(((at ?? 0) - ctx.now()) / 1000));
      return json(
        200,
        { access_token: accessToken, token_type: 'bearer', expires_in: left(accessTokens.get(accessToken)), refresh_token: refreshToken, refresh_expires_in: left(record.expiresAt) },
        NO_STORE,
      );
    }
    record.rotated = true;
    return issueTokens();
  }

  return [
    {
      method: 'POST',
      pattern: '/ac/oauth/ext/token',
      key: 'pod.token',
      handle(req) {
        if (!hasValidBasic(req)) return podError(401, 'Full authentication is required to access this resource', req.url.pathname);
        if (req.body.trim() !== '' || req.url.search !== '') {
          return podError(400, 'This endpoint takes only the Basic Authorization header: no body, no grant_type', req.url.pathname);
        }
        return issueTokens();
      },
    },
    {
      method: 'POST',
      pattern: '/ac/oauth/ext/token/refresh',
      key: 'pod.refresh',
      handle: (req) => refresh(req, 'body', formParams(req).get('refreshToken')),
    },
    {
      method: 'POST',
      pattern: '/ac/oauth/external/:id/refresh',
      key: 'pod.refresh.query',
      handle(req) {
        if (ctx.config.podRefreshForms.includes('query') && req.params.id !== creds.clientId) {
          return podError(401, 'The client id in the path does not match the Basic credentials', req.url.pathname);
        }
        return refresh(req, 'query', req.url.searchParams.get('refreshToken'));
      },
    },
    {
      method: 'GET',
      pattern: SANDBOX_API_PATHS.podshop,
      key: 'pod.api',
      handle(req) {
        const path = req.url.pathname;
        const bearer = bearerToken(req);
        if (bearer !== null) {
          const expiresAt = accessTokens.get(bearer);
          if (expiresAt === undefined || expiresAt <= ctx.now()) return podError(401, 'Invalid or expired access token', path);
          return json(200, { clientId: creds.clientId, auth: 'bearer', shopName: 'TokenDesk Sandbox Shop' });
        }
        if (!hasValidBasic(req)) return podError(401, 'Full authentication is required to access this resource', path);
        return json(200, { clientId: creds.clientId, auth: 'basic', shopName: 'TokenDesk Sandbox Shop' });
      },
    },
  ];
}
