/**
 * The generic server's DPoP (RFC 9449) and its metadata (RFC 8414), so a new user can try
 * discovery and sender-constrained tokens without an account. Strict like a real server: the
 * token endpoint demands its nonce (§8, `use_dpop_nonce`), every proof is checked (§4.3: typ,
 * asymmetric alg, public jwk, signature, htm, htu, iat window, unused jti, ath at the resource).
 */
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { SANDBOX_OAUTH2_PATHS } from './credentials';
import { json, NO_STORE, randomToken, type ProviderContext, type SandboxRequest, type SandboxResponse } from './util';

/** §5.1 dpop_signing_alg_values_supported. */
export const SANDBOX_DPOP_ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
const IAT_WINDOW_S = 300;
const NONCE_LIFETIME_MS = 5 * 60_000;

export type ProofResult = { jkt: string } | { error: SandboxResponse } | null;

/** RFC 7638: the SHA-256 thumbprint of the required members, in lexicographic order. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : ['crv', 'kty', 'x'];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signatureValid(alg: string, jwk: Record<string, unknown>, signingInput: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const data = Buffer.from(signingInput);
    const sig = Buffer.from(signature, 'base64url');
    if (alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    if (alg === 'RS256') return verify('sha256', data, key, sig);
    return verify(null, data, key, sig);
  } catch {
    return false;
  }
}

export function dpopChecker(ctx: ProviderContext) {
  let nonce = { value: randomToken(16), previous: '', rotatesAt: 0 };
  const seen = new Map<string, number>();

  function currentNonce(): string {
    if (ctx.now() >= nonce.rotatesAt) nonce = { value: randomToken(16), previous: nonce.value, rotatesAt: ctx.now() + NONCE_LIFETIME_MS };
    return nonce.value;
  }

  /**
   * The proof of `req` for `htm` / `htu`: null without a DPoP header, the key's thumbprint when
   * valid, or the error answer. `accessToken` (resource requests) requires a matching `ath`;
   * `requireNonce` (the token endpoint) the server's current nonce.
   */
  function check(req: SandboxRequest, htm: string, htu: string, opts: { accessToken?: string; requireNonce: boolean }): ProofResult {
    const header = req.headers['dpop'];
    if (header === undefined) return null;
    const fail = (error: string, description: string, status = opts.accessToken ? 401 : 400): ProofResult => ({
      error: json(status, { error, error_description: description }, {
        ...NO_STORE,
        'dpop-nonce': currentNonce(),
        ...(opts.accessToken ? { 'www-authenticate': `DPoP error="${error}", error_description="${description}", algs="${SANDBOX_DPOP_ALGS.join(' ')}"` } : {}),
      }),
    });
    if (Array.isArray(header) || header.includes(',')) return fail('invalid_dpop_proof', 'Exactly one DPoP header is allowed');
    const [h, p, s] = header.split('.');
    const head = decodePart(h);
    const claims = decodePart(p);
    if (!head || !claims || !s) return fail('invalid_dpop_proof', 'The DPoP proof is not a JWT');
    const jwk = head.jwk as Record<string, unknown> | undefined;
    if (head.typ !== 'dpop+jwt') return fail('invalid_dpop_proof', 'The DPoP proof typ must be dpop+jwt');
    if (!SANDBOX_DPOP_ALGS.includes(head.alg as (typeof SANDBOX_DPOP_ALGS)[number])) return fail('invalid_dpop_proof', `Unsupported DPoP alg; use one of ${SANDBOX_DPOP_ALGS.join(', ')}`);
    if (!jwk || typeof jwk !== 'object' || 'd' in jwk) return fail('invalid_dpop_proof', 'The DPoP proof needs a public jwk header');
    if (!signatureValid(String(head.alg), jwk, `${h}.${p}`, s)) return fail('invalid_dpop_proof', 'The DPoP proof signature is invalid');
    if (claims.htm !== htm) return fail('invalid_dpop_proof', `htm must be ${htm}`);
    if (claims.htu !== htu) return fail('invalid_dpop_proof', `htu must be ${htu}`);
    const now = Math.floor(ctx.now() / 1000);
    if (typeof claims.iat !== 'number' || Math.abs(claims.iat - now) > IAT_WINDOW_S) return fail('invalid_dpop_proof', 'The DPoP proof iat is too far from now');
    if (typeof claims.jti !== 'string' || claims.jti === '') return fail('invalid_dpop_proof', 'The DPoP proof needs a jti');
    for (const [jti, until] of seen) if (until < ctx.now()) seen.delete(jti);
    if (seen.has(claims.jti)) return fail('invalid_dpop_proof', 'This DPoP proof was already used (jti)');
    if (opts.accessToken !== undefined && claims.ath !== createHash('sha256').update(opts.accessToken).digest('base64url')) {
      return fail('invalid_dpop_proof', 'ath does not match the access token');
    }
    if (opts.requireNonce && (claims.nonce === undefined || (claims.nonce !== currentNonce() && claims.nonce !== nonce.previous))) {
      return fail('use_dpop_nonce', 'Authorization server requires nonce in DPoP proof');
    }
    seen.set(claims.jti, ctx.now() + IAT_WINDOW_S * 2000);
    return { jkt: jwkThumbprint(jwk) };
  }

  /**
   * A resource request with a DPoP-bound token (§7.1): `Authorization: DPoP` and a proof for this
   * request from the bound key. Null when it passes, else the 401 to answer.
   */
  function checkResource(req: SandboxRequest, scheme: string, accessToken: string, jkt: string): SandboxResponse | null {
    const refuse = (error: string, description: string): SandboxResponse =>
      json(401, { error, error_description: description }, { 'www-authenticate': `DPoP error="${error}", error_description="${description}", algs="${SANDBOX_DPOP_ALGS.join(' ')}"` });
    if (scheme.toLowerCase() !== 'dpop') return refuse('invalid_token', 'This token is DPoP-bound: send Authorization: DPoP with a DPoP proof');
    const proof = check(req, req.method, `${ctx.baseUrl()}${req.url.pathname}`, { accessToken, requireNonce: false });
    if (proof === null) return refuse('invalid_dpop_proof', 'A DPoP proof is required');
    if ('error' in proof) return proof.error;
    return proof.jkt === jkt ? null : refuse('invalid_dpop_proof', 'The DPoP proof key is not the key the token is bound to');
  }

  return { check, checkResource };
}

/** RFC 8414 §2 metadata of the generic server; its issuer is `<base>/oauth2` (§3.1: well-known inserted before the path). */
export function genericMetadata(ctx: ProviderContext): SandboxResponse {
  const base = ctx.baseUrl();
  const p = SANDBOX_OAUTH2_PATHS;
  return json(200, {
    issuer: `${base}${p.issuer}`,
    authorization_endpoint: `${base}${p.authorize}`,
    token_endpoint: `${base}${p.token}`,
    revocation_endpoint: `${base}${p.revoke}`,
    userinfo_endpoint: `${base}${p.userinfo}`,
    device_authorization_endpoint: `${base}${p.deviceAuthorization}`,
    response_types_supported: ['code'],
    grant_types_supported: [
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    dpop_signing_alg_values_supported: [...SANDBOX_DPOP_ALGS],
    scopes_supported: ['read', 'write'],
  });
}
