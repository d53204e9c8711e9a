/**
 * What main tells the user travels as data: an error (code, status, the provider's own words) or
 * a catalogue key with parameters. Only the view turns it into a sentence, in the UI language.
 */
import type { ErrorInfo } from '../../../main/ipc/contract';
import type { Notice } from '../../../main/ipc/contract';
import type { MessageKey } from './i18n/en';

export type Params = Record<string, string | number>;
export type Message = { key: MessageKey; params?: Params } | { error: ErrorInfo };

/**
 * The app's sentence for a failure. A provider that answers 5xx, or cannot be reached, is
 * unavailable, not rejecting: the request may well be right (issue #13, row 7).
 */
export function errorKey(error: ErrorInfo): MessageKey {
  if (error.code === 'provider_rejected' && error.status !== undefined && error.status >= 500) return 'error.code.unavailable';
  return `error.code.${error.code}`;
}

/** A notice's sentence; 'info' notices have no catalogue entry and keep main's text. */
export function noticeKey(notice: Notice): MessageKey | null {
  return notice.kind === 'info' ? null : `notice.${notice.kind}`;
}
