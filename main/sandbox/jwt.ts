/**
 * Just enough JWT (RFC 7519, HS256 per RFC 7518 §3.2) for the sandbox's Daou, itcode and generic
 * tokens. Synchronous node:crypto: the server signs and checks tokens inside request handlers.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { exp?: number; iat?: number };

/** Daou's sample token starts `eyJhbGciOiJIUzI1NiJ9`: the header is exactly {"alg":"HS256"}. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

export class JwtSigner {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  sign(claims: JwtClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${HEADER}.${payload}.${this.mac(`${HEADER}.${payload}`)}`;
  }

  /** The claims of a token this signer issued, or null (bad shape, other key, other algorithm). */
  verify(token: string): JwtClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return null;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      return typeof claims === 'object' && claims !== null ? (claims as JwtClaims) : null;
    } catch {
      return null;
    }
  }

  private mac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

/** Whether a verified token's `exp` (seconds) has passed at `nowMs`. */
export function isExpired(claims: JwtClaims, nowMs: number): boolean {
  return typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs;
}
