/**
 * The headers a request to a resource server needs with the current token (issue #12 item 4,
 * `tokendesk headers`): `Authorization: Bearer …`, or for a DPoP-bound token `Authorization:
 * DPoP …` and a fresh proof for that method and URL (RFC 9449 §7.1), signed with the client's key.
 */
import { randomUUID, createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { TokenDeskError } from '../../model/errors';
import type { TokenSet } from '../../model/types';
import type { FlowInput } from '../requests';
import { dpopKeyPair } from './keys';

export interface HeaderRequest {
  method: string;
  url: string | null;
  /** epoch ms */
  now: number;
  /** A nonce the resource server gave (RFC 9449 §9), if any. */
  nonce?: string | null;
}

export function isDpopToken(token: TokenSet): boolean {
  return token.tokenType.toLowerCase() === 'dpop';
}

/** RFC 9449 §4.2 `htu`: the URL without query and fragment. */
function htu(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TokenDeskError('bad_request', `"${url}" is not a URL: give the full address of the request, e.g. https://api.example.com/items.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TokenDeskError('bad_request', `"${url}" is not an http(s) address.`);
  }
  return `${parsed.origin}${parsed.pathname}`;
}

/** A DPoP proof JWT (RFC 9449 §4.2) for `method` and `url`, with `ath` for `accessToken` (§4.3 for resource requests). */
export async function dpopProof(storedKey: string, method: string, url: string, now: number, accessToken: string | null, nonce?: string | null): Promise<string> {
  const { keyPair, publicJwk, alg } = await dpopKeyPair(storedKey);
  return new SignJWT({
    jti: randomUUID(),
    htm: method.toUpperCase(),
    htu: htu(url),
    iat: Math.floor(now / 1000),
    ...(accessToken ? { ath: createHash('sha256').update(accessToken, 'ascii').digest('base64url') } : {}),
    ...(nonce ? { nonce } : {}),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg, jwk: publicJwk })
    .sign(keyPair.privateKey);
}

/** The request headers, one `Name: value` per entry. */
export async function requestHeaders(input: FlowInput, token: TokenSet, request: HeaderRequest): Promise<string[]> {
  if (!isDpopToken(token)) {
    const scheme = token.tokenType.toLowerCase() === 'bearer' || token.tokenType === '' ? 'Bearer' : token.tokenType;
    return [`Authorization: ${scheme} ${token.accessToken}`];
  }
  if (!request.url) {
    throw new TokenDeskError('bad_request', 'This token is DPoP-bound: its proof names one method and URL. Give the URL of the request (--url).');
  }
  const key = input.secrets.dpopKey;
  if (!key) throw new TokenDeskError('needs_signin', `${input.client.name} has a DPoP token but no DPoP key any more: issue a new token.`);
  const proof = await dpopProof(key, request.method, request.url, request.now, token.accessToken, request.nonce ?? null);
  return [`Authorization: DPoP ${token.accessToken}`, `DPoP: ${proof}`];
}
