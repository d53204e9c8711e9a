/**
 * What a client's token is used for, beyond keeping it fresh: shown (detail, exchanges, reveal),
 * copied, and sent to the provider's other endpoints (UserInfo, introspection RFC 7662, a request's
 * headers with DPoP RFC 9449). Reads through the vault and the manager; never opens a secret itself.
 */
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { ClientConfig, CopyFormat, Exchange, TokenDetail, TokenSet } from '../model/types';
import { basicHeader, fetchUserInfo, type FlowDeps, type FlowInput } from '../oauth/flows';
import { capabilitiesOf } from '../oauth/presets';
import { requestHeaders } from '../oauth/standards/headers';
import { standardsIntrospect } from '../oauth/standards/introspect';
import type { TokenManager } from '../tokens/manager';
import type { Vault } from '../tokens/vault';
import { copyText } from './copy';
import { exchangesView, knownSecrets, tokenDetail } from './detail';

export interface TokenCallContext {
  vault: Vault;
  manager: TokenManager;
  deps(): FlowDeps;
  input(client: ClientConfig): FlowInput & { client: ClientConfig };
  validToken(clientId: string): Promise<TokenSet>;
}

export class TokenCalls {
  constructor(private readonly ctx: TokenCallContext) {}

  exchanges(clientId: string, reveal: boolean): Exchange[] {
    return exchangesView(this.ctx.vault.exchanges(clientId).reverse(), reveal, () => this.#knownSecrets(clientId));
  }

  reveal(clientId: string, which: 'access' | 'refresh'): string {
    const token = this.ctx.manager.token(clientId);
    const value = which === 'access' ? token?.accessToken : token?.refreshToken;
    if (!value) throw new TokenDeskError('not_found', msg(which === 'access' ? 'no_access_token' : 'no_refresh_token', { name: this.ctx.vault.config(clientId).name }));
    return value;
  }

  tokenDetail(clientId: string, reveal: boolean): TokenDetail | null {
    const token = this.ctx.manager.token(clientId);
    return token ? tokenDetail(clientId, token, reveal, () => this.#knownSecrets(clientId)) : null;
  }

  async copyText(clientId: string, format: CopyFormat): Promise<string> {
    const client = this.ctx.vault.config(clientId);
    const token = format === 'basic' ? null : await this.ctx.validToken(clientId);
    return copyText(format, client, token, () => basicHeader(this.ctx.input(client)));
  }

  async userInfo(clientId: string): Promise<unknown> {
    const client = this.ctx.vault.config(clientId);
    if (!capabilitiesOf(client).userInfo) throw new TokenDeskError('unsupported', msg('no_userinfo', { name: client.name }));
    return fetchUserInfo(this.ctx.deps(), this.ctx.input(client), await this.ctx.validToken(clientId));
  }

  /** RFC 7662 about the client's current access (or refresh) token, as the server answers. */
  async introspect(clientId: string, which: 'access' | 'refresh'): Promise<Record<string, unknown>> {
    const client = this.ctx.vault.config(clientId);
    if (!capabilitiesOf(client).introspect) {
      throw new TokenDeskError('unsupported', msg('no_introspection', { name: client.name }));
    }
    const token = this.ctx.manager.token(clientId);
    if (!token) throw new TokenDeskError('needs_signin', msg('not_signed_in', { name: client.name }));
    return standardsIntrospect(this.ctx.deps(), this.ctx.input(client), token, which);
  }

  /** `tokendesk headers`: Authorization (and a fresh DPoP proof) for one request, with a valid token. */
  async requestHeaders(clientId: string, request: { method?: string; url?: string | null }, now: number): Promise<string[]> {
    const client = this.ctx.vault.config(clientId);
    const token = await this.ctx.validToken(clientId);
    return requestHeaders(this.ctx.input(client), token, { method: request.method ?? 'GET', url: request.url ?? null, now });
  }

  /** Sign-out and revoke: tell the provider when there is a token, then forget it here. */
  async endSession(clientId: string, end: (deps: FlowDeps, input: FlowInput, token: TokenSet) => Promise<void>): Promise<void> {
    const token = this.ctx.manager.token(clientId);
    if (token) await end(this.ctx.deps(), this.ctx.input(this.ctx.vault.config(clientId)), token);
    await this.ctx.manager.clearToken(clientId);
  }

  #knownSecrets(clientId: string): string[] {
    return knownSecrets(this.ctx.vault.readableSecrets(clientId), this.ctx.manager.token(clientId));
  }
}
