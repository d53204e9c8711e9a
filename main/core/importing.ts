/**
 * Import from other tools (main/import/): a preview first (what the file held; its secrets sealed
 * at once and kept in memory for 15 minutes), then the chosen clients, created in one transaction
 * once every secret they need is there.
 */
import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { ClientSecrets } from '../model/types';
import type { ImportSource } from '../import';
import { skip, type ImportCandidate, type ImportPreview } from '../import/types';
import { providerInfos } from '../oauth/presets';
import type { Vault } from '../tokens/vault';
import { secretRequired, uniqueName } from './clients';
import type { ClientEditor } from './editing';

const PENDING_IMPORT_MS = 15 * 60_000;

export interface ApplyImportOptions {
  /** Indexes of the preview's clients to create; all by default. */
  only?: number[];
  /** Secrets the file lacked, by index. */
  secrets?: Record<string, { clientSecret?: string; password?: string }>;
}

interface PendingImport {
  createdAt: number;
  entries: { candidate: ImportCandidate; sealed: string }[];
}

export class PendingImports {
  readonly #pending = new Map<string, PendingImport>();

  constructor(
    private readonly vault: Vault,
    private readonly editor: ClientEditor,
    private readonly now: () => number,
  ) {}

  /**
   * Reads a Postman, Insomnia, Bruno, curl or TokenDesk file; nothing is saved yet. The readers
   * load on first use: the Bruno grammar alone (ohm-js) costs seconds, which every other command
   * line call would otherwise pay.
   */
  async preview(source: ImportSource): Promise<ImportPreview> {
    const { readImport } = await import('../import');
    const read = readImport(source);
    const taken = this.vault.names();
    const pending: PendingImport = { createdAt: this.now(), entries: [] };
    const clients: ImportCandidate[] = [];
    for (const { input, sources } of read.inputs) {
      const { clientSecret, password, ...settings } = input;
      const name = uniqueName(settings.name, taken);
      let config;
      try {
        // With a stand-in secret: a missing one is asked for, every other gap is a reason to skip.
        config = this.editor.check({ ...settings, name, clientSecret: 'stand-in' });
      } catch (error) {
        const source = sources.join('; ');
        read.skipped.push(error instanceof TokenDeskError && error.text ? skip(source, error.text) : { source, reason: (error as Error).message });
        continue;
      }
      taken.add(name);
      const info = providerInfos().find((candidate) => candidate.id === config.provider)!;
      const candidate: ImportCandidate = {
        input: { ...settings, name },
        sources,
        hasSecret: Boolean(clientSecret),
        hasPassword: Boolean(password),
        needsSecret: !clientSecret && secretRequired(info, config),
        needsPassword: !password && config.generic?.grant === 'password',
      };
      clients.push(candidate);
      pending.entries.push({ candidate, sealed: this.vault.sealSecrets({ clientSecret: clientSecret ?? null, password: password ?? null }) });
    }
    const id = randomUUID();
    this.#pending.set(id, pending);
    return { id, format: read.format, clients, skipped: read.skipped };
  }

  /** Creates the chosen clients; one missing secret stops the whole import, before anything is saved. Returns their ids. */
  async apply(id: string, options: ApplyImportOptions = {}): Promise<string[]> {
    const pending = this.#pending.get(id);
    if (!pending || this.now() - pending.createdAt > PENDING_IMPORT_MS) {
      this.#pending.delete(id);
      throw new TokenDeskError('not_found', msg('import_preview_gone'));
    }
    const chosen = (options.only ?? pending.entries.map((_entry, index) => index)).map((index) => ({ index, entry: pending.entries[index] }));
    const taken = this.vault.names();
    const ready = chosen.map(({ index, entry }) => {
      if (!entry) throw new TokenDeskError('bad_request', msg('import_preview_no_entry', { number: index + 1 }));
      const stored = this.vault.unsealSecrets(entry.sealed);
      const given = options.secrets?.[String(index)] ?? {};
      const secrets: ClientSecrets = { clientSecret: given.clientSecret || stored.clientSecret, password: given.password || stored.password };
      const { candidate } = entry;
      const name = candidate.input.name;
      if (candidate.needsSecret && !secrets.clientSecret) throw new TokenDeskError('bad_request', msg('import_needs_secret', { name }));
      if (candidate.needsPassword && !secrets.password) {
        throw new TokenDeskError('bad_request', msg('import_needs_password', { name, user: candidate.input.generic?.username ?? 'its user' }));
      }
      const unique = uniqueName(name, taken);
      taken.add(unique);
      const input = { ...candidate.input, name: unique, clientSecret: secrets.clientSecret, password: secrets.password };
      // Checked before the transaction: a bad one stops the import with nothing saved.
      this.editor.check(input);
      return input;
    });
    const ids = await this.vault.transaction(async () => {
      const created: string[] = [];
      for (const input of ready) created.push(await this.editor.create(input));
      return created;
    });
    this.#pending.delete(id);
    return ids;
  }
}
