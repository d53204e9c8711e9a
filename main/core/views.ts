/** What the renderer, the tray and the CLI's status see of a client: derived, masked, plain data. */
import { decodeJwt } from 'jose';
import { maskSecret } from '../oauth/mask';
import { capabilitiesOf } from '../oauth/presets';
import { NO_CAPABILITIES } from '../oauth/presets/preset';
import type { TokenManager } from '../tokens/manager';
import { refreshDueAt } from '../tokens/scheduler';
import type { ClientRecord, Vault } from '../tokens/vault';
import type { Capabilities, ClientConfig, ClientDamage, ClientState, ClientView, ErrorInfo, TokenSet, TokenView } from '../model/types';

export function isJwt(value: string): boolean {
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) return false;
  try {
    decodeJwt(value);
    return true;
  } catch {
    return false;
  }
}

export function tokenView(token: TokenSet): TokenView {
  return {
    accessTokenMasked: maskSecret(token.accessToken),
    tokenType: token.tokenType,
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    hasRefreshToken: token.refreshToken !== null,
    refreshTokenMasked: token.refreshToken === null ? null : maskSecret(token.refreshToken),
    refreshExpiresAt: token.refreshExpiresAt,
    scope: token.scope,
    isJwt: isJwt(token.accessToken),
    ...(token.refreshForm ? { refreshForm: token.refreshForm } : {}),
  };
}

export interface ClientFacts {
  config: ClientConfig;
  hasSecret: boolean;
  token: TokenSet | null;
  needsSignIn: boolean;
  lastError: ErrorInfo | null;
  refreshing: boolean;
  /** When the scheduler will refresh; null when nothing is scheduled. */
  dueAt: number | null;
  capabilities: Capabilities;
  damage: ClientDamage | null;
}

/** When "expiring soon" starts: the refresh lead time of the client's policy (PROVIDERS issue §3). */
export function expiringAt(facts: Pick<ClientFacts, 'config' | 'token'>): number | null {
  return facts.token ? refreshDueAt(facts.token, facts.config.refreshPolicy) : null;
}

export function clientState(facts: ClientFacts, now: number): ClientState {
  // A damaged token reads as none and asks for a sign-in (the manager marks it so).
  if (facts.damage && facts.damage.kind !== 'token') return 'damaged';
  if (facts.refreshing) return 'refreshing';
  if (facts.needsSignIn) return 'needs_signin';
  const { token } = facts;
  if (!token) return facts.lastError ? 'error' : 'none';
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  if (facts.lastError) return 'error';
  const expiring = expiringAt(facts);
  if (expiring !== null && expiring <= now) return 'expiring';
  return 'valid';
}

export function clientView(facts: ClientFacts, now: number): ClientView {
  return {
    config: facts.config,
    hasSecret: facts.hasSecret,
    state: clientState(facts, now),
    token: facts.token ? tokenView(facts.token) : null,
    nextRefreshAt: facts.config.autoRefresh ? facts.dueAt : null,
    expiringAt: expiringAt(facts),
    lastError: facts.lastError,
    capabilities: facts.capabilities,
    damage: facts.damage,
  };
}

/**
 * The next moment a state changes by time alone (a lead time starts, a token expires), so the
 * core can tell the views without anyone polling. null when no such moment is ahead.
 */
export function nextStateChange(clients: ClientView[], now: number): number | null {
  let next: number | null = null;
  for (const client of clients) {
    for (const at of [client.expiringAt, client.token?.expiresAt ?? null]) {
      if (at !== null && at > now && (next === null || at < next)) next = at;
    }
  }
  return next;
}

/** "3d 4h", "12m 5s": a compact remaining time for the tray and the CLI. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, unit] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function soonestExpiry(clients: ClientView[], now: number): { name: string; remaining: string } | null {
  let best: ClientView | null = null;
  for (const client of clients) {
    const at = client.token?.expiresAt;
    if (at == null || at <= now) continue;
    if (!best || at < (best.token?.expiresAt ?? Infinity)) best = client;
  }
  return best ? { name: best.config.name, remaining: formatRemaining((best.token?.expiresAt ?? now) - now) } : null;
}

/** A stored client's view: what of it cannot be read first, then its token and schedule. */
export function recordView(vault: Vault, manager: TokenManager, record: ClientRecord, now: number): ClientView {
  const { id, config } = record;
  const status = vault.status(id);
  const damage = vault.damage(id);
  const facts: ClientFacts = {
    config,
    hasSecret: vault.hasSecret(id),
    token: record.damage ? null : manager.token(id),
    needsSignIn: status.needsSignIn,
    lastError: status.lastError,
    refreshing: manager.isRefreshing(id),
    dueAt: manager.dueAt(id),
    capabilities: damage?.kind === 'settings' ? NO_CAPABILITIES : capabilitiesOf(config),
    damage,
  };
  return clientView(facts, now);
}
