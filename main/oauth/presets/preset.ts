/**
 * What a preset is: data (names, defaults, environments, editor fields, capabilities) plus the
 * operations its provider supports, each written from the shared building blocks with the
 * provider's quirks next to their citation. An operation a provider lacks is simply absent.
 */
import type { Capabilities, ClientConfig, ProviderField, ProviderId, TokenSet } from '../../model/types';
import type { BeginSignInOptions, FlowDeps, FlowInput, PendingSignIn } from '../requests';

export interface PresetOperations {
  issueToken?(deps: FlowDeps, input: FlowInput): Promise<TokenSet>;
  beginSignIn?(deps: FlowDeps, input: FlowInput, opts: BeginSignInOptions): Promise<PendingSignIn>;
  completeSignIn?(deps: FlowDeps, input: FlowInput, pending: PendingSignIn, callbackUrl: string): Promise<TokenSet>;
  refreshToken?(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<TokenSet>;
  revokeToken?(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<void>;
  signOut?(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<void>;
  fetchUserInfo?(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<unknown>;
  reconsentUrl?(deps: FlowDeps, input: FlowInput, current: TokenSet): Promise<string>;
}

export interface PresetEnvironment {
  id: string;
  label: string;
  baseUrl: string;
}

export interface Preset extends PresetOperations {
  id: ProviderId;
  /** The provider's name in messages and the editor. */
  label: string;
  /** The grant, in words, for the editor. */
  grant: string;
  /** The first one is the default. */
  environments: readonly PresetEnvironment[];
  fields: readonly ProviderField[];
  capabilities(client: ClientConfig): Capabilities;
}

export const NO_CAPABILITIES: Capabilities = {
  issue: false,
  signIn: false,
  refresh: false,
  revoke: false,
  signOut: false,
  userInfo: false,
  reconsent: false,
  basicHeader: false,
  device: false,
  introspect: false,
};
