/**
 * The id_token of an OpenID Connect sign-in, validated with jose against the server's JWKS
 * (OpenID Connect Core §3.1.3.7): signature, `iss`, `aud` (and `azp` with several audiences),
 * `exp`, `nonce` and, with an access token beside it, `at_hash` (§3.1.3.6).
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { TokenDeskError } from '../../model/errors';
import type { StandardsContext } from './context';

export interface IdTokenResult {
  claims: JWTPayload;
  atHash: 'matched' | 'absent';
}

export interface IdTokenExpectations {
  nonce: string | null;
  accessToken: string;
  now: number;
}

type IdTokenCheck = 'id_token_signature' | 'id_token_claims' | 'nonce';

/** The refusal names the check that failed (issue #12 item 8), so the record can show it. */
function invalid(ctx: StandardsContext, what: string, check: IdTokenCheck = 'id_token_claims', reason = 'invalid'): TokenDeskError {
  // jose checks the signature before any claim: a claim (or nonce, at_hash) failure comes after a good signature.
  const signed = check !== 'id_token_signature' && reason !== 'unreadable';
  return new TokenDeskError(
    'invalid_response',
    `The id_token from ${ctx.label} failed validation: ${what}. Nothing was saved; sign in again, and check the issuer if it repeats.`,
    { refusal: { failed: { id: check, reason }, facts: signed ? { idToken: { signature: true, claims: false, atHash: 'absent' } } : {} } },
  );
}

/** §3.1.3.6: base64url of the left half of the hash of the access token, with the id_token's hash. */
export function atHash(accessToken: string, alg: string): string | null {
  const size = /(256|384|512)$/.exec(alg)?.[1] ?? (alg === 'EdDSA' || alg === 'Ed25519' ? '512' : null);
  if (!size) return null;
  const digest = createHash(`sha${size}`).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The server's JWKS, fetched through the recorded client. */
async function fetchJwks(ctx: StandardsContext): Promise<JSONWebKeySet> {
  const uri = ctx.as.jwks_uri;
  if (!uri) throw invalid(ctx, 'the server publishes no jwks_uri to check its signature with');
  const res = await ctx.fetcher(uri, { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' } });
  const body: unknown = res.ok ? await res.json().catch(() => null) : null;
  if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw invalid(ctx, `its JWKS at ${uri} could not be read (HTTP ${res.status})`);
  }
  return body as JSONWebKeySet;
}

export async function validateIdToken(ctx: StandardsContext, idToken: string, expect: IdTokenExpectations): Promise<IdTokenResult> {
  const jwks = createLocalJWKSet(await fetchJwks(ctx));
  let claims: JWTPayload;
  let alg: string;
  try {
    alg = decodeProtectedHeader(idToken).alg ?? '';
    if (alg === 'none' || alg.startsWith('HS')) throw invalid(ctx, `it is signed with ${alg || 'no algorithm'}, not with a key of the JWKS`, 'id_token_signature', 'not_jwks');
    ({ payload: claims } = await jwtVerify(idToken, jwks, {
      issuer: ctx.as.issuer,
      audience: ctx.client.client_id,
      currentDate: new Date(expect.now),
      clockTolerance: 30,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof TokenDeskError) throw error;
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
      throw invalid(ctx, 'its signature does not match any key of the server’s JWKS', 'id_token_signature', 'bad_signature');
    }
    if (error instanceof errors.JWTExpired) throw invalid(ctx, 'it has expired (exp)', 'id_token_claims', 'expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw invalid(ctx, `its "${error.claim}" claim is wrong (${error.reason})`);
    throw invalid(ctx, error instanceof Error ? error.message : String(error), 'id_token_claims', 'unreadable');
  }
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims['azp'] !== ctx.client.client_id) {
    throw invalid(ctx, 'it names several audiences but not this client as its authorized party (azp)');
  }
  if (expect.nonce !== null && claims['nonce'] !== expect.nonce) throw invalid(ctx, 'its nonce is not the one this sign-in sent (a replayed token?)', 'nonce', 'mismatch');
  const given = claims['at_hash'];
  if (given === undefined) return { claims, atHash: 'absent' };
  if (given !== atHash(expect.accessToken, alg)) throw invalid(ctx, 'its at_hash does not match the access token issued with it');
  return { claims, atHash: 'matched' };
}

/**
 * The id_token a stored token response carries, decoded for the detail view (its claims are
 * about the user, not a credential); null when there is none or it is not a JWT. An
 * authorization code sign-in validated it before saving (validateIdToken); it is shown as sent.
 */
export function storedIdToken(raw: unknown): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['id_token'] : undefined;
  if (typeof value !== 'string') return null;
  try {
    return { header: decodeProtectedHeader(value) as Record<string, unknown>, claims: decodeJwt(value) as Record<string, unknown> };
  } catch {
    return null;
  }
}
