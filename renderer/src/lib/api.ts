/** The renderer's only door to main: window.tokendesk (types only from main/**). */
import type { IpcResult, TokenDeskApi } from '../../../main/ipc/contract';
import type { ErrorInfo } from '../../../main/ipc/contract';

declare global {
  interface Window {
    tokendesk: TokenDeskApi;
  }
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
