/**
 * The Electron services the plain-Node core receives as parameters: the OS keychain (safeStorage,
 * async API), the clipboard, desktop notifications, the system browser.
 */
import { clipboard, dialog, Notification, safeStorage, shell } from 'electron';
import type { Keychain } from '../tokens/secrets';

/** null when no keychain is usable; the core then keeps its data key in a 0600 key file and says so. */
export async function electronKeychain(): Promise<Keychain | null> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform;
  return {
    backend,
    // Linux without a secret service: safeStorage "encrypts" with a hard-coded key.
    plaintextEquivalent: backend === 'basic_text' || backend === 'unknown',
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (data) => (await safeStorage.decryptStringAsync(data)).result,
  };
}

/**
 * The key that opens the store is gone (issue #11): ask before anything is moved. True when the
 * user chooses to start over (the old store is moved aside, not deleted); false to quit and restore
 * key.json from a backup first.
 */
export async function askStartOver(message: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'TokenDesk',
    message: 'TokenDesk cannot open your stored secrets',
    detail: message,
    buttons: ['Quit', 'Start over'],
    defaultId: 0,
    cancelId: 0,
  });
  return response === 1;
}

/** Write to the clipboard; clear it later if it still holds what we wrote. */
export function copyToClipboard(text: string, clearAfterSeconds: number): void {
  const warn = (what: string) => (error: unknown) => console.warn(`TokenDesk: the clipboard could not be ${what}: ${String(error)}`);
  clipboard.writeText(text).catch(warn('written'));
  if (clearAfterSeconds <= 0) return;
  setTimeout(() => {
    clipboard
      .readText()
      .then((current) => {
        if (current === text) clipboard.clear();
      })
      .catch(warn('cleared'));
  }, clearAfterSeconds * 1000).unref();
}

export function showNotification(title: string, body: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  notification.on('click', onClick);
  notification.show();
}

export async function openExternal(url: string): Promise<void> {
  const { protocol } = new URL(url);
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`Refusing to open ${protocol} address`);
  await shell.openExternal(url);
}
