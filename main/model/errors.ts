import { format, type MessageText } from './messages';
import { capText } from './limits';
import type { ErrorCode, ErrorInfo, SignInRefusal } from './types';

export interface ErrorDetails {
  providerMessage?: string;
  status?: number;
  rawBody?: string;
  cause?: unknown;
  /** A sign-in refused by its own security checks (kept in main: the exchange record shows it). */
  refusal?: SignInRefusal;
}

/**
 * The one error class of the core. It carries a string `code` (oauth4webapi's habit) so that it
 * survives IPC, the agent socket and the CLI's exit codes as plain data (`toInfo()`). The message
 * is English text, or a MessageText (code + parameters) the renderer translates.
 */
export class TokenDeskError extends Error {
  readonly code: ErrorCode;
  readonly text: MessageText | undefined;
  readonly providerMessage: string | undefined;
  readonly status: number | undefined;
  readonly rawBody: string | undefined;
  readonly refusal: SignInRefusal | undefined;

  constructor(code: ErrorCode, message: string | MessageText, details: ErrorDetails = {}) {
    super(typeof message === 'string' ? message : format(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenDeskError';
    this.code = code;
    this.text = typeof message === 'string' ? undefined : message;
    this.providerMessage = details.providerMessage;
    this.status = details.status;
    // A provider's body can be megabytes; the error travels to the store, the log and the screen.
    this.rawBody = details.rawBody === undefined ? undefined : capText(details.rawBody);
    this.refusal = details.refusal;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.text !== undefined) info.text = this.text;
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

/** What a message quoting an error passes as its parameter: the error's own code when it has one. */
export function reasonOf(info: ErrorInfo): string | MessageText {
  return info.text ?? info.message;
}

/** A caught error as a message parameter: its code when it has one, else its own words. */
export function reasonText(error: unknown): string | MessageText {
  if (error instanceof TokenDeskError) return error.text ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
