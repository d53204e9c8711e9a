/**
 * The device authorization grant (RFC 8628): ask for a device code (§3.1-§3.2), show the user code
 * and the verification URI, then poll the token endpoint (§3.4-§3.5) at the server's `interval`,
 * five seconds slower after each `slow_down`, until the user approves, denies, or the code expires.
 * Requests go through oauth4webapi (client authentication, DPoP), answers through the project's
 * own token normalisation and error messages.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import { msg } from '../../model/messages';
import type { DeviceSignInView, TokenSet } from '../../model/types';
import { processTokenResponse } from '../normalize';
import { errorFromResponse, isRecord, jsonObjectBody, parseJson } from '../provider-errors';
import { context } from '../requests';
import type { FlowDeps, FlowInput } from '../requests';
import { standardsContext, type StandardsContext } from './context';

/** A pending device authorization (RFC 8628 §3.2), kept in main; the device code never leaves it. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** §3.3.1: the URI with the user code in it, for a QR code; null when the server gives none. */
  verificationUriComplete: string | null;
  /** epoch ms */
  expiresAt: number;
  /** §3.2: 5 seconds when the server names no interval. */
  intervalMs: number;
}

export interface PollDeps {
  now(): number;
  /** Waits; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 5_000;
/** §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
const SLOW_DOWN_STEP_MS = 5_000;

/** RFC 8628 §3.1-§3.2: the device authorization request and its answer. */
export async function startDeviceAuthorization(ctx: StandardsContext, scope: string | null, now: number): Promise<DeviceAuthorization> {
  if (!ctx.as.device_authorization_endpoint) {
    throw new TokenDeskError(
      'unsupported',
      `${ctx.label} has no device authorization endpoint: fill it in, or choose another grant.`,
    );
  }
  const params: Record<string, string> = scope ? { scope } : {};
  await oauth.deviceAuthorizationRequest(ctx.as, ctx.client, ctx.clientAuth, params, ctx.options);
  const res = ctx.fetcher.lastResponse();
  if (!res) throw new TokenDeskError('internal', 'The device authorization request was not sent.');
  const body = jsonObjectBody(res, context(ctx.label, 'device'));
  const text = (name: string): string | null => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : null);
  const deviceCode = text('device_code');
  const userCode = text('user_code');
  const verificationUri = text('verification_uri') ?? text('verification_url');
  const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : null;
  if (!deviceCode || !userCode || !verificationUri || expiresIn === null || expiresIn <= 0) {
    throw new TokenDeskError(
      'invalid_response',
      `${ctx.label} answered the device authorization request without device_code, user_code, verification_uri and expires_in (RFC 8628 §3.2).`,
      { status: res.status, rawBody: res.body },
    );
  }
  const interval = typeof body['interval'] === 'number' && body['interval'] > 0 ? body['interval'] * 1000 : DEFAULT_INTERVAL_MS;
  return {
    deviceCode,
    userCode,
    verificationUri,
    verificationUriComplete: text('verification_uri_complete'),
    expiresAt: now + expiresIn * 1000,
    intervalMs: interval,
  };
}

function errorCodeOf(res: { body: string }): string | null {
  const parsed = parseJson(res.body);
  return parsed.ok && isRecord(parsed.value) && typeof parsed.value['error'] === 'string' ? parsed.value['error'] : null;
}

function expired(ctx: StandardsContext): TokenDeskError {
  return new TokenDeskError('timeout', msg('device_expired', { server: ctx.label }));
}

/**
 * RFC 8628 §3.4-§3.5: polls until the token arrives. `authorization_pending` waits the interval,
 * `slow_down` adds 5 seconds to it for good; `access_denied` and `expired_token` end the sign-in,
 * as does the code's own expiry. `onSlowDown` reports the new interval (the GUI shows it).
 */
export async function pollDeviceToken(
  ctx: StandardsContext,
  device: DeviceAuthorization,
  deps: PollDeps,
  opts: { signal?: AbortSignal; onInterval?: (intervalMs: number) => void } = {},
): Promise<TokenSet> {
  let interval = device.intervalMs;
  for (;;) {
    await deps.sleep(interval, opts.signal);
    if (deps.now() > device.expiresAt) throw expired(ctx);
    await oauth.deviceCodeGrantRequest(ctx.as, ctx.client, ctx.clientAuth, device.deviceCode, ctx.options);
    const res = ctx.fetcher.lastResponse();
    if (!res) throw new TokenDeskError('internal', 'The device token request was not sent.');
    if (res.status >= 200 && res.status < 300) return processTokenResponse(res, context(ctx.label, 'exchange'), { now: deps.now() });
    const error = errorCodeOf(res);
    // RFC 9449 §8: the DPoP handle has learnt the server's nonce from this answer; the next poll uses it.
    if (error === 'authorization_pending' || (error === 'use_dpop_nonce' && ctx.dpop)) continue;
    if (error === 'slow_down') {
      interval += SLOW_DOWN_STEP_MS;
      opts.onInterval?.(interval);
      continue;
    }
    if (error === 'access_denied') {
      throw new TokenDeskError('cancelled', msg('device_denied', { server: ctx.label }), {
        status: res.status,
        rawBody: res.body,
      });
    }
    if (error === 'expired_token') throw expired(ctx);
    throw errorFromResponse(res, context(ctx.label, 'exchange'));
  }
}

/** A sleep that an AbortSignal cuts short with 'cancelled'. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => new TokenDeskError('cancelled', msg('device_cancelled'));
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** For the desk: the client's context and its device authorization, in one step. */
export async function beginDeviceSignIn(deps: FlowDeps, input: FlowInput): Promise<DeviceAuthorization> {
  const ctx = await standardsContext(deps, input);
  return startDeviceAuthorization(ctx, input.client.scope, deps.now());
}

/** For the desk: polls a device sign-in started by beginDeviceSignIn until it ends. */
export async function completeDeviceSignIn(
  deps: FlowDeps & PollDeps,
  input: FlowInput,
  device: DeviceAuthorization,
  opts: { signal?: AbortSignal; onInterval?: (intervalMs: number) => void } = {},
): Promise<TokenSet> {
  return pollDeviceToken(await standardsContext(deps, input), device, deps, opts);
}

/** What the user sees of a device sign-in: never the device code. */
export function deviceView(clientId: string, device: DeviceAuthorization): DeviceSignInView {
  return {
    clientId,
    userCode: device.userCode,
    verificationUri: device.verificationUri,
    verificationUriComplete: device.verificationUriComplete,
    expiresAt: device.expiresAt,
    intervalMs: device.intervalMs,
  };
}
