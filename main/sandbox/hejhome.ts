/**
 * Hejhome (docs/providers.md §1, seeds/000): authorization code through an ID/PW login page.
 * Quirks kept on purpose: the authorize redirect_uri is compared as raw unencoded text, the code
 * exchange takes its parameters in the QUERY STRING only, the refresh takes them in the FORM BODY
 * only, and every refresh rotates the refresh token (unless told to hand back the same one:
 * `hejhomeSameRefreshToken`). Authorize errors are HTML pages; token errors are JSON
 * `{ error, error_description }`.
 */
import { SANDBOX_API_PATHS, SANDBOX_CREDENTIALS } from './credentials';
import {
  bearerToken,
  escapeHtml,
  formParams,
  hiddenInputs,
  htmlPage,
  isForm,
  json,
  NO_STORE,
  parseBasic,
  randomToken,
  rawQueryParam,
  redirect,
  sameSecret,
  uuidToken,
  withQuery,
  type ProviderContext,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
} from './util';

interface PendingLogin {
  redirectUri: string;
  state: string | null;
  expiresAt: number;
}

interface IssuedCode {
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  expiresAt: number;
  /** Set when a refresh replaced it: the token is dead from then on. */
  rotated: boolean;
}

/** Pending login pages stay usable this long. */
const LOGIN_PAGE_MS = 10 * 60_000;

function tokenError(status: number, error: string, description: string): SandboxResponse {
  return json(status, { error, error_description: description }, NO_STORE);
}

function errorPage(status: number, message: string): SandboxResponse {
  return htmlPage(status, 'Hejhome OpenAPI — 오류', `<p class="error" role="alert">${escapeHtml(message)}</p>`);
}

function loginPage(status: number, loginId: string, error: string | null): SandboxResponse {
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return htmlPage(
    status,
    'Hejhome 로그인',
    `${alert}<p>Sandbox account: <code>${escapeHtml(SANDBOX_CREDENTIALS.hejhome.username)}</code></p>
<form method="post" action="/login/openapi">
${hiddenInputs({ login_id: loginId })}
<label for="username">ID (이메일)</label>
<input id="username" name="username" type="text" autocomplete="username" required>
<label for="password">PW (비밀번호)</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">LOGIN</button>
</form>`,
  );
}

export function hejhomeRoutes(ctx: ProviderContext): Route[] {
  const creds = SANDBOX_CREDENTIALS.hejhome;
  const logins = new Map<string, PendingLogin>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, RefreshRecord>();
  /** The access token last issued with each refresh token. */
  const accessOf = new Map<string, string>();

  /** `expires_in` is what is left of the access token, as in seeds/000's 124-day sample. */
  function tokenResponse(accessToken: string, refreshToken: string, expiresIn: number): SandboxResponse {
    return json(200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: expiresIn, scope: 'openapi' }, NO_STORE);
  }

  /** A new access token; a new refresh token too unless `keptRefresh` is handed back (docs/providers.md §1). */
  function issueTokens(keptRefresh?: string): SandboxResponse {
    const now = ctx.now();
    const accessToken = uuidToken();
    const refreshToken = keptRefresh ?? uuidToken();
    accessTokens.set(accessToken, now + ctx.lifetimes.hejhomeAccess * 1000);
    if (!keptRefresh) refreshTokens.set(refreshToken, { expiresAt: now + ctx.lifetimes.hejhomeRefresh * 1000, rotated: false });
    accessOf.set(refreshToken, accessToken);
    return tokenResponse(accessToken, refreshToken, ctx.lifetimes.hejhomeAccess);
  }

  function exchangeCode(req: SandboxRequest): SandboxResponse {
    const query = req.url.searchParams;
    const code = query.get('code');
    const redirectUri = query.get('redirect_uri');
    if (!code) return tokenError(400, 'invalid_request', 'Missing code in the query string');
    if (!redirectUri) return tokenError(400, 'invalid_request', 'Missing redirect_uri in the query string');
    const issued = codes.get(code);
    if (!issued || issued.expiresAt <= ctx.now()) {
      return tokenError(400, 'invalid_grant', 'Invalid authorization code');
    }
    if (issued.used) return tokenError(400, 'invalid_grant', 'Authorization code has already been used');
    issued.used = true;
    if (redirectUri !== issued.redirectUri) return tokenError(400, 'invalid_grant', 'Redirect URI mismatch.');
    return issueTokens();
  }

  function refresh(req: SandboxRequest): SandboxResponse {
    const refreshToken = formParams(req).get('refresh_token');
    if (!refreshToken) return tokenError(400, 'invalid_request', 'Missing refresh_token in the form body');
    const record = refreshTokens.get(refreshToken);
    if (!record) return tokenError(400, 'invalid_grant', 'Invalid refresh token');
    if (record.rotated) {
      return tokenError(400, 'invalid_grant', 'Invalid refresh token: it was replaced by a newer one');
    }
    if (record.expiresAt <= ctx.now()) return tokenError(400, 'invalid_grant', 'Invalid refresh token (expired)');
    // "Nothing to do": the still-valid pair comes back with what is left of its lifetime.
    if (ctx.config.refreshNothingToDo) {
      const accessToken = accessOf.get(refreshToken) ?? '';
      const left = Math.max(0, Math.floor(((accessTokens.get(accessToken) ?? 0) - ctx.now()) / 1000));
      return tokenResponse(accessToken, refreshToken, left);
    }
    if (ctx.config.hejhomeSameRefreshToken) return issueTokens(refreshToken);
    record.rotated = true;
    return issueTokens();
  }

  return [
    {
      method: 'GET',
      pattern: '/login/openapi',
      key: 'hejhome.authorize',
      handle(req) {
        const query = req.url.searchParams;
        if (query.get('response_type') !== 'code') return errorPage(400, 'response_type은 code여야 합니다.');
        if (query.get('client_id') !== creds.clientId) return errorPage(400, '등록되지 않은 client_id 입니다.');
        if (query.get('scope') !== 'openapi') return errorPage(400, 'scope은 openapi여야 합니다.');
        // seeds/000: "인코딩 없이 보내주셔야 합니다" — compared as raw text, so an encoded URI fails.
        const redirectUri = rawQueryParam(req.rawQuery, 'redirect_uri');
        if (redirectUri !== ctx.config.hejhomeRedirectUri) {
          return errorPage(400, 'redirect_uri가 사용신청서에 작성한 Redirect URI와 일치하지 않습니다.');
        }
        const loginId = randomToken(12);
        logins.set(loginId, { redirectUri, state: query.get('state'), expiresAt: ctx.now() + LOGIN_PAGE_MS });
        return loginPage(200, loginId, null);
      },
    },
    {
      method: 'POST',
      pattern: '/login/openapi',
      key: 'hejhome.login',
      handle(req) {
        const form = formParams(req);
        const loginId = form.get('login_id') ?? '';
        const login = logins.get(loginId);
        if (!login || login.expiresAt <= ctx.now()) {
          return errorPage(400, '로그인 요청이 만료되었습니다. 처음부터 다시 시도하세요.');
        }
        const password = form.get('password') ?? '';
        if (form.get('username') !== creds.username || !sameSecret(password, creds.password)) {
          return loginPage(401, loginId, '아이디 또는 비밀번호가 일치하지 않습니다.');
        }
        logins.delete(loginId);
        const code = randomToken(6);
        codes.set(code, {
          redirectUri: login.redirectUri,
          expiresAt: ctx.now() + ctx.lifetimes.authorizationCode * 1000,
          used: false,
        });
        const params: Record<string, string> = { code };
        if (login.state !== null) params.state = login.state;
        return redirect(withQuery(login.redirectUri, params));
      },
    },
    {
      method: 'POST',
      pattern: '/oauth/token',
      key: 'hejhome.token',
      handle(req) {
        const basic = parseBasic(req);
        if (!basic || basic.id !== creds.clientId || !sameSecret(basic.secret, creds.clientSecret)) {
          return tokenError(401, 'invalid_client', 'Bad client credentials');
        }
        const query = req.url.searchParams;
        const body = formParams(req);
        const queryGrant = query.get('grant_type');
        const bodyGrant = body.get('grant_type');

        if (queryGrant === 'authorization_code') {
          if (req.body.trim() !== '') {
            return tokenError(400, 'invalid_request', 'The code exchange takes no body: send grant_type, code and redirect_uri in the query string');
          }
          return exchangeCode(req);
        }
        if (bodyGrant === 'authorization_code' || (!queryGrant && !bodyGrant && new URLSearchParams(req.body).has('code'))) {
          return tokenError(400, 'invalid_request', 'grant_type, code and redirect_uri must be sent in the query string, not in the body');
        }
        if (queryGrant === 'refresh_token' || query.has('refresh_token')) {
          return tokenError(400, 'invalid_request', 'grant_type and refresh_token must be sent in the form body, not in the query string');
        }
        if (bodyGrant === 'refresh_token') return refresh(req);
        if (!queryGrant && !bodyGrant) {
          const hint = isForm(req) || req.body === '' ? '' : ' (a refresh needs Content-Type: application/x-www-form-urlencoded)';
          return tokenError(400, 'invalid_request', `Missing grant type${hint}`);
        }
        return tokenError(400, 'unsupported_grant_type', `Unsupported grant type: ${queryGrant ?? bodyGrant}`);
      },
    },
    {
      method: 'GET',
      pattern: SANDBOX_API_PATHS.hejhome,
      key: 'hejhome.api',
      handle(req) {
        const token = bearerToken(req);
        const expiresAt = token === null ? undefined : accessTokens.get(token);
        if (expiresAt === undefined) return tokenError(401, 'invalid_token', 'Invalid access token');
        if (expiresAt <= ctx.now()) return tokenError(401, 'invalid_token', 'Access token expired');
        return json(200, [{ homeId: 1, name: 'Sandbox Home' }]);
      },
    },
  ];
}
