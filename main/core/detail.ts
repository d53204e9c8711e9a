/** What the desk shows besides client views: app info, a token's detail, the exchange history (masked unless revealed). */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { format, msg } from '../model/messages';
import type { AppInfo, ClientSecrets, Exchange, TokenDetail, TokenSet } from '../model/types';
import { maskExchange, maskKnownSecrets, maskSecretFields } from '../oauth/mask';
import { storedIdToken } from '../oauth/standards/id-token';
import type { Vault } from '../tokens/vault';
import { isJwt } from './views';

export function appInfo(vault: Vault, app: { version: string; sandboxUrl: string | null }): AppInfo {
  const warnings: AppInfo['warnings'] = [];
  if (vault.keyWarning) warnings.push({ code: 'key_file', message: vault.keyWarning });
  if (vault.startedOver) {
    const text = msg('started_over', { path: vault.startedOver });
    warnings.push({ code: 'started_over', message: format(text), text, path: vault.startedOver });
  }
  const recovered = vault.recovered;
  if (recovered) {
    const text = msg('store_recovered', { reason: recovered.reason });
    warnings.push({ code: 'store_recovered', message: format(text), text, path: recovered.backupPath });
  }
  return { version: app.version, keyProtection: vault.keyProtection, warnings, sandboxUrl: app.sandboxUrl, platform: process.platform };
}

export function tokenDetail(clientId: string, token: TokenSet, reveal: boolean, knownSecrets: () => string[]): TokenDetail {
  const raw = token.raw === null || token.raw === undefined ? null : typeof token.raw === 'string' ? token.raw : JSON.stringify(token.raw, null, 2);
  let jwt: TokenDetail['jwt'] = null;
  if (isJwt(token.accessToken)) {
    jwt = {
      header: decodeProtectedHeader(token.accessToken) as Record<string, unknown>,
      claims: decodeJwt(token.accessToken) as Record<string, unknown>,
    };
  }
  return {
    clientId,
    rawResponse: raw === null || reveal ? raw : maskKnownSecrets(maskSecretFields(raw), knownSecrets()),
    jwt,
    idToken: storedIdToken(token.raw),
  };
}

export function exchangesView(exchanges: Exchange[], reveal: boolean, knownSecrets: () => string[]): Exchange[] {
  if (reveal) return exchanges;
  const secrets = knownSecrets();
  return exchanges.map((exchange) => maskExchange(exchange, secrets));
}

/** Every secret value of a client, so a masked view can hide them wherever they appear. */
export function knownSecrets(secrets: ClientSecrets, token: TokenSet | null): string[] {
  const values = [secrets.clientSecret, secrets.password, token?.accessToken, token?.refreshToken, ...Object.values(token?.cookies ?? {})];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
