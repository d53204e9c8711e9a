/**
 * Creating, editing, copying, exporting and importing clients: editor input → checked ClientConfig
 * (clients.ts) with its keys prepared (oauth/standards/keys.ts), stored through the vault. A client
 * whose settings or secret were damaged is repaired by editing it: its unreadable secret reads as
 * none, and the user enters it again.
 */
import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { ClientInput } from '../model/schemas';
import type { ClientConfig } from '../model/types';
import { defaultBaseUrl, providerInfos } from '../oauth/presets';
import type { FlowDeps } from '../oauth/flows';
import { discoverMetadata, settingsFromMetadata } from '../oauth/standards/discovery';
import { prepareClient } from '../oauth/standards/keys';
import type { ClientRecord, Vault } from '../tokens/vault';
import { exportClients, parseClientExport } from '../import/tokendesk';
import { buildClient, secretRequired, uniqueName } from './clients';

export class ClientEditor {
  readonly #vault: Vault;
  readonly #now: () => number;

  constructor(vault: Vault, now: () => number) {
    this.#vault = vault;
    this.#now = now;
  }

  /** Creates a client (its secrets sealed by the vault) and returns its id. */
  async create(input: ClientInput, opts: { sandbox?: boolean } = {}): Promise<string> {
    const built = this.#build(input, null, false);
    const { config, secrets } = await prepareClient(
      { ...built, sandbox: opts.sandbox ?? false },
      { clientSecret: input.clientSecret ?? null, password: input.password ?? null },
      input,
    );
    await this.#vault.transaction(() => this.#vault.putClient(config, secrets));
    return config.id;
  }

  async update(existing: ClientRecord, input: ClientInput): Promise<string> {
    const secrets = this.#vault.readableSecrets(existing.id);
    // What went wrong with a secret that did not open is settled once it is entered again.
    const resetStatus = this.#vault.damage(existing.id)?.kind === 'secret';
    const { config, secrets: next } = await prepareClient(
      this.#build(input, existing.config, secrets.clientSecret !== null),
      {
        ...secrets,
        clientSecret: input.clientSecret === undefined ? secrets.clientSecret : input.clientSecret,
        password: input.password === undefined ? secrets.password : input.password,
      },
      input,
    );
    // A token belongs to the client id and server it came from: editing either forgets it.
    const was = existing.config;
    const forgetToken = existing.damage !== null || config.clientId !== was.clientId || config.baseUrl !== was.baseUrl || config.provider !== was.provider;
    await this.#vault.transaction(() => this.#vault.putClient(config, next, { forgetToken, resetStatus }));
    return existing.id;
  }

  async duplicate(sourceId: string): Promise<string> {
    const source = this.#vault.config(sourceId);
    const now = new Date(this.#now()).toISOString();
    // No sinks: two clients writing one file would overwrite each other's token.
    const copy: ClientConfig = { ...structuredClone(source), id: randomUUID(), sinks: [], createdAt: now, updatedAt: now };
    await this.#vault.transaction(() => this.#vault.copyClient(source.id, { ...copy, name: uniqueName(`${source.name} copy`, this.#vault.names()) }));
    return copy.id;
  }

  /** Every readable client when `records` is undefined; secrets that do not open are left out. */
  export(records: ClientRecord[] | undefined, includeSecrets: boolean): string {
    const chosen = records ?? this.#vault.records().filter((record) => !record.damage);
    return exportClients(chosen.map(({ id, config }) => ({ config, secrets: includeSecrets ? this.#vault.readableSecrets(id) : null })));
  }

  /** Imports every client of an export, under unique names, in one transaction. */
  async import(json: string): Promise<string[]> {
    const taken = this.#vault.names();
    const inputs = parseClientExport(json).map((input) => {
      const name = uniqueName(input.name, taken);
      taken.add(name);
      return { ...input, name };
    });
    return this.#vault.transaction(async () => {
      const ids: string[] = [];
      for (const input of inputs) ids.push(await this.create(input));
      return ids;
    });
  }

  /** A discovered client's metadata read again from its issuer (RFC 8414): its endpoints follow the server. */
  async rediscover(clientId: string, deps: FlowDeps): Promise<string> {
    const client = this.#vault.config(clientId);
    const issuer = client.generic?.issuer;
    if (!client.generic || !issuer) throw new TokenDeskError('bad_request', msg('not_from_issuer', { name: client.name }));
    const generic = settingsFromMetadata(client.generic, await discoverMetadata(deps, { client, secrets: this.#vault.secrets(clientId) }, issuer));
    const updatedAt = new Date(this.#now()).toISOString();
    await this.#vault.transaction(() => this.#vault.putClient({ ...this.#vault.config(clientId), generic, updatedAt }, undefined));
    return clientId;
  }

  /** The client a new input would make, checked, without saving it (an import preview). */
  check(input: ClientInput): ClientConfig {
    return this.#build(input, null, false);
  }

  #build(input: ClientInput, existing: ClientConfig | null, hadSecret: boolean): ClientConfig {
    const info = providerInfos().find((candidate) => candidate.id === input.provider);
    if (!info) throw new TokenDeskError('bad_request', `Unknown provider: ${input.provider}`);
    const config = buildClient(input, existing, info, {
      id: randomUUID(),
      now: new Date(this.#now()),
      defaultBaseUrl: genericOrigin(input) ?? defaultBaseUrl(input.provider, input.env ?? undefined),
    });
    const hasSecret = input.clientSecret !== undefined ? Boolean(input.clientSecret) : hadSecret;
    if (!hasSecret && secretRequired(info, config)) throw new TokenDeskError('bad_request', `${info.label} needs a client secret.`);
    return config;
  }
}

/** A generic client without a base URL takes its token URL's origin. */
function genericOrigin(input: ClientInput): string | null {
  try {
    return input.provider === 'oauth2' && input.generic ? new URL(input.generic.tokenUrl).origin : null;
  } catch {
    return null;
  }
}
