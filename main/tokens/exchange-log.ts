/**
 * The recorded exchanges of each client, beside the store: `exchanges/<clientId>.log`, one sealed
 * exchange a line, newest last. Kept out of store.json on purpose: there, 1,000 clients with 50
 * exchanges each made a 69 MB document that every token save rewrote (about 500 ms a save).
 * An append is one small O_APPEND write; a line cut short by a crash is skipped when read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './files';
import type { Sealed } from './secrets';

/** The last this many exchanges are kept per client. */
export const EXCHANGE_HISTORY_LIMIT = 50;
const SEALED_LINE = /^v\d+\.[\w-]+\.[\w-]+\.[\w-]*$/;

export class ExchangeLog {
  readonly dir: string;
  readonly #limit: number;

  constructor(dataDir: string, limit = EXCHANGE_HISTORY_LIMIT) {
    this.dir = path.join(dataDir, 'exchanges');
    this.#limit = limit;
  }

  /** Callers serialize appends of one data directory (the store lock) so trimming never races. */
  append(clientId: string, sealed: Sealed): void {
    ensurePrivateDir(this.dir);
    const file = this.#file(clientId);
    fs.appendFileSync(file, `${sealed}\n`, { mode: 0o600 });
    const lines = this.#lines(file);
    // Trim in batches: a rewrite every `limit` appends, not on every one.
    if (lines.length >= 2 * this.#limit) writeFileAtomic(file, `${lines.slice(-this.#limit).join('\n')}\n`);
  }

  /** Oldest first, at most `limit`. */
  read(clientId: string): Sealed[] {
    return this.#lines(this.#file(clientId)).slice(-this.#limit);
  }

  remove(clientId: string): void {
    fs.rmSync(this.#file(clientId), { force: true });
  }

  #file(clientId: string): string {
    if (!/^[\w-]{1,200}$/.test(clientId)) throw new Error(`Invalid client id for an exchange log: ${clientId}`);
    return path.join(this.dir, `${clientId}.log`);
  }

  #lines(file: string): Sealed[] {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').filter((line) => SEALED_LINE.test(line));
  }
}
