/**
 * The generic server's device authorization grant (RFC 8628), strict where clients go wrong:
 * `interval` is enforced between polls and a poll that comes too soon gets `slow_down`, with the
 * interval five seconds longer from then on (§3.5); `authorization_pending` until the user
 * decides on the verification page, `access_denied` after a denial, `expired_token` once the
 * code's lifetime is over, and a device code is good for one token response only.
 */
import { randomInt } from 'node:crypto';
import { SANDBOX_CREDENTIALS, SANDBOX_OAUTH2_PATHS } from './credentials';
import { escapeHtml, formParams, hiddenInputs, htmlPage, isForm, json, NO_STORE, randomToken, sameSecret, SIGN_IN_FIELDS, type ProviderContext, type Route, type SandboxRequest, type SandboxResponse } from './util';

export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

interface DeviceRecord {
  clientId: string;
  scope: string;
  userCode: string;
  expiresAt: number;
  intervalSeconds: number;
  lastPollAt: number | null;
  decision: 'pending' | 'approved' | 'denied';
  used: boolean;
}

/** RFC 8628 §6.1: 8 characters of BCDFGHJKLMNPQRSTVWXZ (no vowels, no look-alikes), shown as XXXX-XXXX. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function userCode(): string {
  const chars = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** §6.1: the user may type it in lower case, with or without the dash. */
function normalizeUserCode(text: string): string {
  const plain = text.toUpperCase().replace(/[^A-Z]/g, '');
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : plain;
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return json(status, { error, error_description: description }, { ...NO_STORE });
}

export interface DeviceHooks {
  /** The generic server's client authentication (RFC 6749 §2.3). */
  authenticate(req: SandboxRequest, params: URLSearchParams): { id: string; secret: string | null } | SandboxResponse;
  /** Issues the token response for an approved device code. */
  issue(clientId: string, subject: string, scope: string): SandboxResponse;
}

export function deviceGrant(ctx: ProviderContext, hooks: DeviceHooks): { routes: Route[]; grant(clientId: string, params: URLSearchParams): SandboxResponse } {
  const creds = SANDBOX_CREDENTIALS.oauth2;
  const byDeviceCode = new Map<string, DeviceRecord>();
  const byUserCode = new Map<string, DeviceRecord>();

  /** §3.1-§3.2. */
  function authorize(req: SandboxRequest): SandboxResponse {
    if (!isForm(req)) return oauthError(400, 'invalid_request', 'The device authorization request must be application/x-www-form-urlencoded');
    const params = formParams(req);
    const client = hooks.authenticate(req, params);
    if (!('id' in client)) return client;
    const deviceCode = randomToken(32);
    const record: DeviceRecord = {
      clientId: client.id,
      scope: params.get('scope') ?? creds.scope,
      userCode: userCode(),
      expiresAt: ctx.now() + ctx.lifetimes.deviceCode * 1000,
      intervalSeconds: ctx.lifetimes.deviceInterval,
      lastPollAt: null,
      decision: 'pending',
      used: false,
    };
    byDeviceCode.set(deviceCode, record);
    byUserCode.set(record.userCode, record);
    const verificationUri = `${ctx.baseUrl()}${SANDBOX_OAUTH2_PATHS.device}`;
    return json(
      200,
      {
        device_code: deviceCode,
        user_code: record.userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(record.userCode)}`,
        expires_in: ctx.lifetimes.deviceCode,
        interval: record.intervalSeconds,
      },
      { ...NO_STORE },
    );
  }

  /** §3.4-§3.5: the token request with a device code. */
  function grant(clientId: string, params: URLSearchParams): SandboxResponse {
    const record = byDeviceCode.get(params.get('device_code') ?? '');
    if (!record || record.clientId !== clientId || record.used) return oauthError(400, 'invalid_grant', 'Invalid device code');
    const now = ctx.now();
    if (record.expiresAt <= now) return oauthError(400, 'expired_token', 'The device code has expired');
    const tooSoon = record.lastPollAt !== null && now - record.lastPollAt < record.intervalSeconds * 1000;
    record.lastPollAt = now;
    if (tooSoon) {
      record.intervalSeconds += 5;
      return oauthError(400, 'slow_down', `Polling too fast: wait ${record.intervalSeconds} seconds between requests`);
    }
    if (record.decision === 'denied') return oauthError(400, 'access_denied', 'The user denied the request');
    if (record.decision === 'pending') return oauthError(400, 'authorization_pending', 'The user has not decided yet');
    record.used = true;
    return hooks.issue(record.clientId, creds.username, record.scope);
  }

  function page(status: number, code: string | null, error: string | null): SandboxResponse {
    const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
    const codeField = code
      ? `<p>Code <strong>${escapeHtml(code)}</strong></p>\n${hiddenInputs({ user_code: code })}`
      : '<label for="user_code">Code shown on your device</label>\n<input id="user_code" name="user_code" type="text" autocomplete="off">';
    return htmlPage(
      status,
      'Sandbox OAuth 2.0 — connect a device',
      `${alert}<form method="post" action="${SANDBOX_OAUTH2_PATHS.device}">
${codeField}
${SIGN_IN_FIELDS}
</form>`,
    );
  }

  /** §3.3: the verification URI; `?user_code=` is verification_uri_complete (§3.3.1). */
  function verificationPage(req: SandboxRequest): SandboxResponse {
    const given = req.url.searchParams.get('user_code');
    return page(200, given ? normalizeUserCode(given) : null, null);
  }

  function decide(req: SandboxRequest): SandboxResponse {
    const form = formParams(req);
    const code = normalizeUserCode(form.get('user_code') ?? '');
    const record = byUserCode.get(code);
    if (!record || record.decision !== 'pending' || record.expiresAt <= ctx.now()) {
      return page(400, null, 'That code is unknown, expired or already used. Check the code on your device.');
    }
    if (form.get('decision') !== 'allow') {
      record.decision = 'denied';
      return htmlPage(200, 'Sandbox OAuth 2.0 — denied', '<p>You denied the device. You can close this page.</p>');
    }
    if (form.get('username') !== creds.username || !sameSecret(form.get('password') ?? '', creds.password)) {
      return page(401, code, 'Wrong username or password.');
    }
    record.decision = 'approved';
    return htmlPage(200, 'Sandbox OAuth 2.0 — device connected', '<p>Your device is connected. Return to it now.</p>');
  }

  const paths = SANDBOX_OAUTH2_PATHS;
  return {
    grant,
    routes: [
      { method: 'POST', pattern: paths.deviceAuthorization, key: 'oauth2.device_authorization', handle: authorize },
      { method: 'GET', pattern: paths.device, key: 'oauth2.device', handle: verificationPage },
      { method: 'POST', pattern: paths.device, key: 'oauth2.device', handle: decide },
    ],
  };
}
