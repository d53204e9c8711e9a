/**
 * WCAG 2.1 AA for the state colours (issue #13 "a look of its own"), computed from the real CSS:
 * the palette in renderer/src/app.css (one light-dark() per colour) and the badge rules in
 * StateBadge.svelte, in light and in dark. Text needs 4.5:1 (SC 1.4.3). The table is printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../renderer/src');
type Scheme = 'light' | 'dark';

/** --name → its light and dark values, from the :root block's light-dark() declarations. */
function palette(): Map<string, Record<Scheme, string>> {
  const css = readFileSync(join(ROOT, 'app.css'), 'utf8');
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
  const colours = new Map<string, Record<Scheme, string>>();
  for (const [, name, light, dark] of root.matchAll(/(--[\w-]+):\s*light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)/gi)) {
    colours.set(name!, { light: light!, dark: dark! });
  }
  return colours;
}

/** The badge rules: selector list → { background, color } variable names. */
function badgeRules(): { states: string[]; background: string; color: string }[] {
  const source = readFileSync(join(ROOT, 'components/StateBadge.svelte'), 'utf8');
  const style = (/<style>([\s\S]*)<\/style>/.exec(source)?.[1] ?? '').replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: { states: string[]; background: string; color: string }[] = [];
  for (const [, selectors, body] of style.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const background = /background:\s*var\((--[\w-]+)\)/.exec(body!)?.[1];
    const color = /(?:^|[;\s])color:\s*var\((--[\w-]+)\)/.exec(body!)?.[1];
    if (!background || !color) continue;
    const states = selectors!.split(',').map((selector) => selector.trim().replace(/^\./, '').replace(/^badge$/, 'none (default)'));
    rules.push({ states, background, color });
  }
  return rules;
}

/** WCAG 2.1 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const colours = palette();
const rules = badgeRules();

/** Every pair checked: the badges as StateBadge draws them, and the state colours as text on the surfaces. */
const pairs: { what: string; color: string; background: string }[] = [
  ...rules.map((rule) => ({ what: `badge ${rule.states.join('/')}`, color: rule.color, background: rule.background })),
  ...['--ok', '--warn', '--bad', '--info', '--muted', '--accent'].flatMap((color) =>
    ['--surface', '--bg', '--surface-2', '--selected'].map((background) => ({ what: `${color.slice(2)} text`, color, background })),
  ),
  { what: 'banner text', color: '--text', background: '--warn-bg' },
  { what: 'primary button', color: '--accent-text', background: '--accent' },
];

describe('state colours, WCAG AA', () => {
  it('the palette and the badge rules are read from the CSS (the test checks what ships)', () => {
    expect([...colours.keys()]).toEqual(expect.arrayContaining(['--ok', '--ok-bg', '--warn', '--warn-bg', '--bad', '--bad-bg', '--info', '--info-bg', '--surface', '--bg']));
    const states = rules.flatMap((rule) => rule.states);
    expect(states).toEqual(expect.arrayContaining(['valid', 'expiring', 'failing', 'refreshing', 'expired', 'error', 'needs_signin']));
  });

  it('every state colour has at least 4.5:1 against its background, in light and in dark', () => {
    const rows = pairs.map((pair) => {
      const fg = colours.get(pair.color);
      const bg = colours.get(pair.background);
      if (!fg || !bg) throw new Error(`${pair.color} or ${pair.background} is not a light-dark() colour in app.css`);
      return { ...pair, light: contrast(fg.light, bg.light), dark: contrast(fg.dark, bg.dark) };
    });
    const width = Math.max(...rows.map((row) => `${row.what} (${row.color} on ${row.background})`.length));
    const table = [
      `${'pair'.padEnd(width)}  light  dark`,
      ...rows.map((row) => `${`${row.what} (${row.color} on ${row.background})`.padEnd(width)}  ${row.light.toFixed(2).padStart(5)}  ${row.dark.toFixed(2).padStart(5)}`),
    ].join('\n');
    console.log(`Contrast ratios (WCAG AA text: 4.5)\n${table}`);
    const failing = rows.filter((row) => row.light < 4.5 || row.dark < 4.5).map((row) => `${row.what} (${row.color} on ${row.background})`);
    expect(failing).toEqual([]);
  });

  it('the ratio is computed right: black on white is 21, a colour on itself is 1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#0b5cd5', '#0b5cd5')).toBe(1);
  });
});
