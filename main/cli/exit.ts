/**
 * Exit codes and the one line of stderr a failure gets. Scripts branch on the code, people read
 * the line: it says what happened, what the provider said (as written, Korean included), and what
 * to do next.
 */
import { escapeControl } from '../model/limits';
import { format, type MessageText } from '../model/messages';
import type { ErrorCode } from '../model/types';
import { UsageError } from './args';

export const EXIT = {
  ok: 0,
  /** Bad arguments, unknown client, an operation the client does not support, a local problem. */
  usage: 1,
  needsSignIn: 2,
  providerRejected: 3,
  network: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The core's error codes → the contract's exit codes.
 * - invalid_grant: the refresh token or code is dead; only a new sign-in helps → 2.
 * - state_mismatch, cancelled (the provider redirected back with `error=…`, e.g. the user denied
 *   consent) and invalid_response (an HTML page, a body that is not JSON) are the provider's
 *   answer, not ours → 3.
 * - storage (a key held by the OS keychain in standalone mode, an unreadable store) and internal
 *   are local problems the user fixes by running the command differently → 1.
 * - rate_limited (TokenDesk held back a provider call, the per-client ceiling) passes with time,
 *   like the network → 4.
 */
const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  bad_request: EXIT.usage,
  untrusted_sender: EXIT.usage,
  not_found: EXIT.usage,
  conflict: EXIT.usage,
  unsupported: EXIT.usage,
  storage: EXIT.usage,
  internal: EXIT.usage,
  needs_signin: EXIT.needsSignIn,
  invalid_grant: EXIT.needsSignIn,
  provider_rejected: EXIT.providerRejected,
  invalid_response: EXIT.providerRejected,
  state_mismatch: EXIT.providerRejected,
  cancelled: EXIT.providerRejected,
  network: EXIT.network,
  timeout: EXIT.network,
  tls: EXIT.network,
  rate_limited: EXIT.network,
};

/** A failure of the command line itself (not of the core), with its exit code; a message code when it has one. */
export class CliError extends Error {
  readonly text: MessageText | undefined;
  constructor(
    message: string | MessageText,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(typeof message === 'string' ? message : format(message));
    this.name = 'CliError';
    this.text = typeof message === 'string' ? undefined : message;
  }
}

interface CoreErrorLike {
  code: ErrorCode;
  message: string;
  providerMessage?: string | undefined;
  rawBody?: string | undefined;
}

function isCoreError(error: unknown): error is CoreErrorLike {
  return error instanceof Error && error.name === 'TokenDeskError' && typeof (error as { code?: unknown }).code === 'string';
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CliError) return error.exitCode;
  if (isCoreError(error)) return EXIT_BY_CODE[error.code] ?? EXIT.usage;
  return EXIT.usage;
}

const RAW_BODY_CHARS = 300;

/** The single stderr line for a failure. */
export function errorLine(error: unknown): string {
  let line: string;
  if (error instanceof UsageError || error instanceof CliError) line = error.message;
  else if (isCoreError(error)) {
    line = error.message;
    if (error.providerMessage && !line.includes(error.providerMessage)) line += ` Provider said: ${error.providerMessage}`;
    else if (!error.providerMessage && error.code === 'invalid_response' && error.rawBody && !line.includes(error.rawBody)) {
      const body = error.rawBody.length > RAW_BODY_CHARS ? `${error.rawBody.slice(0, RAW_BODY_CHARS)}…` : error.rawBody;
      line += ` Response body: ${body}`;
    }
  } else line = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  // One line, whatever the provider (or a client's name) sent, and no escape sequence reaches the terminal.
  return `tokendesk: ${escapeControl(line.replace(/\s*[\r\n]+\s*/g, ' ').trim())}`;
}
