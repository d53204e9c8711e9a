/**
 * The Import dialog's state (issue #14 item 4): a file, a Bruno folder or pasted text is read
 * here, main previews it (and seals any secret in it at once), the user sees every client to be
 * created and everything skipped with its reason, enters the secrets the files lacked, and only
 * then is anything saved. Postman, Insomnia, Bruno, curl and TokenDesk's own export all take
 * this one path, so a secret-less export asks for its secrets instead of failing.
 */
import type { ErrorInfo, ImportPreview } from '../../../main/ipc/contract';
import { errorInfo } from './api';
import type { Desk } from './desk.svelte';

export interface SourceFile {
  path: string;
  text: string;
}

/** What main accepts per file (model/schemas importSourceSchema), and a Bruno folder's bound. */
const MAX_FILE_CHARS = 20_000_000;
const MAX_FOLDER_FILES = 5_000;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** A Bruno folder's files that matter, as the command line reads them (main/cli/cmd-import.ts). */
export const isBrunoFile = (path: string): boolean => path.endsWith('.bru') || path === 'bruno.json';

export class ImportState {
  /** One file, or a Bruno folder's files (paths relative to the folder). */
  files = $state.raw<SourceFile[]>([]);
  /** What the user picked, dropped or pasted, as shown back to them. */
  sourceName = $state('');
  /** A Postman environment export beside a collection. */
  environment = $state.raw<SourceFile | null>(null);
  /** A Bruno folder's environment (environments/NAME.bru), by name. */
  brunoEnvironment = $state('');
  preview = $state.raw<ImportPreview | null>(null);
  /** By candidate index: whether to create it. */
  chosen = $state<Record<number, boolean>>({});
  /** By candidate index: the secrets the files lacked. */
  secrets = $state<Record<number, { clientSecret: string; password: string }>>({});
  error = $state.raw<ErrorInfo | null>(null);
  /** A problem with what was picked, before main saw it (a key of the catalogue). */
  localError = $state<'import.tooLarge' | 'import.tooMany' | 'import.empty' | null>(null);
  working = $state(false);

  constructor(private readonly desk: Desk) {}

  get folder(): boolean {
    return this.files.length > 1 || (this.files.length === 1 && isBrunoFile(this.files[0]!.path));
  }

  get brunoEnvironments(): string[] {
    return this.files.flatMap((file) => /^environments\/([^/]+)\.bru$/.exec(file.path)?.[1] ?? []).sort();
  }

  get selected(): number[] {
    return (this.preview?.clients ?? []).flatMap((_candidate, index) => (this.chosen[index] ? [index] : []));
  }

  /** Every chosen client that needs a secret has one typed. */
  get ready(): boolean {
    const clients = this.preview?.clients ?? [];
    return (
      this.selected.length > 0 &&
      this.selected.every((index) => (!clients[index]!.needsSecret || this.secrets[index]!.clientSecret !== '') && (!clients[index]!.needsPassword || this.secrets[index]!.password !== ''))
    );
  }

  /** A file from the picker or a drop. */
  async readFile(file: File): Promise<void> {
    if (file.size > MAX_FILE_CHARS) return this.#refuse('import.tooLarge');
    this.#use(file.name, [{ path: file.name, text: await file.text() }]);
  }

  /** A folder from the picker (`webkitdirectory`): paths start with the folder's own name. */
  async readFolderFiles(list: File[]): Promise<void> {
    const wanted = list
      .map((file) => ({ file, path: file.webkitRelativePath.split('/').slice(1).join('/') }))
      .filter(({ path }) => isBrunoFile(path.split('/').at(-1) ?? '') && !path.split('/').some((part) => SKIP_DIRS.has(part)));
    if (wanted.length > MAX_FOLDER_FILES) return this.#refuse('import.tooMany');
    if (wanted.some(({ file }) => file.size > MAX_FILE_CHARS)) return this.#refuse('import.tooLarge');
    const name = list[0]?.webkitRelativePath.split('/')[0] ?? '';
    this.#use(name, await Promise.all(wanted.map(async ({ file, path }) => ({ path, text: await file.text() }))));
  }

  /** A drop: one file, a collection with its Postman environment, or a Bruno folder. */
  async readDrop(transfer: DataTransfer): Promise<void> {
    const entries = [...transfer.items].flatMap((item) => item.webkitGetAsEntry() ?? []);
    const folder = entries.find((entry): entry is FileSystemDirectoryEntry => entry.isDirectory);
    if (folder) {
      const files: SourceFile[] = [];
      try {
        await readDirectory(folder, '', files);
      } catch (error) {
        if (error === TOO_MANY) return this.#refuse('import.tooMany');
        if (error === TOO_LARGE) return this.#refuse('import.tooLarge');
        throw error;
      }
      return this.#use(folder.name, files);
    }
    const dropped = [...transfer.files];
    if (dropped.some((file) => file.size > MAX_FILE_CHARS)) return this.#refuse('import.tooLarge');
    const read = await Promise.all(dropped.map(async (file) => ({ path: file.name, text: await file.text() })));
    const environment = read.length === 2 ? read.find((file) => isPostmanEnvironment(file.text)) : undefined;
    const main = read.find((file) => file !== environment);
    if (!main) return this.#refuse('import.empty');
    this.#use(main.path, [main]);
    if (environment) this.environment = environment;
  }

  readPasted(text: string): void {
    if (text.trim() === '') return this.#refuse('import.empty');
    this.#use('', [{ path: 'pasted text', text }]);
  }

  async readEnvironment(file: File | undefined): Promise<void> {
    if (!file) {
      this.environment = null;
      return;
    }
    if (file.size > MAX_FILE_CHARS) return this.#refuse('import.tooLarge');
    this.environment = { path: file.name, text: await file.text() };
  }

  async runPreview(): Promise<void> {
    if (this.files.length === 0) return this.#refuse('import.empty');
    this.working = true;
    this.error = null;
    try {
      // A Bruno environment is named inside the folder; a Postman environment is a file of its own.
      const environment = this.folder ? (this.brunoEnvironment ? { path: this.brunoEnvironment, text: '' } : null) : this.environment;
      const preview = await this.desk.previewImport({ files: this.files, environment });
      this.preview = preview;
      this.chosen = Object.fromEntries(preview.clients.map((_candidate, index) => [index, true]));
      this.secrets = Object.fromEntries(preview.clients.map((_candidate, index) => [index, { clientSecret: '', password: '' }]));
    } catch (error) {
      this.error = errorInfo(error);
    }
    this.working = false;
  }

  /** Creates the chosen clients; true when done. */
  async apply(): Promise<boolean> {
    if (!this.preview || !this.ready) return false;
    this.working = true;
    this.error = null;
    const secrets = Object.fromEntries(
      this.selected.map((index) => {
        const { clientSecret, password } = this.secrets[index]!;
        return [String(index), { ...(clientSecret ? { clientSecret } : {}), ...(password ? { password } : {}) }];
      }),
    );
    try {
      await this.desk.applyImport(this.preview.id, this.selected, secrets);
      this.working = false;
      return true;
    } catch (error) {
      this.error = errorInfo(error);
      this.working = false;
      return false;
    }
  }

  /** Back to picking a source; the preview main keeps expires by itself. */
  back(): void {
    this.preview = null;
    this.error = null;
  }

  #use(name: string, files: SourceFile[]): void {
    this.files = files;
    this.sourceName = name;
    this.localError = files.length === 0 ? 'import.empty' : null;
    this.environment = null;
    this.brunoEnvironment = '';
    this.preview = null;
    this.error = null;
  }

  #refuse(key: NonNullable<ImportState['localError']>): void {
    this.localError = key;
  }
}

const TOO_MANY = Symbol('too many files');
const TOO_LARGE = Symbol('file too large');

/** A dropped folder, read as the command line reads one: .bru files and bruno.json, no node_modules. */
async function readDirectory(directory: FileSystemDirectoryEntry, prefix: string, out: SourceFile[]): Promise<void> {
  const reader = directory.createReader();
  // readEntries answers in batches until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const entry of batch) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) {
        if (!SKIP_DIRS.has(entry.name)) await readDirectory(entry as FileSystemDirectoryEntry, `${path}/`, out);
      } else if (isBrunoFile(entry.name)) {
        if (out.length >= MAX_FOLDER_FILES) throw TOO_MANY;
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        if (file.size > MAX_FILE_CHARS) throw TOO_LARGE;
        out.push({ path, text: await file.text() });
      }
    }
  }
}

/** A Postman environment export: a `values` list and no requests. */
function isPostmanEnvironment(text: string): boolean {
  try {
    const data = JSON.parse(text) as { values?: unknown; item?: unknown };
    return Array.isArray(data.values) && data.item === undefined;
  } catch {
    return false;
  }
}
