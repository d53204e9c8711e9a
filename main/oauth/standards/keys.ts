/**
 * Asymmetric keys of a client (jose): the private_key_jwt signing key (RFC 7523 §2.2), generated
 * here or imported from PEM / JWK, and the DPoP key pair (RFC 9449 §2). Both are kept as a private
 * JWK with `alg` and `kid` in ClientSecrets (sealed at rest); the public half is shown to copy.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { CryptoKeyPair } from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { ClientConfig, ClientSecrets, GenericSettings } from '../../model/types';

export type SigningAlg = 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA';

export interface ClientKey {
  /** Private JWK with `alg` and `kid`. */
  privateJwk: JWK;
  publicJwk: JWK;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function publicJwkOf(jwk: JWK): JWK {
  const out: JWK = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete (out as Record<string, unknown>)[member];
  delete out.key_ops;
  delete out.ext;
  return out;
}

/** A private JWK's usual signing algorithm (RFC 7518 §3.1, RFC 8037 §3.1). */
function algOf(jwk: JWK): SigningAlg {
  if (jwk.kty === 'RSA') return jwk.alg === 'PS256' ? 'PS256' : 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new TokenDeskError(
    'bad_request',
    `TokenDesk signs with RSA, EC P-256/P-384 or Ed25519 keys; this key is ${[jwk.kty, jwk.crv].filter(Boolean).join(' ')}. Import another key or let TokenDesk generate one.`,
  );
}

async function finish(privateJwk: JWK): Promise<ClientKey> {
  const alg = privateJwk.alg && privateJwk.alg !== '' ? (privateJwk.alg as SigningAlg) : algOf(privateJwk);
  const withAlg: JWK = { ...privateJwk, alg };
  delete withAlg.key_ops;
  delete withAlg.ext;
  // RFC 7638 thumbprint as `kid`: stable, and what the server sees in the assertion header.
  const kid = withAlg.kid ?? (await calculateJwkThumbprint(publicJwkOf(withAlg)));
  const full = { ...withAlg, kid };
  return { privateJwk: full, publicJwk: { ...publicJwkOf(full), use: 'sig' } };
}

/** A new key pair for `alg` (ES256 by default: short assertions, universally supported by servers that do JWT auth). */
export async function generateClientKey(alg: SigningAlg = 'ES256'): Promise<ClientKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return finish({ ...(await exportJWK(privateKey)), alg });
}

/** A private key the user pasted or read from a file: PEM (PKCS#8, PKCS#1, SEC1) or a private JWK. */
export async function importClientKey(text: string): Promise<ClientKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: JWK;
    try {
      jwk = JSON.parse(trimmed) as JWK;
    } catch {
      throw new TokenDeskError('bad_request', 'The key looks like JSON but is not valid JSON. Paste a private JWK or a PEM private key.');
    }
    if (typeof jwk.d !== 'string') {
      throw new TokenDeskError('bad_request', 'This JWK has no private part ("d"): TokenDesk needs the private key to sign. The public JWK is what you register with the server.');
    }
    await importJWK(jwk, jwk.alg ?? algOf(jwk)).catch((cause: unknown) => {
      throw new TokenDeskError('bad_request', `The JWK could not be read as a signing key (${cause instanceof Error ? cause.message : String(cause)}).`);
    });
    return finish(jwk);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
    throw new TokenDeskError('bad_request', 'That is not a private key: expected a PEM block "-----BEGIN PRIVATE KEY-----" or a private JWK.');
  }
  try {
    return await finish(createPrivateKey(trimmed).export({ format: 'jwk' }) as JWK);
  } catch (cause) {
    if (cause instanceof TokenDeskError) throw cause;
    throw new TokenDeskError('bad_request', `The PEM private key could not be read (${cause instanceof Error ? cause.message : String(cause)}). Encrypted keys must be decrypted first (openssl pkey -in key.pem -out plain.pem).`);
  }
}

/** The stored JWK as a CryptoKey, with its `kid` and `alg`. */
export async function signingKey(stored: string): Promise<{ key: CryptoKey; kid: string; alg: SigningAlg }> {
  const jwk = JSON.parse(stored) as JWK;
  const alg = (jwk.alg ?? algOf(jwk)) as SigningAlg;
  const key = await importJWK(jwk, alg);
  if (key instanceof Uint8Array) throw new TokenDeskError('internal', 'A stored signing key is symmetric.');
  return { key, kid: jwk.kid ?? '', alg };
}

/** The DPoP key pair (RFC 9449 §2) as CryptoKeys; the public one extractable for the proof header. */
export async function dpopKeyPair(stored: string): Promise<{ keyPair: CryptoKeyPair; publicJwk: JWK; alg: SigningAlg }> {
  const jwk = JSON.parse(stored) as JWK;
  const alg = (jwk.alg ?? algOf(jwk)) as SigningAlg;
  const publicJwk = publicJwkOf(jwk);
  const privateKey = await importJWK(jwk, alg);
  const publicKey = await importJWK(publicJwk, alg, { extractable: true });
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new TokenDeskError('internal', 'A stored DPoP key is symmetric.');
  return { keyPair: { privateKey, publicKey }, publicJwk, alg };
}

/**
 * The keys a generic client's settings call for, made ready before it is stored: an imported
 * private_key_jwt / jwt_bearer key (or a generated one when one of them needs it and none is stored), and a
 * DPoP key pair when DPoP is on. Returns the settings with the public JWK, and the secrets.
 */
export async function prepareClientKeys(
  settings: GenericSettings,
  secrets: ClientSecrets,
  imported: string | null | undefined,
): Promise<{ settings: GenericSettings; secrets: ClientSecrets }> {
  const next: ClientSecrets = { ...secrets };
  let publicJwk = settings.clientPublicJwk ?? null;
  if (imported === null) {
    next.privateKey = null;
    publicJwk = null;
  } else if (imported !== undefined) {
    const key = await importClientKey(imported);
    next.privateKey = JSON.stringify(key.privateJwk);
    publicJwk = key.publicJwk as Record<string, unknown>;
  }
  // RFC 7523 §2.1: the JWT bearer assertion is signed with the same client key as private_key_jwt.
  if ((settings.clientAuth === 'private_key_jwt' || settings.grant === 'jwt_bearer') && !next.privateKey) {
    const key = await generateClientKey(preferredAlg(settings));
    next.privateKey = JSON.stringify(key.privateJwk);
    publicJwk = key.publicJwk as Record<string, unknown>;
  }
  if (settings.dpop === true && !next.dpopKey) {
    const key = await generateClientKey(dpopAlg(settings));
    next.dpopKey = JSON.stringify(key.privateJwk);
  }
  return { settings: { ...settings, clientPublicJwk: publicJwk }, secrets: next };
}

const OUR_ALGS: readonly SigningAlg[] = ['ES256', 'RS256', 'PS256', 'ES384', 'EdDSA'];

function firstSupported(listed: unknown): SigningAlg | null {
  if (!Array.isArray(listed)) return null;
  return OUR_ALGS.find((alg) => listed.includes(alg)) ?? null;
}

/** RFC 8414 §2 `token_endpoint_auth_signing_alg_values_supported`, ES256 when unknown. */
function preferredAlg(settings: GenericSettings): SigningAlg {
  return firstSupported(settings.metadata?.document['token_endpoint_auth_signing_alg_values_supported']) ?? 'ES256';
}

/** RFC 9449 §5.1 `dpop_signing_alg_values_supported`, ES256 when unknown. */
function dpopAlg(settings: GenericSettings): SigningAlg {
  return firstSupported(settings.metadata?.document['dpop_signing_alg_values_supported']) ?? 'ES256';
}

/** What the editor or the CLI sends for a client's keys: undefined keeps the stored one, null removes it. */
export interface KeyInput {
  privateKey?: string | null;
  tlsClientKey?: string | null;
}

/**
 * RFC 8705 §2: the client certificate must be a certificate and its key the matching private key;
 * checked here so a wrong file is named when saving, not as a TLS failure later.
 */
function checkCertificatePair(certificate: string, key: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch {
    throw new TokenDeskError('bad_request', 'The client certificate is not a PEM certificate ("-----BEGIN CERTIFICATE-----"). Choose the certificate file.');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TokenDeskError('bad_request', 'The client certificate key is not a PEM private key. Choose the key file (decrypted).');
  }
  if (!cert.checkPrivateKey(privateKey)) {
    throw new TokenDeskError('bad_request', `The key does not belong to the client certificate (${cert.subject.replace(/\n/g, ', ')}). Choose the matching key file.`);
  }
}

/**
 * A generic client and its secrets made ready to store: keys imported or generated
 * (prepareClientKeys), the certificate key checked against the certificate. Other providers pass through.
 */
export async function prepareClient(config: ClientConfig, secrets: ClientSecrets, input: KeyInput): Promise<{ config: ClientConfig; secrets: ClientSecrets }> {
  if (!config.generic) return { config, secrets };
  const next: ClientSecrets = { ...secrets };
  if (input.tlsClientKey !== undefined) next.tlsClientKey = input.tlsClientKey;
  const certificate = config.generic.clientCertificate ?? null;
  if (certificate && next.tlsClientKey) checkCertificatePair(certificate, next.tlsClientKey);
  if (!certificate && (config.generic.clientAuth === 'tls_client_auth' || config.generic.clientAuth === 'self_signed_tls_client_auth')) {
    throw new TokenDeskError('bad_request', `${config.generic.clientAuth} needs a client certificate and its key: choose both files.`);
  }
  const prepared = await prepareClientKeys(config.generic, next, input.privateKey);
  return { config: { ...config, generic: prepared.settings }, secrets: prepared.secrets };
}
