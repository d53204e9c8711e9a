/**
 * itcode.dev OAuth2 backend (docs/providers.md §4, seeds/003): a social-login broker. Every answer is
 * the envelope `{ flag, title, message, body }`; tokens are JWTs delivered as `access` / `refresh`
 * cookies. The "platforms" (Naver, Kakao, Google, GitHub) are faked on the sandbox itself under
 * /fake/{platform}/authorize: a consent page whose Allow / Deny sends the browser to the itcode
 * callback (`config.itcodeCallbackBase?platform=…`) with `code` and `state`, or `error`.
 */
import { ITCODE_PLATFORMS, type ItcodePlatform } from '../model/types';
import { SANDBOX_API_PATHS, SANDBOX_CREDENTIALS } from './credentials';
import { isExpired, type JwtClaims } from './jwt';
import {
  epochSeconds,
  escapeHtml,
  formParams,
  hiddenInputs,
  htmlPage,
  isJson,
  json,
  parseCookies,
  randomToken,
  redirect,
  uuidToken,
  withQuery,
  type ProviderContext,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
} from './util';

interface IssuedState {
  platform: ItcodePlatform;
  expiresAt: number;
  used: boolean;
}

interface IssuedCode {
  platform: ItcodePlatform;
  state: string;
  expiresAt: number;
  used: boolean;
}

interface Session {
  platform: ItcodePlatform;
  /** Logged out or unlinked: its refresh token no longer works. */
  ended: boolean;
}

/**
 * The servlet session of one sign-in: the provider's backend keeps `state` with
 * `request.getSession().setAttribute` and compares it on the login POST, then invalidates the
 * session (docs/providers.md §4). Its id travels as the `JSESSIONID` cookie.
 */
interface ServletSession {
  platform: ItcodePlatform;
  state: string;
}

/** Re-consent exists only on Naver (`auth_type=reprompt`) and Kakao (docs/providers.md §4). */
const REPROMPT_PARAMS: Partial<Record<ItcodePlatform, Record<string, string>>> = {
  naver: { auth_type: 'reprompt' },
  kakao: { prompt: 'consent' },
};

const STATE_MS = 10 * 60_000;
const COOKIE_ATTRIBUTES = 'Path=/; HttpOnly';
const CLEARED_COOKIES = [`access=; Max-Age=0; ${COOKIE_ATTRIBUTES}`, `refresh=; Max-Age=0; ${COOKIE_ATTRIBUTES}`];

function envelope(
  status: number,
  flag: boolean,
  message: string,
  body: unknown = null,
  cookies: string[] = [],
): SandboxResponse {
  const headers: Record<string, string | string[]> = cookies.length > 0 ? { 'set-cookie': cookies } : {};
  return json(status, { flag, title: flag ? 'success' : 'fail', message, body }, headers);
}

function isPlatform(value: string | undefined): value is ItcodePlatform {
  return (ITCODE_PLATFORMS as readonly string[]).includes(value ?? '');
}

export function itcodeRoutes(ctx: ProviderContext): Route[] {
  const creds = SANDBOX_CREDENTIALS.itcode;
  const states = new Map<string, IssuedState>();
  const codes = new Map<string, IssuedCode>();
  const sessions = new Map<string, Session>();
  const servletSessions = new Map<string, ServletSession>();
  /** Refresh JWTs (by jti) that a renewal replaced: the rotated cookie is dead. */
  const rotatedRefresh = new Set<string>();

  function callbackFor(platform: ItcodePlatform): string {
    return withQuery(ctx.config.itcodeCallbackBase, { platform });
  }

  /** The login-URL (or re-consent) answer: the authorize URL, its state kept in a new servlet session. */
  function authorizeAnswer(platform: ItcodePlatform, message: string, extra: Record<string, string> = {}): SandboxResponse {
    const state = uuidToken();
    states.set(state, { platform, expiresAt: ctx.now() + STATE_MS, used: false });
    const sessionId = randomToken(16);
    servletSessions.set(sessionId, { platform, state });
    const url = withQuery(`${ctx.baseUrl()}/fake/${platform}/authorize`, {
      ...extra,
      response_type: 'code',
      client_id: creds.platformClientIds[platform],
      redirect_uri: callbackFor(platform),
      state,
    });
    return envelope(200, true, message, url, [`JSESSIONID=${sessionId}; ${COOKIE_ATTRIBUTES}`]);
  }

  function tokenCookie(name: 'access' | 'refresh', sessionId: string, platform: ItcodePlatform): string {
    const lifetime = name === 'access' ? ctx.lifetimes.itcodeAccess : ctx.lifetimes.itcodeRefresh;
    const iat = epochSeconds(ctx.now());
    const jwt = ctx.signer.sign({ iss: 'itcode-sandbox', sub: sessionId, typ: name, platform, iat, exp: iat + lifetime, jti: randomToken(9) });
    return `${name}=${jwt}; ${COOKIE_ATTRIBUTES}`;
  }

  /** The live session a cookie's JWT belongs to, or a reason it has none. */
  function sessionOf(req: SandboxRequest, name: 'access' | 'refresh'): { id: string; claims: JwtClaims; session: Session } | string {
    const token = parseCookies(req)[name];
    if (!token) return `${name} cookie is missing`;
    const claims = ctx.signer.verify(token);
    if (!claims || claims.typ !== name || typeof claims.sub !== 'string') return `invalid ${name} token`;
    if (isExpired(claims, ctx.now())) return `${name} token expired`;
    const session = sessions.get(claims.sub);
    if (!session || session.ended) return `${name} token is no longer valid: sign in again`;
    return { id: claims.sub, claims, session };
  }

  function consentPage(req: SandboxRequest, platform: ItcodePlatform): SandboxResponse {
    const query = req.url.searchParams;
    const state = query.get('state');
    if (query.get('response_type') !== 'code' || query.get('client_id') !== creds.platformClientIds[platform]) {
      return htmlPage(400, `${platform} — error`, '<p class="error" role="alert">Unknown client or response_type.</p>');
    }
    if (query.get('redirect_uri') !== callbackFor(platform) || !state) {
      return htmlPage(400, `${platform} — error`, '<p class="error" role="alert">redirect_uri mismatch or state missing.</p>');
    }
    const reprompt = query.get('auth_type') === 'reprompt' || query.get('prompt') === 'consent';
    const title = `Sandbox ${platform} — ${reprompt ? 'review your consent' : 'sign in with ' + platform}`;
    return htmlPage(
      200,
      title,
      `<p>TokenDesk Sandbox (itcode.dev) asks for your email, name and profile picture.</p>
<form method="post" action="/fake/${platform}/authorize">
${hiddenInputs({ state })}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p><small>Signed in as ${escapeHtml(creds.user.email)}</small></p>`,
    );
  }

  return [
    {
      method: 'GET',
      pattern: '/oauth2/api/login/:platform',
      key: 'itcode.loginUrl',
      handle(req) {
        const platform = req.params.platform;
        if (!isPlatform(platform)) return envelope(400, false, `unsupported platform: ${platform ?? ''}`);
        return authorizeAnswer(platform, `${platform} authrorization url response success`);
      },
    },
    {
      method: 'POST',
      pattern: '/oauth2/api/login/auto',
      key: 'itcode.auto',
      handle(req) {
        // seeds/003: with an access cookie the user counts as signed in and nothing happens,
        // whatever the refresh cookie (docs/providers.md §4 "auto login").
        if (parseCookies(req).access) return envelope(200, true, 'auto authorized success');
        const refresh = sessionOf(req, 'refresh');
        if (typeof refresh === 'string') return envelope(401, false, refresh);
        const jti = String(refresh.claims.jti ?? '');
        if (rotatedRefresh.has(jti)) return envelope(401, false, 'refresh token was replaced by a newer one: sign in again');
        if (ctx.config.refreshNothingToDo) return envelope(200, true, 'auto authorized success');
        rotatedRefresh.add(jti);
        return envelope(200, true, 'auto authorized success', null, [
          tokenCookie('access', refresh.id, refresh.session.platform),
          tokenCookie('refresh', refresh.id, refresh.session.platform),
        ]);
      },
    },
    {
      method: 'POST',
      pattern: '/oauth2/api/login/:platform',
      key: 'itcode.login',
      handle(req) {
        const platform = req.params.platform;
        if (!isPlatform(platform)) return envelope(400, false, `unsupported platform: ${platform ?? ''}`);
        if (!isJson(req)) return envelope(415, false, 'the body must be JSON { code, state }');
        let input: unknown;
        try {
          input = JSON.parse(req.body);
        } catch {
          return envelope(400, false, 'the body must be JSON { code, state }');
        }
        const { code, state } = (input ?? {}) as { code?: unknown; state?: unknown };
        if (typeof code !== 'string' || typeof state !== 'string') return envelope(400, false, 'code and state are required');
        const servletId = parseCookies(req).JSESSIONID ?? '';
        const servlet = servletSessions.get(servletId);
        // The session is invalidated by this POST, whatever its outcome.
        servletSessions.delete(servletId);
        if (!servlet || servlet.platform !== platform) return envelope(400, false, 'no sign-in session (JSESSIONID): request the login URL first');
        if (servlet.state !== state) return envelope(400, false, 'state does not match the session');
        const issuedState = states.get(state);
        if (!issuedState || issuedState.used || issuedState.platform !== platform || issuedState.expiresAt <= ctx.now()) {
          return envelope(400, false, 'invalid state');
        }
        const issuedCode = codes.get(code);
        if (!issuedCode || issuedCode.used || issuedCode.platform !== platform || issuedCode.expiresAt <= ctx.now()) {
          return envelope(400, false, 'invalid code');
        }
        if (issuedCode.state !== state) return envelope(400, false, 'state mismatch');
        issuedState.used = true;
        issuedCode.used = true;
        const sessionId = randomToken(12);
        sessions.set(sessionId, { platform, ended: false });
        return envelope(200, true, 'authorized success', null, [
          tokenCookie('access', sessionId, platform),
          tokenCookie('refresh', sessionId, platform),
        ]);
      },
    },
    {
      method: 'PUT',
      pattern: '/oauth2/api/login/put',
      key: 'itcode.reconsent',
      handle(req) {
        const access = sessionOf(req, 'access');
        if (typeof access === 'string') return envelope(401, false, access);
        const platform = access.session.platform;
        const reprompt = REPROMPT_PARAMS[platform];
        if (!reprompt) return envelope(400, false, `${platform} does not support re-consent`);
        return authorizeAnswer(platform, `${platform} reauthrorization url response success`, reprompt);
      },
    },
    {
      method: 'POST',
      pattern: '/oauth2/api/logout',
      key: 'itcode.logout',
      handle(req) {
        const refresh = sessionOf(req, 'refresh');
        if (typeof refresh !== 'string') refresh.session.ended = true;
        return envelope(200, true, 'logout success', null, CLEARED_COOKIES);
      },
    },
    {
      method: 'DELETE',
      pattern: '/oauth2/api/revoke',
      key: 'itcode.revoke',
      handle(req) {
        const access = sessionOf(req, 'access');
        if (typeof access === 'string') return envelope(401, false, access);
        access.session.ended = true;
        // seeds/003's revoke sample answers "logout success" too.
        return envelope(200, true, 'logout success', null, CLEARED_COOKIES);
      },
    },
    {
      method: 'GET',
      pattern: SANDBOX_API_PATHS.itcode,
      key: 'itcode.userinfo',
      handle(req) {
        const access = sessionOf(req, 'access');
        if (typeof access === 'string') return envelope(401, false, access);
        const platform = access.session.platform;
        return envelope(200, true, 'user info response success', {
          email: creds.user.email,
          name: creds.user.name,
          profile: `${ctx.baseUrl()}/fake/${platform}/profile.png`,
          platform,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/fake/:platform/authorize',
      key: 'itcode.platform.authorize',
      handle(req) {
        const platform = req.params.platform;
        if (!isPlatform(platform)) return htmlPage(404, 'Not found', '<p>Unknown platform.</p>');
        return consentPage(req, platform);
      },
    },
    {
      method: 'POST',
      pattern: '/fake/:platform/authorize',
      key: 'itcode.platform.consent',
      handle(req) {
        const platform = req.params.platform;
        if (!isPlatform(platform)) return htmlPage(404, 'Not found', '<p>Unknown platform.</p>');
        const form = formParams(req);
        const state = form.get('state') ?? '';
        const issued = states.get(state);
        if (!issued || issued.platform !== platform) {
          return htmlPage(400, `${platform} — error`, '<p class="error" role="alert">Unknown or expired request.</p>');
        }
        const callback = callbackFor(platform);
        if (form.get('decision') !== 'allow') {
          return redirect(withQuery(callback, { error: 'access_denied', error_description: 'The user denied the request', state }));
        }
        const code = randomToken(12);
        codes.set(code, { platform, state, expiresAt: ctx.now() + ctx.lifetimes.authorizationCode * 1000, used: false });
        return redirect(withQuery(callback, { code, state }));
      },
    },
  ];
}
