/**
 * Messages travel as codes with parameters (the house rule: text composed in main would stay English in the Korean UI): main composes
 * `{ code, params }` and its English text; the renderer translates the code (its en/ko
 * dictionaries hold `main.<code>`) and falls back to the English `message` for a code it does
 * not know. The English templates below are that fallback and the CLI's text.
 *
 * A parameter may itself be a message (a notice quoting the error that caused it): the renderer
 * translates it the same way, recursively.
 */

export const MESSAGES = {
  client_not_found: 'No client named "{ref}". See the list of clients (tokendesk clients list).',
  client_name_taken: 'A client named "{name}" already exists: choose another name.',
  notice_needs_signin: '"{name}" needs you to sign in again: {reason}',
  notice_refresh_failed: 'Refreshing "{name}" failed: {reason}',
  notice_refresh_failing: 'Refreshing "{name}" failed {failures} times in a row: {reason}',
  notice_refresh_token_expiring: 'The refresh token of "{name}" expires on {when}; sign in again before then to keep refreshing.',
  needs_signin_again: '"{name}" needs you to sign in again.',
  needs_signin_again_because: '"{name}" needs you to sign in again ({reason}).',
  store_recovered: 'Your data file could not be read ({reason}). TokenDesk started with an empty one and kept the old file as a backup.',
  damage_settings: 'The stored settings of "{name}" cannot be read ({reason}): edit the client to fix them, or remove it.',
  damage_secret: 'The client secret of "{name}" is unreadable: enter it again in the client\'s settings.',
  damage_token: 'The stored token of "{name}" cannot be read ({reason}): sign in again to replace it.',
  key_missing:
    'The key that opens your stored secrets ({keyPath}) is gone, while the store still holds secrets sealed with it. Restore key.json from a backup, or start over: the old store is then moved aside, not deleted.',
  refresh_no_new_token: 'The provider returned no new token for "{name}" ({why}). TokenDesk waits before trying again; if this goes on, sign in again.',
  why_same_access_token: 'its answer carried no new access token',
  why_expiry_not_later: 'the new token expires no later than the current one',
  refresh_held_back:
    'TokenDesk held back a refresh of "{name}": it already called the provider {perMinute} times in the last minute, the most it ever does. It tries again after {retryAt}.',
} as const;

export type MessageCode = keyof typeof MESSAGES;
export type MessageParam = string | number | MessageText;
export type MessageParams = Record<string, MessageParam>;

export interface MessageText {
  code: MessageCode;
  params: MessageParams;
}

/** A message by code; `format()` gives its English. */
export function msg(code: MessageCode, params: MessageParams = {}): MessageText {
  return { code, params };
}

/** The English text of a message: `{name}` placeholders filled, nested messages formatted too. */
export function format(text: MessageText): string {
  const template: string = MESSAGES[text.code] ?? text.code;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = text.params[key];
    if (value === undefined) return whole;
    return typeof value === 'object' ? format(value) : String(value);
  });
}

export function isMessageText(value: unknown): value is MessageText {
  return typeof value === 'object' && value !== null && typeof (value as MessageText).code === 'string' && typeof (value as MessageText).params === 'object';
}
