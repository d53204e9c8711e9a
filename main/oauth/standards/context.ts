/**
 * What every oauth4webapi call of a generic client needs, built from its settings and secrets:
 * the authorization server (discovered metadata, or the URLs typed in), the client, its
 * authentication (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2), its DPoP handle (RFC 9449), and the
 * recorded fetch. `tokenEndpoint` runs one token request with the DPoP nonce retry and turns the
 * answer (or the failure) into the project's TokenSet / TokenDeskError.
 */
import * as oauth from 'oauth4webapi';
import { TokenDeskError } from '../../model/errors';
import type { ClientAuthMethod, GenericSettings, TokenSet } from '../../model/types';
import { tokenSetFromBody } from '../normalize';
import { errorFromResponse, isRecord, parseJson, type OAuthAction, type ResponseContext } from '../provider-errors';
import { resolveUrl, type FlowDeps, type FlowInput } from '../requests';
import { recordedFetch, standardsOptions, type RecordedFetch, type StandardsOptions } from './fetch';
import { dpopKeyPair, signingKey } from './keys';

export interface StandardsContext {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Present when the client uses DPoP (RFC 9449). */
  dpop: oauth.DPoPHandle | undefined;
  fetcher: RecordedFetch;
  /** customFetch, the cleartext rule and the DPoP handle: pass to every oauth4webapi request. */
  options: StandardsOptions & { DPoP?: oauth.DPoPHandle };
  /** The server's name in messages: its host. */
  label: string;
}

const JWT_OR_TLS: readonly ClientAuthMethod[] = ['client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'];

/**
 * Whether a generic client runs through oauth4webapi: it was discovered from an issuer, uses
 * DPoP, authenticates with a JWT or a certificate, or uses an extension grant (RFC 8693, RFC 7523). The others keep the hand-written requests,
 * which also serve non-standard APIs (custom response fields, parameters in the query string).
 */
export function usesStandards(settings: GenericSettings): boolean {
  return (
    Boolean(settings.issuer) ||
    settings.dpop === true ||
    JWT_OR_TLS.includes(settings.clientAuth) ||
    settings.grant === 'token_exchange' ||
    settings.grant === 'jwt_bearer'
  );
}

function settingsOf(input: FlowInput): GenericSettings {
  const settings = input.client.generic;
  if (!settings) throw new TokenDeskError('bad_request', 'This OAuth 2.0 client has no settings: edit it and fill in the issuer or the token URL.');
  return settings;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'The OAuth 2.0 server';
  }
}

const optionalUrl = (base: string, value: string | null | undefined): string | undefined =>
  value && value.trim() !== '' ? resolveUrl(base, value.trim()) : undefined;

/**
 * The authorization server: the discovered metadata document, with the endpoints the user set
 * taking precedence (an edited URL wins over what discovery said).
 */
export function authorizationServer(input: FlowInput): oauth.AuthorizationServer {
  const settings = settingsOf(input);
  const base = input.client.baseUrl;
  const document = (settings.metadata?.document ?? {}) as Partial<oauth.AuthorizationServer>;
  const token = optionalUrl(base, settings.tokenUrl);
  const issuer = settings.issuer ?? document.issuer ?? (token ? new URL(token).origin : base);
  const authorization = optionalUrl(base, settings.authorizationUrl);
  const revocation = optionalUrl(base, settings.revocationUrl);
  const device = optionalUrl(base, settings.deviceAuthorizationUrl);
  const as: oauth.AuthorizationServer = {
    ...document,
    issuer,
    ...(token ? { token_endpoint: token } : {}),
    ...(authorization ? { authorization_endpoint: authorization } : {}),
    ...(revocation ? { revocation_endpoint: revocation } : {}),
    ...(device ? { device_authorization_endpoint: device } : {}),
  };
  if (!as.token_endpoint) {
    throw new TokenDeskError('bad_request', 'This OAuth 2.0 client has no token URL: refresh its discovery or fill the token URL in.');
  }
  return as;
}

function requireSecret(input: FlowInput, method: string): string {
  const secret = input.secrets.clientSecret;
  if (!secret) throw new TokenDeskError('bad_request', `Client authentication ${method} needs the client secret: edit the client and enter it.`);
  return secret;
}

/** RFC 6749 §2.3.1, RFC 7523 §2.2 (RFC 7521 §4.2 assertion claims by oauth4webapi), RFC 8705 §2. */
export async function clientAuthentication(input: FlowInput): Promise<oauth.ClientAuth> {
  const settings = settingsOf(input);
  switch (settings.clientAuth) {
    case 'basic':
      return oauth.ClientSecretBasic(requireSecret(input, 'client_secret_basic'));
    case 'body':
      return oauth.ClientSecretPost(requireSecret(input, 'client_secret_post'));
    case 'none':
      return oauth.None();
    case 'client_secret_jwt':
      return oauth.ClientSecretJwt(requireSecret(input, 'client_secret_jwt'));
    case 'private_key_jwt': {
      if (!input.secrets.privateKey) {
        throw new TokenDeskError('bad_request', 'private_key_jwt needs a private key: edit the client and generate or import one.');
      }
      const { key, kid } = await signingKey(input.secrets.privateKey);
      return oauth.PrivateKeyJwt({ key, ...(kid ? { kid } : {}) });
    }
    case 'tls_client_auth':
    case 'self_signed_tls_client_auth':
      if (!settings.clientCertificate || !input.secrets.tlsClientKey) {
        throw new TokenDeskError('bad_request', `${settings.clientAuth} needs a client certificate and its key: edit the client and choose both files.`);
      }
      return oauth.TlsClientAuth();
  }
}

/**
 * One DPoP handle per client and key: oauth4webapi keeps the server's latest nonce in it
 * (RFC 9449 §8), so the next request of the same client starts with a valid one.
 */
const dpopHandles = new Map<string, { stored: string; handle: oauth.DPoPHandle }>();

async function dpopHandle(input: FlowInput, client: oauth.Client): Promise<oauth.DPoPHandle | undefined> {
  if (settingsOf(input).dpop !== true) return undefined;
  const stored = input.secrets.dpopKey;
  if (!stored) throw new TokenDeskError('bad_request', 'DPoP is on but this client has no DPoP key: edit the client and save it again to create one.');
  const cached = dpopHandles.get(input.client.id);
  if (cached && cached.stored === stored) return cached.handle;
  const { keyPair } = await dpopKeyPair(stored);
  const handle = oauth.DPoP(client, keyPair);
  dpopHandles.set(input.client.id, { stored, handle });
  return handle;
}

export async function standardsContext(deps: FlowDeps, input: FlowInput): Promise<StandardsContext> {
  const settings = settingsOf(input);
  const as = authorizationServer(input);
  const certificate = settings.clientAuth === 'tls_client_auth' || settings.clientAuth === 'self_signed_tls_client_auth' || Boolean(settings.clientCertificate);
  const client: oauth.Client = {
    client_id: input.client.clientId,
    // RFC 8705 §5: with a certificate, use the server's mTLS endpoint aliases when it has them.
    ...(certificate && as.mtls_endpoint_aliases ? { use_mtls_endpoint_aliases: true } : {}),
  };
  const fetcher = recordedFetch(deps, input);
  const dpop = await dpopHandle(input, client);
  return {
    as,
    client,
    clientAuth: await clientAuthentication(input),
    dpop,
    fetcher,
    options: { ...standardsOptions(fetcher), ...(dpop ? { DPoP: dpop } : {}) },
    label: hostOf(as.token_endpoint ?? as.issuer),
  };
}

/**
 * One token endpoint exchange: `request` sends it, `process` checks the answer (oauth4webapi);
 * a `use_dpop_nonce` answer is retried once with the nonce the server gave (RFC 9449 §8). The
 * answer becomes a TokenSet (token_type kept, so DPoP-bound tokens stay `DPoP`).
 */
export async function tokenEndpoint(
  deps: FlowDeps,
  ctx: StandardsContext,
  action: OAuthAction,
  previous: TokenSet | null,
  request: () => Promise<Response>,
  process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<TokenSet> {
  const responseContext: ResponseContext = { provider: ctx.label, action };
  let body: oauth.TokenEndpointResponse;
  try {
    body = await retryingNonce(ctx, async () => process(await request()));
  } catch (error) {
    throw standardsError(error, ctx, responseContext);
  }
  const last = ctx.fetcher.lastResponse();
  // The body as the server wrote it: oauth4webapi lower-cases token_type, and `DPoP` must stay `DPoP`.
  const raw = last ? parseJson(last.body) : { ok: false as const };
  const fields = raw.ok && isRecord(raw.value) ? raw.value : (body as unknown as Record<string, unknown>);
  return tokenSetFromBody(last ?? { status: 200, headers: {}, body: '' }, responseContext, fields, { now: deps.now(), previous });
}

/** Runs `attempt`, and once more when the server asked for a DPoP nonce. */
export async function retryingNonce<T>(ctx: StandardsContext, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (ctx.dpop && oauth.isDPoPNonceError(error)) return attempt();
    throw error;
  }
}

/**
 * An oauth4webapi failure in the project's words: an answer from the server is explained by
 * provider-errors (its status, its `error`, its raw body); a check oauth4webapi made on a 2xx
 * answer becomes invalid_response naming what failed.
 */
export function standardsError(error: unknown, ctx: StandardsContext, responseContext: ResponseContext): Error {
  if (error instanceof TokenDeskError) return error;
  const last = ctx.fetcher.lastResponse();
  if (last && (error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError)) {
    return errorFromResponse(last, responseContext);
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof TypeError) {
    return new TokenDeskError(
      'invalid_response',
      `${ctx.label}'s answer failed a check: ${error.message}. The raw response is in the exchange log; check the issuer and the client's settings.`,
      last ? { status: last.status, rawBody: last.body, cause: error } : { cause: error },
    );
  }
  return error instanceof Error ? error : new TokenDeskError('internal', String(error));
}
