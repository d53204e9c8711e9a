/**
 * TokenStore: one JSON document per data directory (store.json), written through conf in plain
 * Node and through electron-store (which is conf) in the app: the shell passes
 * `opts => new ElectronStore(opts)`. Secret-bearing values are Sealed (secrets.ts) before they
 * get here; this file never sees a plaintext secret.
 *
 * How conf 16 writes (node_modules/conf/dist/source/index.js `#writeFile`, atomically 2.1
 * `writeFileSync`, stubborn-fs 2.0), checked for this file:
 * - the store is written to a temp file beside it (`store.json.tmp-<time><random>`), opened with
 *   the file's mode (our configFileMode 0600, so it is never readable by others, not even briefly),
 *   written, fsync'ed (fsyncWait defaults to true), closed, then renamed over store.json: a
 *   reader sees the old or the new document, never half of one. atomically does NOT fsync the
 *   directory after the rename, so we do (fsyncDir) to make the rename itself survive a power cut.
 * - open/write/fsync/rename are retried for up to 1 s (sync API) on EMFILE, ENFILE, EAGAIN,
 *   EBUSY, EACCES and EPERM (Windows antivirus and indexers hold files briefly); a chmod/chown
 *   failing with EPERM/EINVAL is ignored (non-root), which is harmless since the temp file is
 *   created 0600 already.
 * - fallbacks that are NOT atomic: on EXDEV from the rename (seen on Windows,
 *   electron-store#106) and whenever the SNAP environment variable is set (Ubuntu Snap
 *   packaging), conf writes store.json in place with fs.writeFileSync. A kill during such a write
 *   leaves a truncated file, which open() below moves aside as corrupt rather than losing it
 *   silently. Snap packages of TokenDesk should therefore not be shipped without revisiting this.
 * - every whole-store write also re-reads and parses the file once (conf keeps its `__internal__`
 *   bookkeeping), and `cache: false` makes every read go to the file: reload() sees other
 *   processes' writes.
 * - conf's constructor throws on a file it cannot parse (or wipes it with clearInvalidConfig,
 *   which we never set), so the file is checked here first and a bad one is moved aside.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { TokenDeskError } from '../model/errors';
import { DEFAULT_SETTINGS } from '../model/defaults';
import { errorInfoSchema, settingsSchema, type Settings } from '../model/schemas';
import type { ErrorInfo, Notice } from '../model/types';
import { ensurePrivateDir, fsyncDir } from './files';
import type { Sealed } from './secrets';

export const SCHEMA_VERSION = 1;
export const STORE_NAME = 'store';

export interface ClientStatus {
  needsSignIn: boolean;
  lastError: ErrorInfo | null;
  /** Consecutive failed refreshes. */
  failures: number;
}

/**
 * The document as stored. Clients, secrets and tokens are kept as read (unknown): each is checked
 * on its own, when it is used (vault.ts), so one bad value is that client's damage and never makes
 * the whole store unreadable.
 */
export interface StoreDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  /** ClientConfig, once vault.ts has checked it. */
  clients: unknown[];
  /** Sealed JSON of ClientSecrets (as written; a value read from disk may be anything, vault.ts checks). */
  secrets: Record<string, Sealed>;
  /** Sealed JSON of TokenSet (likewise). */
  tokens: Record<string, Sealed>;
  status: Record<string, ClientStatus>;
  settings: Settings;
  notices: Notice[];
}

/** What the store needs of conf / electron-store. */
export interface StoreBackend {
  readonly path: string;
  store: Record<string, unknown>;
}
export interface StoreBackendOptions {
  cwd: string;
  /** electron-store's name for configName (it overwrites configName with it). */
  name: string;
  configName: string;
  fileExtension: 'json';
  configFileMode: number;
  clearInvalidConfig: false;
  cache: false;
  watch: false;
  accessPropertiesByDotNotation: false;
  serialize: (value: Record<string, unknown>) => string;
}
export type StoreBackendFactory = (options: StoreBackendOptions) => StoreBackend;

export const confBackend: StoreBackendFactory = (options) => new Conf<Record<string, unknown>>(options);

export interface StoreRecovery {
  backupPath: string;
  reason: string;
}

export const emptyDocument = (): StoreDocument => ({
  schemaVersion: SCHEMA_VERSION,
  clients: [],
  secrets: {},
  tokens: {},
  status: {},
  settings: structuredClone(DEFAULT_SETTINGS),
  notices: [],
});

type RawDocument = Record<string, unknown>;

/** Migration to version N takes a version N-1 document. Each step is pure. */
export const MIGRATIONS: Record<number, (doc: RawDocument) => RawDocument> = {
  // v0, the pre-release layout: no schemaVersion, exchanges kept as one array per client in
  // plain JSON under `history` (dropped: unsealed; exchanges now live in exchange-log.ts files),
  // no status, no notices.
  1: (v0) => {
    const { history: _history, ...rest } = v0;
    return { ...rest, schemaVersion: 1, status: {}, notices: [], settings: v0.settings ?? DEFAULT_SETTINGS };
  },
};

/** The document's frame only: what is inside clients, secrets and tokens is checked per client (vault.ts). */
const documentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  clients: z.array(z.unknown()),
  secrets: z.record(z.string(), z.unknown()),
  tokens: z.record(z.string(), z.unknown()),
  status: z.record(z.string(), z.unknown()),
  settings: z.unknown(),
  notices: z.array(z.unknown()),
});
const statusSchema = z.object({ needsSignIn: z.boolean(), lastError: errorInfoSchema.nullable(), failures: z.number().int().min(0) });
const noticeSchema = z.looseObject({
  id: z.string(),
  clientId: z.string().nullable(),
  kind: z.enum(['needs_signin', 'refresh_failing', 'refresh_token_expiring', 'sink_failed', 'info']),
  message: z.string(),
  at: z.number(),
});

class InvalidStore extends Error {}

export class TokenStore {
  readonly dataDir: string;
  readonly path: string;
  readonly #backend: StoreBackend;
  #doc: StoreDocument;
  #recovered: StoreRecovery | null;
  /** The stat of the file as last read or written (see reload). */
  #identity: string | null = null;
  #revision = 0;

  private constructor(dataDir: string, backend: StoreBackend, doc: StoreDocument, recovered: StoreRecovery | null) {
    this.dataDir = dataDir;
    this.#backend = backend;
    this.path = backend.path;
    this.#doc = doc;
    this.#recovered = recovered;
  }

  /** Opens (creating, migrating or recovering) the store of a data directory. */
  static open(opts: { dataDir: string; backend?: StoreBackendFactory }): TokenStore {
    const dataDir = path.resolve(opts.dataDir);
    ensurePrivateDir(dataDir);
    const file = path.join(dataDir, `${STORE_NAME}.json`);
    removeStaleTempFiles(file);

    let recovered: StoreRecovery | null = null;
    let doc: StoreDocument | null = null;
    let migratedFrom: number | null = null;
    // Taken before the read: a write landing in between makes the next reload() read again.
    const identity = fileIdentity(file);
    const text = readStoreText(file);
    if (text !== null) {
      try {
        const raw = parseJson(text);
        doc = toDocument(raw);
        if (versionOf(raw) < SCHEMA_VERSION) migratedFrom = versionOf(raw);
      } catch (error) {
        if (!(error instanceof InvalidStore)) throw error;
        recovered = moveAside(file, error.message);
      }
    }
    if (migratedFrom !== null) {
      fs.copyFileSync(file, path.join(dataDir, `${STORE_NAME}.v${migratedFrom}-${stamp()}.json`));
    }
    const backend = (opts.backend ?? confBackend)({
      cwd: dataDir,
      name: STORE_NAME,
      configName: STORE_NAME,
      fileExtension: 'json',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      cache: false,
      watch: false,
      accessPropertiesByDotNotation: false,
      serialize: (value) => JSON.stringify(value),
    });
    const store = new TokenStore(dataDir, backend, doc ?? emptyDocument(), recovered);
    if (doc === null || migratedFrom !== null) store.#write();
    else store.#identity = identity;
    return store;
  }

  /** Set when the store file could not be read and was moved aside: the app tells the user. */
  get recovered(): StoreRecovery | null {
    return this.#recovered;
  }

  /** Changes whenever the document does: each write, and each re-read of a changed file. */
  get revision(): number {
    return this.#revision;
  }

  /** The document as last read or written. Treat as read-only; change it through update(). */
  get document(): Readonly<StoreDocument> {
    return this.#doc;
  }

  /** Re-reads the file (another process may have written it): the lock holder calls this first. */
  reload(opts: { force?: boolean } = {}): void {
    // An atomic write replaces the file (new inode, new ctime): an unchanged stat is an unchanged
    // document, and a large store is not parsed again for nothing.
    const identity = fileIdentity(this.path);
    if (!opts.force && identity !== null && identity === this.#identity) return;
    let raw: unknown;
    try {
      raw = this.#backend.store;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw storageError(this.path, error);
      this.#recoverFrom(`it is not valid JSON (${error.message})`);
      return;
    }
    try {
      this.#doc = toDocument(raw);
      this.#identity = identity;
      this.#revision++;
    } catch (error) {
      if (!(error instanceof InvalidStore)) throw error;
      this.#recoverFrom(error.message);
    }
  }

  /** Applies a change to the document and writes it (atomically) before returning. */
  update(change: (doc: StoreDocument) => void): void {
    try {
      change(this.#doc);
      this.#write();
    } catch (error) {
      // The file still holds the previous document: go back to it rather than keep an unsaved change.
      this.reload({ force: true });
      throw storageError(this.path, error);
    }
  }

  status(clientId: string): ClientStatus {
    return this.#doc.status[clientId] ?? { needsSignIn: false, lastError: null, failures: 0 };
  }

  #write(): void {
    this.#revision++;
    this.#backend.store = this.#doc as unknown as Record<string, unknown>;
    fsyncDir(this.dataDir);
    this.#identity = fileIdentity(this.path);
  }

  #recoverFrom(reason: string): void {
    this.#recovered = moveAside(this.path, reason);
    this.#doc = emptyDocument();
    this.#write();
  }
}

function fileIdentity(file: string): string | null {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

function readStoreText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Permissions, I/O errors: moving the file aside would not help, and it may be fine.
    throw storageError(file, error);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidStore(`it is not valid JSON (${(error as Error).message})`);
  }
}

function versionOf(raw: unknown): number {
  const version = (raw as RawDocument | null)?.schemaVersion;
  return typeof version === 'number' ? version : 0;
}

/** Migrates and checks a parsed document. Throws InvalidStore for anything that is not a store. */
function toDocument(raw: unknown): StoreDocument {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidStore('it does not hold a TokenDesk store (not a JSON object)');
  }
  let doc = raw as RawDocument;
  const version = versionOf(doc);
  if (!Number.isInteger(version) || version < 0) throw new InvalidStore(`its schemaVersion ${String(doc.schemaVersion)} is not valid`);
  if (version > SCHEMA_VERSION) {
    throw new TokenDeskError(
      'storage',
      `The store was written by a newer TokenDesk (store format ${version}, this version reads up to ${SCHEMA_VERSION}). Update TokenDesk to open it.`,
    );
  }
  for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
    const migrate = MIGRATIONS[next];
    if (!migrate) throw new Error(`No store migration to version ${next}`);
    doc = migrate(doc);
  }
  const checked = documentSchema.safeParse(doc);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InvalidStore(`it does not have the shape of a TokenDesk store (${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'})`);
  }
  const settings = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(checked.data.settings as object | null) });
  // A bad status or notice is bookkeeping, not data: it is dropped (the client reads as "no failures").
  const status: Record<string, ClientStatus> = {};
  for (const [id, value] of Object.entries(checked.data.status)) {
    const parsed = statusSchema.safeParse(value);
    if (parsed.success) status[id] = parsed.data as ClientStatus;
  }
  return {
    ...checked.data,
    // Kept as read: vault.ts checks each value when it opens it.
    secrets: checked.data.secrets as Record<string, Sealed>,
    tokens: checked.data.tokens as Record<string, Sealed>,
    schemaVersion: SCHEMA_VERSION,
    status,
    notices: checked.data.notices.filter((notice): notice is Notice => noticeSchema.safeParse(notice).success),
    settings: settings.success ? settings.data : structuredClone(DEFAULT_SETTINGS),
  };
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Keeps the unreadable file, byte for byte, as `<name>.corrupt-<timestamp>.json`. */
function moveAside(file: string, reason: string): StoreRecovery {
  const dir = path.dirname(file);
  const base = path.basename(file, '.json');
  let backupPath = path.join(dir, `${base}.corrupt-${stamp()}.json`);
  for (let n = 1; fs.existsSync(backupPath); n++) backupPath = path.join(dir, `${base}.corrupt-${stamp()}-${n}.json`);
  fs.renameSync(file, backupPath);
  if (process.platform !== 'win32') fs.chmodSync(backupPath, 0o600);
  fsyncDir(dir);
  console.warn(`TokenDesk: the store ${file} could not be read (${reason}); it was moved to ${backupPath} and an empty store was started.`);
  return { backupPath, reason };
}

/** Temp files a killed writer left behind (atomically names them `<file>.tmp-<10 digits><6 hex>`). */
function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.tmp-`;
  const cutoff = Date.now() - 60_000;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const temp = path.join(dir, name);
    try {
      // Only old ones: a young one may be another process's write in flight.
      if (fs.statSync(temp).mtimeMs < cutoff) fs.rmSync(temp, { force: true });
    } catch {
      // Gone already.
    }
  }
}

function storageError(file: string, cause: unknown): TokenDeskError {
  if (cause instanceof TokenDeskError) return cause;
  return new TokenDeskError('storage', `Could not read or write the store ${file}: ${(cause as Error).message}. Check the disk and the file's permissions, then try again.`, { cause });
}
