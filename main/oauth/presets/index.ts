/**
 * Every preset by provider id, and what the editor and the core ask of them.
 */
import type { Capabilities, ClientConfig, PodShopEnv, ProviderId, ProviderInfo } from '../../model/types';
import { daouofficePreset } from './daouoffice';
import { hejhomePreset } from './hejhome';
import { itcodePreset } from './itcode';
import { oauth2Preset } from './oauth2';
import { PODSHOP_DOCUMENTED_BASE_URL, podshopPreset } from './podshop';
import type { Preset } from './preset';

export type { Preset, PresetOperations, PresetEnvironment } from './preset';

export const PRESETS: Record<ProviderId, Preset> = {
  hejhome: hejhomePreset,
  daouoffice: daouofficePreset,
  podshop: podshopPreset,
  itcode: itcodePreset,
  oauth2: oauth2Preset,
};

export function capabilitiesOf(client: ClientConfig): Capabilities {
  return PRESETS[client.provider].capabilities(client);
}

/** What the client editor shows for each provider (contract.ts ProviderInfo). */
export function providerInfos(): ProviderInfo[] {
  return Object.values(PRESETS).map((preset) => ({
    id: preset.id,
    label: preset.label,
    grant: preset.grant,
    fields: preset.fields.map((field) => ({ ...field })),
    environments: preset.environments.map((env) => ({ ...env })),
  }));
}

/**
 * The preset's base URL; '' for the generic client. POD Shop documents only its dev host: a
 * client marked 'prod' has no default (docs/providers.md §3), its address is typed by the user.
 */
export function defaultBaseUrl(provider: ProviderId, env?: PodShopEnv | null): string {
  if (provider === 'podshop') return env === 'prod' ? '' : PODSHOP_DOCUMENTED_BASE_URL;
  return PRESETS[provider].environments[0]?.baseUrl ?? '';
}
