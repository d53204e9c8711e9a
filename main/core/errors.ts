import type { ErrorCode, ErrorInfo } from './types';

/**
 * The one error class of the core. It carries a string `code` (oauth4webapi's habit) so that it
 * survives IPC, the agent socket and the CLI's exit codes as plain data (`toInfo()`).
 */
export class TokenDeskError extends Error {
  readonly code: ErrorCode;
  readonly providerMessage: string | undefined;
  readonly status: number | undefined;
  readonly rawBody: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { providerMessage?: string; status?: number; rawBody?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenDeskError';
    this.code = code;
    this.providerMessage = details.providerMessage;
    this.status = details.status;
    this.rawBody = details.rawBody;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.providerMessage !== undefined) info.providerMessage = this.providerMessage;
    if (this.status !== undefined) info.status = this.status;
    if (this.rawBody !== undefined) info.rawBody = this.rawBody;
    return info;
  }
}

/** Any thrown value as ErrorInfo; unknown errors become 'internal' without leaking their stack. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof TokenDeskError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
