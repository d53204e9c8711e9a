/**
 * Durations on the command line (`--min-valid 10m`, oidc-agent's `--time`): a whole number with a
 * unit — s, m, h, d — or several in descending order ("1h30m"). A bare number is seconds, as in
 * oidc-agent. No dependencies: the CLI's fast path loads this file.
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ORDER = 'dhms';
/** Far beyond any token lifetime, and well inside Number.MAX_SAFE_INTEGER. */
const MAX_MS = 3650 * UNIT_MS['d']!;

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

/** Milliseconds of "90", "90s", "10m", "1h30m", "2d"; throws DurationError with the accepted forms. */
export function parseDuration(text: string): number {
  const value = text.trim().toLowerCase();
  const help = `use a number with s, m, h or d, such as 90s, 10m, 1h30m or 2d`;
  if (/^\d+$/.test(value)) return checked(Number(value) * UNIT_MS['s']!, text, help);
  if (value === '' || !/^(\d+[dhms])+$/.test(value)) throw new DurationError(`"${text}" is not a duration: ${help}.`);
  let total = 0;
  let last = -1;
  for (const [, amount, unit] of value.matchAll(/(\d+)([dhms])/g)) {
    const rank = ORDER.indexOf(unit!);
    if (rank <= last) throw new DurationError(`"${text}" is not a duration: give each unit once, largest first (1h30m), or ${help}.`);
    last = rank;
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return checked(total, text, help);
}

function checked(ms: number, text: string, help: string): number {
  if (!Number.isSafeInteger(ms) || ms > MAX_MS) throw new DurationError(`"${text}" is longer than 3650 days: ${help}.`);
  return ms;
}
