/**
 * Secrets at rest: every secret-bearing value in the store is sealed with AES-256-GCM under one
 * random 32-byte data key. The data key is wrapped by the OS keychain (Electron's safeStorage,
 * passed in by the shell) or, without a usable keychain, kept in a 0600 key file.
 * Not Bruno's AES-CBC with a zero IV (its fixed IV makes equal values seal alike): a fresh 12-byte IV per value and an auth tag.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TokenDeskError } from '../model/errors';
import { createFileAtomic, ensurePrivateDir, writeFileAtomic } from './files';

/** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export type Sealed = string;

/** What the shell hands in: Electron's async safeStorage API behind it. */
export interface Keychain {
  /** e.g. 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet5', 'basic_text'. */
  backend: string;
  /** True when the backend stores keys as good as in plain text (Linux `basic_text`). */
  plaintextEquivalent: boolean;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

export type KeyProtection = 'keychain' | 'file';

export interface Keyring {
  protection: KeyProtection;
  /** A lasting warning for the UI, null when the key is wrapped by a real keychain. */
  warning: string | null;
  seal(plain: string): Sealed;
  /** Throws TokenDeskError('storage') for a value that is tampered with or sealed under another key. */
  open(sealed: Sealed): string;
}

type KeyFile =
  | { version: 1; kind: 'keychain'; backend: string; wrapped: string }
  | { version: 1; kind: 'file'; key: string };

export const KEY_FILE_NAME = 'key.json';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

export const FILE_KEY_WARNING =
  'No OS keychain is available, so the key that encrypts your tokens is kept in a file readable only by your user account (key.json in the data directory). Anyone who can read your files can read your tokens.';
export const PLAINTEXT_KEYCHAIN_WARNING = (backend: string): string =>
  `The OS keychain backend "${backend}" stores keys as plain text, so the key that encrypts your tokens is kept in a file readable only by your user account (key.json in the data directory). Install and unlock a keyring (GNOME Keyring or KWallet) for stronger protection.`;
export const KEYCHAIN_REQUIRED_MESSAGE =
  "This data directory's key is held by the OS keychain through the TokenDesk app; run the app, or use the app's agent mode (the command line talks to the running app), to use it from here.";

export async function openKeyring(opts: { dataDir: string; keychain?: Keychain | null }): Promise<Keyring> {
  const { dataDir } = opts;
  const keychain = opts.keychain && !opts.keychain.plaintextEquivalent ? opts.keychain : null;
  const fileWarning = opts.keychain?.plaintextEquivalent
    ? PLAINTEXT_KEYCHAIN_WARNING(opts.keychain.backend)
    : FILE_KEY_WARNING;
  ensurePrivateDir(dataDir);
  const keyPath = path.join(dataDir, KEY_FILE_NAME);

  let stored = readKeyFile(keyPath);
  if (stored === null) {
    const key = randomBytes(KEY_BYTES);
    const created = await keyFileFor(key, keychain);
    // Two processes opening a fresh directory at once: only one key file wins, both use it.
    if (!createFileAtomic(keyPath, JSON.stringify(created))) stored = readKeyFile(keyPath);
    else stored = created;
    if (stored === null) throw keyFileError(keyPath, 'it disappeared while it was being created');
  }

  if (stored.kind === 'keychain') {
    if (opts.keychain === undefined || opts.keychain === null) {
      throw new TokenDeskError('storage', KEYCHAIN_REQUIRED_MESSAGE);
    }
    let key: Buffer;
    try {
      key = Buffer.from(await opts.keychain.decrypt(Buffer.from(stored.wrapped, 'base64')), 'base64');
    } catch (cause) {
      throw new TokenDeskError(
        'storage',
        `The OS keychain (${opts.keychain.backend}) could not unlock this data directory's key (it was wrapped by "${stored.backend}"). Unlock your keychain and try again; if the keychain was reset, the stored tokens cannot be recovered: remove ${keyPath} and sign in again.`,
        { cause },
      );
    }
    if (key.length !== KEY_BYTES) throw keyFileError(keyPath, 'the keychain returned a key of the wrong length');
    return keyring(key, 'keychain', null);
  }

  const key = Buffer.from(stored.key, 'base64url');
  if (key.length !== KEY_BYTES) throw keyFileError(keyPath, 'the key has the wrong length');
  if (keychain) {
    // A directory first used without a keychain (the command line, standalone) is moved under the
    // keychain once the app runs with one. Same key, so a concurrent reader of either form is fine.
    writeFileAtomic(keyPath, JSON.stringify(await keyFileFor(key, keychain)));
    return keyring(key, 'keychain', null);
  }
  return keyring(key, 'file', fileWarning);
}

async function keyFileFor(key: Buffer, keychain: Keychain | null): Promise<KeyFile> {
  if (!keychain) return { version: 1, kind: 'file', key: key.toString('base64url') };
  const wrapped = await keychain.encrypt(key.toString('base64'));
  return { version: 1, kind: 'keychain', backend: keychain.backend, wrapped: wrapped.toString('base64') };
}

function readKeyFile(keyPath: string): KeyFile | null {
  let text: string;
  try {
    text = fs.readFileSync(keyPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw keyFileError(keyPath, (error as Error).message, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw keyFileError(keyPath, 'it is not valid JSON', cause);
  }
  const value = parsed as Partial<Record<string, unknown>> | null;
  if (value && value.version === 1 && value.kind === 'file' && typeof value.key === 'string') {
    return { version: 1, kind: 'file', key: value.key };
  }
  if (value && value.version === 1 && value.kind === 'keychain' && typeof value.wrapped === 'string') {
    return { version: 1, kind: 'keychain', backend: String(value.backend ?? 'unknown'), wrapped: value.wrapped };
  }
  throw keyFileError(keyPath, 'its content is not a TokenDesk key');
}

function keyFileError(keyPath: string, why: string, cause?: unknown): TokenDeskError {
  // Never replaced automatically: a new key would make every stored secret unreadable for good.
  return new TokenDeskError(
    'storage',
    `The key file ${keyPath} cannot be used (${why}). Restore it from a backup; if it is lost, remove it and the store, and sign in again.`,
    { cause },
  );
}

function keyring(key: Buffer, protection: KeyProtection, warning: string | null): Keyring {
  return {
    protection,
    warning,
    seal(plain: string): Sealed {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    open(sealed: Sealed): string {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 4 || parts[0] !== FORMAT) {
        throw new TokenDeskError('storage', 'A stored secret is not in a format this TokenDesk can read; sign in again to replace it.');
      }
      const iv = Buffer.from(parts[1] ?? '', 'base64url');
      const tag = Buffer.from(parts[2] ?? '', 'base64url');
      try {
        if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('bad IV or tag length');
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(parts[3] ?? '', 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new TokenDeskError(
          'storage',
          'A stored secret could not be decrypted: it was changed on disk or sealed with another key. Sign in again to replace it.',
          { cause },
        );
      }
    },
  };
}
