import { describe, expect, test } from 'vitest';
import { durationParts, formatDuration, highlightJson, prettyJson, remainingFraction } from '../../renderer/src/lib/format';

describe('durations', () => {
  test('keep the two most significant units', () => {
    expect(durationParts(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toEqual({ days: 3, hours: 4 });
    expect(durationParts(12 * 60_000 + 5_000)).toEqual({ minutes: 12, seconds: 5 });
    expect(durationParts(86_400_000)).toEqual({ days: 1 });
    expect(durationParts(999)).toEqual({ seconds: 1 });
    expect(durationParts(1001)).toEqual({ seconds: 2 });
    expect(durationParts(-5)).toEqual({ seconds: 0 });
  });

  test('are formatted through Intl in the UI language', () => {
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000, 'en')).toBe('3d 4h');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000, 'ko')).toBe('3일 4시간');
    expect(formatDuration(12 * 60_000 + 5_000, 'en')).toBe('12m 5s');
  });

  test('a tick over a thousand rows stays cheap (memoised)', () => {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) formatDuration(180 * 86_400_000 - i * 1000, 'en');
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('remaining fraction', () => {
  test('is 1 when just issued, 0 at and after expiry', () => {
    expect(remainingFraction(0, 100, 0)).toBe(1);
    expect(remainingFraction(0, 100, 25)).toBe(0.75);
    expect(remainingFraction(0, 100, 100)).toBe(0);
    expect(remainingFraction(0, 100, 500)).toBe(0);
    expect(remainingFraction(100, 100, 0)).toBe(0);
  });
});

describe('JSON bodies', () => {
  test('are pretty-printed, and anything that is not JSON is left alone', () => {
    expect(prettyJson('{"a":1,"b":[true,null]}')).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');
    expect(prettyJson('{ "code": "401", "message": "invalid_client",, }')).toBeNull();
    expect(prettyJson('<html>')).toBeNull();
    expect(prettyJson(null)).toBeNull();
  });

  test('highlighting splits keys, strings, numbers and literals and loses no character', () => {
    const pretty = prettyJson('{"messageDetail":"연동ID(clientId)를 확인하세요","n":-1.5e3,"ok":false,"s":"a\\"b"}')!;
    const tokens = highlightJson(pretty);
    expect(tokens.map((t) => t.text).join('')).toBe(pretty);
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"messageDetail"', '"n"', '"ok"', '"s"']);
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe('"연동ID(clientId)를 확인하세요"');
    expect(tokens.find((t) => t.kind === 'number')?.text).toBe('-1500');
    expect(highlightJson('[1e-7]').map((t) => t.kind)).toEqual(['punct', 'number', 'punct']);
    expect(tokens.find((t) => t.kind === 'literal')?.text).toBe('false');
  });
});
