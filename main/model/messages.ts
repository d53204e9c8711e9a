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
  damage_token: 'The stored token of "{name}" could not be decrypted or read ({reason}): sign in again to replace it.',
  key_missing:
    'The key that opens your stored secrets ({keyPath}) is gone, while the store still holds secrets sealed with it. Restore key.json from a backup, or start over (`tokendesk start-over`, or Start over in the app): the old store is then moved aside, not deleted.',
  started_over: 'The key of your old store was gone: TokenDesk started over with an empty store and a new key. The old store is kept, not deleted ({path}).',
  refresh_no_new_token: 'The provider returned no new token for "{name}" ({why}). TokenDesk waits before trying again; if this goes on, sign in again.',
  why_same_access_token: 'its answer carried no new access token',
  why_expiry_not_later: 'the new token expires no later than the current one',
  refresh_held_back:
    'TokenDesk held back a refresh of "{name}": it already called the provider {perMinute} times in the last minute, the most it ever does. It tries again after {retryAt}.',
  import_not_json_or_yaml: '{path} is neither JSON nor YAML ({reason}).',
  import_no_bruno_collection: 'This folder holds no Bruno collection (no bruno.json and no .bru file).',
  import_not_postman_environment: '{path} is not a Postman environment export (it has no "values").',
  import_unknown_format:
    '{path} is not a file TokenDesk imports: a Postman collection (v2.1), an Insomnia export (v4 or v5), a Bruno folder, curl commands or a TokenDesk export.',
  import_export_not_json: 'The file is not valid JSON: {reason}',
  import_export_bad_shape: 'The file is not a TokenDesk client export ({reason}).',
  import_nothing: 'Nothing to import.',
  import_too_many_files: '{path} holds more than {max} Bruno files; import a smaller folder.',
  import_no_such_file: '{path}: no such file or folder.',
  import_secret_not_given: '{what} is needed: type it in a terminal, or give one line per missing secret on stdin, in the order listed. Nothing was imported.',
  skip_bruno_json: 'bruno.json is not valid JSON; the collection is named "collection".',
  skip_bruno_no_environment: 'No environment "{name}" in environments/ (found: {found}).',
  skip_bruno_unreadable: 'Bruno could not read it: {reason}',
  skip_curl_unreadable: 'It could not be read as a shell command: {reason}.',
  skip_curl_no_url: 'It names no URL.',
  skip_curl_no_grant: 'It has no grant_type parameter: it is not a token request.',
  skip_token_url_invalid: 'The token URL "{url}" is not an address.',
  skip_no_token_url: 'It has no token URL.',
  skip_itcode: 'itcode.dev signs in through a social platform, which these settings do not name: add it with "tokendesk clients add NAME --provider itcode --platform …".',
  skip_implicit: 'The implicit grant is not supported (RFC 9700 §2.1.2 says not to use it): use the authorization code grant with PKCE.',
  skip_grant_unsupported: 'The grant "{grant}" is not one TokenDesk issues (client_credentials, authorization_code, password).',
  skip_postman_version: 'Only collection format v2.1 is read: export the collection again as "Collection v2.1".',
  skip_unresolved_env_file: 'uses {names}, which nothing defines: import it together with an environment (--env FILE).',
  skip_unresolved_env_name: 'uses {names}, which nothing defines: import it together with an environment that defines it (--env NAME).',
  skip_unresolved_environment: 'uses {names}, which nothing defines: import it together with the environment that defines it.',
  sink_invalid: 'Invalid sink: {reason}.',
  sink_path_relative: 'A sink\'s file must be an absolute path (got "{path}").',
  sink_dotenv_name: 'A .env sink needs a variable name (letters, digits and _), got "{key}".',
  sink_postman_name: 'A Postman sink needs the name of the environment variable.',
  sink_json_pointer: 'A JSON path is a JSON Pointer such as /auth/token (got "{pointer}").',
  sink_not_json: '{path} is not valid JSON ({reason}); it was left as it was.',
  sink_json_not_object: '{path}: {pointer} goes through a value that is not an object.',
  sink_json_not_index: '{path}: "{part}" is not an array index in {pointer}.',
  sink_not_postman: '{path} is not a Postman environment (no "values" list).',
  sink_dotenv_unquotable: 'No .env quoting keeps this value unchanged (it holds both \' and ` along with ", $, \\ or a line break).',
  sink_folder_missing: 'its folder does not exist ({reason}).',
  sink_not_writable: 'permission denied ({reason}).',
  sink_write_failed: 'writing failed: {reason}',
  sink_file: '{path} (token file)',
  sink_dotenv: '{path} (.env variable {key})',
  sink_json: '{path} (JSON {key})',
  sink_postman: '{path} (Postman variable {key})',
  sink_failure: '{sink}: {reason}',
  sink_list: '{first}; {rest}',
  notice_sink_failed: 'The token of "{name}" was refreshed, but a sink could not be written — {what}',
  notice_sinks_failed: 'The token of "{name}" was refreshed, but {count} sinks could not be written — {what}',
  exec_needs_command: '"exec" needs a command to run after "--".',
  env_unquotable: 'A token cannot be written as {format}: {reason}',
  env_min_valid: '{name}: even a fresh token is valid for {remaining} only, less than --min-valid {minValid}.',
  env_variable_clash: '{owner} and {name} both use the variable {variable}: give one of them its own prefix (--env-prefix).',
  exchange_client_missing: 'A client whose token "{name}" exchanges no longer exists: edit "{name}" and choose the subject (and actor) client again.',
  exchange_cycle: '"{name}" would exchange the token of "{other}", which itself waits on "{name}": choose a subject or actor client that does not exchange it back.',
  exchange_token_unavailable: 'The token exchange of "{name}" needs a valid token of "{other}", which it could not get: {reason}',
  device_expired: 'The code for {server} expired before anyone approved it. Start the device sign-in again.',
  device_denied: 'The sign-in was denied at {server}: nobody is signed in. Start the device sign-in again to retry.',
  device_cancelled: 'The device sign-in was cancelled.',
  issue_signs_in_browser: '{name} signs in through the browser: use Sign in instead of Issue.',
  not_signed_in: '{name} has no token: sign in first.',
  no_access_token: '{name} has no access token.',
  no_refresh_token: '{name} has no refresh token.',
  no_userinfo: '{name} has no user info endpoint.',
  no_introspection: '{name}\'s server offers no token introspection (RFC 7662 introspection_endpoint).',
  not_from_issuer: '{name} was not created from an issuer: enter its endpoints by hand.',
  device_not_offered: '{name} does not sign in with a device code: choose the device_code grant and its server\'s device authorization endpoint.',
  device_not_started: 'No device sign-in of {name} is in progress: start it again.',
  sink_exists: '{name} already writes {what}.',
  sink_not_found: '{name} has no sink "{sink}".',
  sink_ambiguous: '{name} writes {sink} more than once: name the sink by its id.',
  import_preview_gone: 'This import preview is gone (older than 15 minutes, or already imported): read the file again.',
  import_preview_no_entry: 'The preview has no client number {number}.',
  import_needs_secret: '{name} needs its client secret: enter it to import.',
  import_needs_password: '{name} needs the password of {user}: enter it to import.',
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
