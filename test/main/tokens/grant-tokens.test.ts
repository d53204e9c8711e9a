/**
 * The subject and actor tokens of a token exchange client come from the other clients' valid
 * tokens at the moment of the exchange; a chain of exchanges that loops back is refused instead
 * of waiting on itself.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import { TokenDeskError } from '../../../main/model/errors';
import type { ClientConfig, TokenExchangeSettings, TokenSet } from '../../../main/model/types';
import { ACCESS_TOKEN_TYPE } from '../../../main/oauth/standards/grants';
import { grantTokensFor, type GrantTokenSource } from '../../../main/tokens/grant-tokens';
import { clientConfig } from '../../helpers/oauth-browser';

const token = (accessToken: string): TokenSet => ({
  accessToken,
  tokenType: 'Bearer',
  expiresAt: null,
  issuedAt: 0,
  refreshToken: null,
  refreshExpiresAt: null,
  scope: null,
  cookies: null,
  raw: {},
});

function machine(id: string): ClientConfig {
  return clientConfig('oauth2', { id, name: id, generic: { ...DEFAULT_GENERIC, grant: 'client_credentials' } });
}

function exchanger(id: string, exchange: TokenExchangeSettings): ClientConfig {
  return clientConfig('oauth2', { id, name: id, generic: { ...DEFAULT_GENERIC, grant: 'token_exchange', tokenExchange: exchange } });
}

/** A desk in miniature: validToken of an exchange client first gathers its own grant tokens. */
function source(clients: ClientConfig[], fail: Record<string, Error> = {}): GrantTokenSource & { calls: string[] } {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const calls: string[] = [];
  const self: GrantTokenSource & { calls: string[] } = {
    calls,
    client: (id) => byId.get(id) ?? null,
    async validToken(id) {
      calls.push(id);
      if (fail[id]) throw fail[id];
      const tokens = await grantTokensFor(byId.get(id)!, self);
      return token(tokens ? `exchanged(${tokens.subject.token})` : `token-of-${id}`);
    },
  };
  return self;
}

describe('grant tokens of a token exchange client', () => {
  it('are none for any other grant', async () => {
    expect(await grantTokensFor(machine('a'), source([]))).toBeUndefined();
  });

  it('are the subject\'s and the actor\'s valid access tokens, typed as access tokens', async () => {
    const src = source([machine('user'), machine('gateway')]);
    expect(await grantTokensFor(exchanger('x', { subjectClientId: 'user', actorClientId: 'gateway' }), src)).toEqual({
      subject: { token: 'token-of-user', type: ACCESS_TOKEN_TYPE },
      actor: { token: 'token-of-gateway', type: ACCESS_TOKEN_TYPE },
    });
    expect(src.calls).toEqual(['user', 'gateway']);
  });

  it('a chain of exchanges works as long as it does not come back', async () => {
    const src = source([machine('user'), exchanger('middle', { subjectClientId: 'user' })]);
    expect(await grantTokensFor(exchanger('outer', { subjectClientId: 'middle' }), src)).toMatchObject({ subject: { token: 'exchanged(token-of-user)' } });
  });

  it('a loop back to the client is refused, naming both clients', async () => {
    const a = exchanger('a', { subjectClientId: 'b' });
    const b = exchanger('b', { subjectClientId: 'a' });
    const error = await grantTokensFor(a, source([a, b])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenDeskError);
    expect(error).toMatchObject({ code: 'bad_request', text: { code: 'exchange_cycle', params: { name: 'b', other: 'a' } } });
    const self = exchanger('s', { subjectClientId: 'u', actorClientId: 's' });
    await expect(grantTokensFor(self, source([self, machine('u')]))).rejects.toMatchObject({ text: { code: 'exchange_cycle', params: { name: 's', other: 's' } } });
  });

  it('a removed subject client is named as the cause', async () => {
    await expect(grantTokensFor(exchanger('x', { subjectClientId: 'gone' }), source([]))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'A client whose token "x" exchanges no longer exists: edit "x" and choose the subject (and actor) client again.',
    });
  });

  it('a subject that needs a sign-in says so, inside the exchange client\'s message, with its code kept', async () => {
    const src = source([machine('user')], { user: new TokenDeskError('needs_signin', 'user is not signed in yet: sign in first.') });
    await expect(grantTokensFor(exchanger('x', { subjectClientId: 'user' }), src)).rejects.toMatchObject({
      code: 'needs_signin',
      message: 'The token exchange of "x" needs a valid token of "user", which it could not get: user is not signed in yet: sign in first.',
    });
  });
});
