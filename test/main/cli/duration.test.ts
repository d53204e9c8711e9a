import { describe, expect, it } from 'vitest';
import { DurationError, parseDuration } from '../../../main/cli/duration';
import { minValidMs, parseArgs, UsageError } from '../../../main/cli/args';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days, alone or combined largest first', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration(' 1D2H ')).toBe(93_600_000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('refuses anything else with the accepted forms in the message', () => {
    const forms = 'use a number with s, m, h or d, such as 90s, 10m, 1h30m or 2d.';
    expect(() => parseDuration('')).toThrow(new DurationError(`"" is not a duration: ${forms}`));
    expect(() => parseDuration('10 minutes')).toThrow(new DurationError(`"10 minutes" is not a duration: ${forms}`));
    expect(() => parseDuration('-5m')).toThrow(new DurationError(`"-5m" is not a duration: ${forms}`));
    expect(() => parseDuration('1.5h')).toThrow(new DurationError(`"1.5h" is not a duration: ${forms}`));
    expect(() => parseDuration('30m1h')).toThrow(
      new DurationError(`"30m1h" is not a duration: give each unit once, largest first (1h30m), or ${forms}`),
    );
    expect(() => parseDuration('5m5m')).toThrow(DurationError);
    expect(() => parseDuration('3651d')).toThrow(new DurationError(`"3651d" is longer than 3650 days: ${forms}`));
  });
});

describe('token --min-valid', () => {
  it('is parsed by the grammar and checked there', () => {
    expect(parseArgs(['token', 'api', '--min-valid', '10m']).flags).toEqual({ 'min-valid': '10m' });
    expect(minValidMs('10m')).toBe(600_000);
    expect(minValidMs(undefined)).toBe(0);
    expect(() => parseArgs(['token', 'api', '--min-valid', 'soon'])).toThrow(
      new UsageError('--min-valid: "soon" is not a duration: use a number with s, m, h or d, such as 90s, 10m, 1h30m or 2d.'),
    );
    expect(() => parseArgs(['status', '--min-valid', '10m'])).toThrow(new UsageError('"status" has no option --min-valid; run "tokendesk --help".'));
  });
});
