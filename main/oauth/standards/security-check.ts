/**
 * The security check of one sign-in or token exchange (issue #12 item 8): what was verified and
 * what was not, as codes the renderer and the CLI translate. Pure: the facts come from the flow
 * (SignInFacts), the token sets before and after, and the URLs the exchange went to.
 */
import { decodeJwt } from 'jose';
import type { SecurityCheck, SignInFacts, SignInRefusal, TokenSet } from '../../model/types';

/** sign_in: authorization code (with an authorization step); device: RFC 8628, no redirect to check. */
export type ExchangeKind = 'sign_in' | 'device' | 'issue' | 'refresh';

export interface SecurityInput {
  kind: ExchangeKind;
  /** Every URL the operation sent a request to. */
  urls: readonly string[];
  /** The token set being refreshed (refresh only). */
  previous: TokenSet | null;
  next: TokenSet;
  /** The scope the client asked for (its configured scope), if any. */
  requestedScope: string | null;
  /** What the authorization step established (sign_in only). */
  facts?: SignInFacts;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

function check(id: SecurityCheck['id'], outcome: SecurityCheck['outcome'], reason: string, params?: Record<string, string>): SecurityCheck {
  return params ? { id, outcome, reason, params } : { id, outcome, reason };
}

function scopes(value: string | null): Set<string> {
  return new Set((value ?? '').split(/\s+/).filter((scope) => scope !== ''));
}

/** RFC 7636 §7.2: S256, never plain, and PKCE at all (RFC 9700 §2.1.1). */
function pkceCheck(facts: SignInFacts | undefined): SecurityCheck {
  if (!facts) return check('pkce', 'not_applicable', 'no_authorization_step');
  if (facts.pkce === 'S256') return check('pkce', 'verified', 'S256');
  return check('pkce', 'unverified', facts.pkce === 'plain' ? 'plain' : 'absent');
}

function stateCheck(facts: SignInFacts | undefined): SecurityCheck {
  if (!facts) return check('state', 'not_applicable', 'no_authorization_step');
  return facts.stateMatched ? check('state', 'verified', 'matched') : check('state', 'unverified', 'absent');
}

/** RFC 9207 §2.4: the `iss` of the authorization response is the issuer the request went to. */
function issCheck(facts: SignInFacts | undefined): SecurityCheck {
  if (!facts) return check('iss', 'not_applicable', 'no_authorization_step');
  if (facts.iss === 'matched') return check('iss', 'verified', 'matched');
  return check('iss', 'unverified', facts.iss);
}

function nonceCheck(facts: SignInFacts | undefined): SecurityCheck {
  if (!facts || facts.idToken === null) return check('nonce', 'not_applicable', 'no_id_token');
  return facts.nonce === 'matched' ? check('nonce', 'verified', 'matched') : check('nonce', 'unverified', 'not_sent');
}

function idTokenChecks(facts: SignInFacts | undefined): SecurityCheck[] {
  const token = facts?.idToken ?? null;
  if (token === null) {
    return [check('id_token_signature', 'not_applicable', 'no_id_token'), check('id_token_claims', 'not_applicable', 'no_id_token')];
  }
  return [
    token.signature ? check('id_token_signature', 'verified', 'jwks') : check('id_token_signature', 'unverified', 'not_checked'),
    token.claims
      ? check('id_token_claims', 'verified', token.atHash === 'matched' ? 'with_at_hash' : 'without_at_hash')
      : check('id_token_claims', 'unverified', 'not_checked'),
  ];
}

/** RFC 9449 §6 (DPoP, `cnf.jkt`) and RFC 8705 §3.1 (mTLS, `cnf.x5t#S256`); otherwise a bearer token. */
export function tokenBoundCheck(token: TokenSet): SecurityCheck {
  let cnf: Record<string, unknown> | null;
  try {
    const claims = decodeJwt(token.accessToken);
    cnf = claims.cnf && typeof claims.cnf === 'object' ? (claims.cnf as Record<string, unknown>) : null;
  } catch {
    cnf = null;
  }
  if (token.tokenType.toLowerCase() === 'dpop') {
    return check('token_bound', 'verified', 'dpop', typeof cnf?.['jkt'] === 'string' ? { jkt: cnf['jkt'] } : undefined);
  }
  if (typeof cnf?.['x5t#S256'] === 'string') return check('token_bound', 'verified', 'mtls', { x5t: cnf['x5t#S256'] });
  return check('token_bound', 'unverified', 'bearer');
}

/** Cleartext HTTP is acceptable only to loopback (the brief; RFC 6749 §10.9 requires TLS otherwise). */
export function transportCheck(urls: readonly string[]): SecurityCheck {
  const cleartext: string[] = [];
  let loopback = false;
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if (parsed.protocol !== 'http:') continue;
    if (LOOPBACK.has(parsed.hostname)) loopback = true;
    else if (!cleartext.includes(parsed.host)) cleartext.push(parsed.host);
  }
  if (cleartext.length > 0) return check('transport', 'failed', 'cleartext', { hosts: cleartext.join(', ') });
  if (urls.length === 0) return check('transport', 'not_applicable', 'no_request');
  return loopback ? check('transport', 'verified', 'loopback') : check('transport', 'verified', 'tls');
}

/**
 * After a refresh: the scope against the one before (RFC 6749 §6: never wider; narrower is the
 * server's right, and worth seeing). Otherwise the granted scope against the one asked for.
 */
export function scopeCheck(input: Pick<SecurityInput, 'kind' | 'previous' | 'next' | 'requestedScope'>): SecurityCheck {
  const before = input.kind === 'refresh' ? input.previous?.scope ?? null : input.requestedScope;
  const rawScope = (input.next.raw as Record<string, unknown> | null)?.['scope'];
  // A response without `scope` grants what was asked (RFC 6749 §5.1): nothing to compare.
  const after = typeof rawScope === 'string' || Array.isArray(rawScope) ? input.next.scope : null;
  if (before === null || after === null) return check('scope', 'not_applicable', 'not_returned');
  const wanted = scopes(before);
  const granted = scopes(after);
  const dropped = [...wanted].filter((scope) => !granted.has(scope));
  const added = [...granted].filter((scope) => !wanted.has(scope));
  if (input.kind === 'refresh' && added.length > 0) return check('scope', 'failed', 'widened', { added: added.join(' ') });
  if (dropped.length > 0) return check('scope', 'unverified', 'narrowed', { dropped: dropped.join(' ') });
  return check('scope', 'verified', 'unchanged');
}

/** RFC 9700 §4.14.2: a rotated refresh token makes a stolen one detectable; a reused one does not. */
export function refreshTokenCheck(input: Pick<SecurityInput, 'kind' | 'previous' | 'next'>): SecurityCheck {
  if (input.kind !== 'refresh') {
    return check('refresh_token', 'not_applicable', input.next.refreshToken ? 'issued' : 'none');
  }
  const before = input.previous?.refreshToken ?? null;
  if (!before) return check('refresh_token', 'not_applicable', 'none');
  return input.next.refreshToken && input.next.refreshToken !== before
    ? check('refresh_token', 'verified', 'rotated')
    : check('refresh_token', 'unverified', 'reused');
}

/** The whole list, in the order of issue #12 item 8. */
export function securityChecks(input: SecurityInput): SecurityCheck[] {
  const facts = input.kind === 'sign_in' ? input.facts : undefined;
  return [
    pkceCheck(facts),
    stateCheck(facts),
    issCheck(facts),
    nonceCheck(facts),
    ...idTokenChecks(facts),
    tokenBoundCheck(input.next),
    transportCheck(input.urls),
    scopeCheck(input),
    refreshTokenCheck(input),
  ];
}

/**
 * What any authorization code sign-in established, for presets that run no standards checks of
 * their own: PKCE from the pending request, `state` from the redirect (completeSignIn already
 * refused a wrong one), no `iss`, nonce or id_token.
 */
export function basicSignInFacts(pending: { codeVerifier: string | null; state: string }, callbackUrl: string): SignInFacts {
  let state: string | null;
  try {
    const url = new URL(callbackUrl);
    state = url.searchParams.get('state') ?? new URLSearchParams(url.hash.slice(1)).get('state');
  } catch {
    state = null;
  }
  return { pkce: pending.codeVerifier ? 'S256' : null, stateMatched: state === pending.state, iss: 'not_supported', nonce: 'not_sent', idToken: null, par: false };
}

/**
 * The check of a sign-in refused by one of its own checks (an `iss` naming another server, a
 * `state` that does not match, an id_token that fails validation): what was verified before the
 * refusal, the check that failed, and the rest not reached; nothing was saved.
 */
export function refusedSignInChecks(refusal: SignInRefusal, urls: readonly string[]): SecurityCheck[] {
  const { facts, failed } = refusal;
  const notReached = (id: SecurityCheck['id']) => check(id, 'not_applicable', 'not_reached');
  const failedOr = (id: SecurityCheck['id'], passed: () => SecurityCheck | null): SecurityCheck =>
    failed.id === id ? check(id, 'failed', failed.reason) : (passed() ?? notReached(id));
  return [
    facts.pkce === 'S256' ? check('pkce', 'verified', 'S256') : check('pkce', 'unverified', facts.pkce === 'plain' ? 'plain' : 'absent'),
    failedOr('state', () => (facts.stateMatched ? check('state', 'verified', 'matched') : null)),
    failedOr('iss', () => (facts.iss === undefined ? null : facts.iss === 'matched' ? check('iss', 'verified', 'matched') : check('iss', 'unverified', facts.iss))),
    failedOr('nonce', () => null),
    failedOr('id_token_signature', () => (facts.idToken?.signature ? check('id_token_signature', 'verified', 'jwks') : null)),
    failedOr('id_token_claims', () => null),
    check('token_bound', 'not_applicable', 'refused'),
    transportCheck(urls),
    check('scope', 'not_applicable', 'refused'),
    check('refresh_token', 'not_applicable', 'refused'),
  ];
}
