/**
 * The renderer's only door to main. Everything else receives the TokenDeskApi this module hands
 * out, so a second bridge (a browser door beside Electron's preload) is one more branch in
 * `bridge()`, not a change across the app. Types only from main/**.
 */
import type { IpcResult, TokenDeskApi } from '../../../main/ipc/contract';
import type { ErrorInfo } from '../../../main/ipc/contract';

declare global {
  interface Window {
    tokendesk?: TokenDeskApi;
  }
}

/**
 * The API main exposes to this page: the desktop's preload puts it on window.tokendesk; a tab of
 * `tokendesk ui` (lib/door.ts) loads its HTTP twin, lib/web-bridge.ts, only then.
 */
export async function bridge(): Promise<{ api: TokenDeskApi }> {
  // Wrapped: the HTTP twin answers any property, `then` included, so it must not be awaited itself.
  if (window.tokendesk) return { api: window.tokendesk };
  return { api: (await import('./web-bridge')).webBridge() };
}

/** A failed call: carries the ErrorInfo exactly as main sent it (the provider's words included). */
export class CallError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await pending;
  } catch (error) {
    throw new CallError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

export function errorInfo(error: unknown): ErrorInfo {
  return error instanceof CallError ? error.info : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
