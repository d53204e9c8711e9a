/**
 * The built-in sandbox's clients: created on a first run from the seeds the shell hands in
 * (sandbox/presets.ts), and moved along when the sandbox comes up on another port. The core does
 * not import the sandbox: whoever runs it passes its address and seeds.
 */
import type { ClientInput } from '../model/schemas';
import type { Vault } from '../tokens/vault';

export type SandboxSeed = ClientInput;

export async function adoptSandbox(vault: Vault, url: string, seeds: SandboxSeed[], create: (seed: SandboxSeed) => Promise<string>): Promise<void> {
  const records = vault.records();
  if (records.length === 0 && !vault.settings().sandboxSeeded) {
    for (const seed of seeds) await create(seed);
    await vault.transaction(() => vault.update((doc) => void (doc.settings = { ...doc.settings, sandboxSeeded: true })));
    return;
  }
  const moved = records.filter((record) => record.config.sandbox && !record.damage && !record.config.baseUrl.startsWith(url));
  if (moved.length === 0) return;
  await vault.transaction(() => {
    for (const { config } of vault.records()) {
      if (config.sandbox && moved.some((record) => record.id === config.id)) vault.putClient({ ...config, baseUrl: rebase(config.baseUrl, url) }, undefined);
    }
  });
}

/** The same path on another origin: sandbox clients keep their path when the sandbox's port changes. */
function rebase(address: string, origin: string): string {
  try {
    const url = new URL(address);
    const target = new URL(origin);
    url.protocol = target.protocol;
    url.host = target.host;
    return url.href.replace(/\/$/, '');
  } catch {
    return origin;
  }
}
