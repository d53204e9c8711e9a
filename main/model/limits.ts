/**
 * The one set of size limits TokenDesk enforces on what comes in: names, secrets and URLs (the
 * schemas shared by IPC, the agent and the command line), stdin, provider responses, and how much
 * of a raw body an error or an exchange record keeps. Ground floor: imports nothing.
 */

export const LIMITS = {
  /** A client's name, as typed in the editor or on the command line. */
  nameChars: 100,
  /** A name or id used to refer to a client (`tokendesk token NAME`, agent requests). */
  refChars: 200,
  /** A client secret or password. */
  secretChars: 4000,
  /** Any URL: base, token, authorization, redirect. */
  urlChars: 2000,
  /** Everything read from stdin by one command (secrets, a pasted redirect address). */
  stdinBytes: 64 * 1024,
  /** A provider response body, on the wire and once decompressed (a setting; this is the default). */
  responseBytes: 1024 * 1024,
  /** The raw body kept in an error or an exchange record. */
  rawBodyChars: 64 * 1024,
} as const;

/** The longest response limit a user may set: far more than any token response needs. */
export const MAX_RESPONSE_BYTES_SETTING = 64 * 1024 * 1024;

/** The ranges of the numeric settings: the settings schema enforces them, the settings view shows and checks them. */
export const SETTING_RANGES = {
  clipboardClearSeconds: { min: 0, max: 3600 },
  refreshTokenWarnDays: { min: 1, max: 90 },
  maxResponseKiB: { min: 64, max: MAX_RESPONSE_BYTES_SETTING / 1024 },
  requestTimeoutSeconds: { min: 1, max: 300 },
} as const;

const CAPPED = /… \d+ bytes more$/;

/** `text` cut to `max` characters, with a marker saying how many bytes (UTF-8) were left out. */
export function capText(text: string, max: number = LIMITS.rawBodyChars): string {
  if (text.length <= max) return text;
  // Already capped (an error rebuilt from ErrorInfo on the far side of the agent socket).
  if (text.length <= max + 40 && CAPPED.test(text)) return text;
  let end = max;
  // Never split a surrogate pair: half a character would turn into U+FFFD on the way out.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const head = text.slice(0, end);
  return `${head}… ${utf8Length(text) - utf8Length(head)} bytes more`;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** "1 MiB", "64 KiB", "512 bytes": a byte limit as a person reads it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * A name (or any one-line value) safe to print on a terminal: C0/C1 control characters, DEL and the
 * Unicode line and bidi overrides become visible escapes, so a name cannot move the cursor, change
 * colours or forge another line of output.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
