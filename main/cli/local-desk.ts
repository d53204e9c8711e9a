/**
 * Standalone mode: this process opens the data directory itself with the full core (the HTTP
 * stack, the store, the lock). Loaded by dynamic import only, so `tokendesk token` with a valid
 * token never pays for it.
 */
import { TokenDesk } from '../core/desk';
import { AGENT_METHODS } from '../agent/protocol';
import type { CliDesk } from '../agent/client';

export async function openLocalDesk(dataDir: string, version: string): Promise<CliDesk> {
  // No keychain under plain Node: a directory whose key the app's keychain holds fails here with
  // TokenDeskError('storage'), which says to use the app.
  const desk = await TokenDesk.open({ dataDir, background: false, version });
  const cli: Record<string, unknown> = { close: () => desk.close() };
  for (const method of AGENT_METHODS) {
    const call = desk[method] as (...args: unknown[]) => unknown;
    cli[method] = async (...args: unknown[]) => call.apply(desk, args);
  }
  return cli as CliDesk;
}
