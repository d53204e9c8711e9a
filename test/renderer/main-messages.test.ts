/** main's message codes (main/model/messages.ts) as the renderer translates them: main.<code> in en and ko. */
import { describe, expect, test } from 'vitest';
import { MESSAGES, type MessageCode } from '../../main/model/messages';
import { en } from '../../renderer/src/lib/i18n/en';
import { ko } from '../../renderer/src/lib/i18n/ko';

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('main message codes in the renderer', () => {
  test('every code has an English key that reads as main writes it, and a Korean one with the same parameters', () => {
    const catalogue: Record<string, string> = en;
    const korean: Record<string, string> = ko;
    for (const code of Object.keys(MESSAGES) as MessageCode[]) {
      expect(catalogue[`main.${code}`], code).toBe(MESSAGES[code]);
      expect(korean[`main.${code}`], code).toBeTypeOf('string');
      expect(params(korean[`main.${code}`]!), code).toEqual(params(MESSAGES[code]));
    }
  });
});
