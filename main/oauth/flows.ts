/**
 * The operations the core calls, for every provider: each looks up the client's preset and runs
 * its operation, or fails with 'unsupported' when the provider has no such thing. Deps first, then
 * plain data; every failure is a TokenDeskError (network, provider, response, input).
 */
import { TokenDeskError } from '../model/errors';
import type { TokenSet } from '../model/types';
import { PRESETS, type PresetOperations } from './presets';
import { itcodeBeginReconsent } from './presets/itcode';
import { podshopBasicHeader } from './presets/podshop';
import type { BeginSignInOptions, FlowDeps, FlowInput, PendingSignIn } from './requests';

export type { BeginSignInOptions, FlowDeps, FlowInput, PendingSignIn } from './requests';

function operation<K extends keyof PresetOperations>(input: FlowInput, name: K, what: string): NonNullable<PresetOperations[K]> {
  const preset = PRESETS[input.client.provider];
  const op = preset[name];
  if (!op) throw new TokenDeskError('unsupported', `${preset.label} clients cannot ${what}.`);
  return op;
}

/** Non-interactive grants: Daou client credentials (RFC 6749 §4.4), POD Shop's Basic exchange, generic client credentials / password (§4.3). */
export async function issueToken(deps: FlowDeps, input: FlowInput): Promise<TokenSet> {
  return operation(input, 'issueToken', 'issue a token without signing in (sign in instead)')(deps, input);
}

/** Authorization code, step 1 (RFC 6749 §4.1.1); itcode: its login URL API. */
export async function beginSignIn(deps: FlowDeps, input: FlowInput, opts: BeginSignInOptions = {}): Promise<PendingSignIn> {
  return operation(input, 'beginSignIn', 'sign in (they issue tokens directly)')(deps, input, opts);
}

/** itcode re-consent (docs/providers.md §4): a pending sign-in whose authorize URL re-prompts. */
export async function beginReconsent(
  deps: FlowDeps,
  input: FlowInput,
  current: TokenSet,
  opts: BeginSignInOptions = {},
): Promise<PendingSignIn> {
  if (input.client.provider !== 'itcode') {
    throw new TokenDeskError('unsupported', `${PRESETS[input.client.provider].label} clients have no re-consent.`);
  }
  return itcodeBeginReconsent(deps, input, current, opts.redirectUri);
}

/** Authorization code, step 2 (RFC 6749 §4.1.2-§4.1.3): the redirect address checked, the code exchanged. */
export async function completeSignIn(deps: FlowDeps, input: FlowInput, pending: PendingSignIn, callbackUrl: string): Promise<TokenSet> {
  if (pending.clientId !== input.client.id) {
    throw new TokenDeskError('state_mismatch', 'This sign-in was started for another client. Sign in again.');
  }
  return operation(input, 'completeSignIn', 'sign in')(deps, input, pending, callbackUrl);
}

/** RFC 6749 §6 (with rotation), or a re-issue where the provider has no refresh token. */
export async function refreshToken(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<TokenSet> {
  return operation(input, 'refreshToken', 'refresh')(deps, input, current);
}

/** RFC 7009 (generic, with a revocation URL); itcode: unlink the account. */
export async function revokeToken(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<void> {
  return operation(input, 'revokeToken', 'revoke tokens')(deps, input, current);
}

/** itcode: POST /oauth2/api/logout. Other providers have nothing remote: the local token is simply forgotten. */
export async function signOut(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<void> {
  const op = PRESETS[input.client.provider].signOut;
  if (op) await op(deps, input, current);
}

/** itcode: GET /oauth2/api/userinfo → `{ email, name, profile, platform }`. */
export async function fetchUserInfo(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<unknown> {
  return operation(input, 'fetchUserInfo', 'show user info')(deps, input, current);
}

/** itcode: PUT /oauth2/api/login/put (Naver and Kakao only). */
export async function reconsentUrl(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<string> {
  return operation(input, 'reconsentUrl', 're-consent')(deps, input, current);
}

/** docs/providers.md §3 "plain Basic": `Basic base64(client_id:client_key)` for POD Shop's direct calls. */
export function basicHeader(input: FlowInput): string {
  if (input.client.provider !== 'podshop') {
    throw new TokenDeskError('unsupported', `${PRESETS[input.client.provider].label} clients have no Basic header to copy.`);
  }
  return podshopBasicHeader(input);
}
