/**
 * RFC 8693 token exchange and RFC 7523 §2.1 JWT bearer for the in-process oidc-provider, which
 * implements neither but takes extension grants through `provider.registerGrantType`. Strict
 * where a client can go wrong: the subject and actor tokens must be the provider's own valid
 * access tokens with the access-token type; the assertion must be signed by the client's
 * registered key, name the client as `iss`, the token endpoint (or issuer) as `aud`, live at
 * most 10 minutes and carry a `jti` never seen before. What each issued token was issued for is
 * kept, so a test can check what the server received.
 */
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { errors, type Provider } from 'oidc-provider';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export interface IssuedFor {
  grant: 'token_exchange' | 'jwt_bearer';
  client: string;
  /** token exchange: the client the subject token belongs to; jwt bearer: the assertion's sub. */
  subject: string;
  actor?: string;
  audience?: string;
  resource?: string;
  scope?: string;
}

interface KoaContext {
  oidc: { params: Record<string, string | undefined>; client: { clientId: string } };
  body: unknown;
}

/** invalid_grant with the reason as error_description (oidc-provider's InvalidGrant keeps it private). */
function grantError(description: string): Error {
  return new errors.CustomOIDCProviderError('invalid_grant', description);
}

export function registerExtensionGrants(provider: Provider, issuer: string, assertionKeys: Record<string, JWK>): Map<string, IssuedFor> {
  const issued = new Map<string, IssuedFor>();
  const seenJti = new Set<string>();

  async function ownerOf(token: string | undefined, type: string | undefined, name: string): Promise<string> {
    if (!token) throw new errors.InvalidRequest(`missing ${name}`);
    if (type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest(`${name}_type must be ${ACCESS_TOKEN_TYPE}`);
    const found = (await provider.ClientCredentials.find(token)) ?? (await provider.AccessToken.find(token));
    if (!found) throw grantError(`${name} is invalid or expired`);
    return found.clientId!;
  }

  async function respond(ctx: KoaContext, record: IssuedFor, jwt: boolean): Promise<void> {
    const token = new provider.ClientCredentials({ client: ctx.oidc.client as never, ...(record.scope ? { scope: record.scope } : {}) });
    const value = await token.save();
    issued.set(value, record);
    ctx.body = {
      access_token: value,
      // RFC 8693 §2.2.1: a token that is not an access token has the token_type N_A.
      token_type: jwt ? 'N_A' : 'Bearer',
      expires_in: token.expiration,
      ...(record.grant === 'token_exchange' ? { issued_token_type: jwt ? JWT_TYPE : ACCESS_TOKEN_TYPE } : {}),
      ...(record.scope ? { scope: record.scope } : {}),
    };
  }

  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx: KoaContext) => {
      const p = ctx.oidc.params;
      const subject = await ownerOf(p['subject_token'], p['subject_token_type'], 'subject_token');
      const actor = p['actor_token'] !== undefined ? await ownerOf(p['actor_token'], p['actor_token_type'], 'actor_token') : undefined;
      const requested = p['requested_token_type'];
      if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TYPE) {
        throw new errors.InvalidRequest('requested_token_type is not supported');
      }
      await respond(
        ctx,
        {
          grant: 'token_exchange',
          client: ctx.oidc.client.clientId,
          subject,
          ...(actor ? { actor } : {}),
          ...(p['audience'] ? { audience: p['audience'] } : {}),
          ...(p['resource'] ? { resource: p['resource'] } : {}),
          ...(p['scope'] ? { scope: p['scope'] } : {}),
        },
        requested === JWT_TYPE,
      );
    },
    ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'audience', 'resource', 'scope', 'requested_token_type'],
  );

  provider.registerGrantType(
    JWT_BEARER,
    async (ctx: KoaContext) => {
      const p = ctx.oidc.params;
      const clientId = ctx.oidc.client.clientId;
      const key = assertionKeys[clientId];
      if (!p['assertion']) throw new errors.InvalidRequest('missing assertion');
      if (!key) throw new errors.UnauthorizedClient('no assertion key is registered for this client');
      let payload;
      try {
        ({ payload } = await jwtVerify(p['assertion'], createLocalJWKSet({ keys: [key] }), {
          issuer: clientId,
          audience: [issuer, `${issuer}/token`],
          maxTokenAge: '10m',
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        }));
      } catch (error) {
        throw grantError(`assertion rejected: ${(error as Error).message}`);
      }
      if (seenJti.has(payload.jti!)) throw grantError('assertion jti already used');
      seenJti.add(payload.jti!);
      await respond(ctx, { grant: 'jwt_bearer', client: clientId, subject: payload.sub!, ...(p['scope'] ? { scope: p['scope'] } : {}) }, false);
    },
    ['assertion', 'scope'],
  );
  return issued;
}
