/**
 * `tokendesk env --format …`: variables quoted so that each shell (or parser) reads back exactly
 * the value, whatever it holds ($, quotes, backslashes, newlines).
 */
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { EnvVars } from './vars';

export const ENV_FORMATS = ['sh', 'fish', 'powershell', 'dotenv', 'json'] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

/** POSIX sh: inside single quotes nothing is special; a quote is closed, escaped and reopened. */
export const shQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** fish: inside single quotes only \\ and \' are escapes (fish-doc "Quotes"). */
export const fishQuote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** PowerShell: a single-quoted string is verbatim; a quote inside is doubled (about_Quoting_Rules). */
export const powershellQuote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * dotenv (motdotla/dotenv and Node's util.parseEnv read the same): single quotes are verbatim but
 * cannot hold a quote or a newline; double quotes turn \n into a newline but are expanded by
 * dotenv-expand and Compose when they hold $; backticks are verbatim and may hold both quotes.
 */
export function dotenvQuote(value: string): string {
  if (!value.includes("'") && !value.includes('\n') && !value.includes('\r')) return `'${value}'`;
  if (!value.includes('`') && !value.includes('\n') && !value.includes('\r')) return `\`${value}\``;
  if (!value.includes('"') && !value.includes('$') && !value.includes('\\')) return `"${value.replace(/\r?\n/g, '\\n')}"`;
  throw new TokenDeskError('bad_request', msg('sink_dotenv_unquotable'));
}

export function formatEnv(vars: EnvVars, format: EnvFormat): string {
  switch (format) {
    case 'sh':
      return vars.map(([name, value]) => `export ${name}=${shQuote(value)}\n`).join('');
    case 'fish':
      return vars.map(([name, value]) => `set -gx ${name} ${fishQuote(value)}\n`).join('');
    case 'powershell':
      return vars.map(([name, value]) => `$env:${name} = ${powershellQuote(value)}\n`).join('');
    case 'dotenv':
      return vars.map(([name, value]) => `${name}=${dotenvQuote(value)}\n`).join('');
    case 'json':
      return `${JSON.stringify(Object.fromEntries(vars), null, 2)}\n`;
  }
}
