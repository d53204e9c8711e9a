/**
 * The UI language: follows navigator.language unless the user picked one (settings.language).
 * Every string comes from a catalogue; dates and durations go through Intl for the active language.
 */
import { en, type MessageKey } from './en';
import { ko } from './ko';
import { formatDateTime, formatDuration } from '../format';
import { errorKey, type Message, type Params } from '../messages';
import { format } from '../../../../main/model/messages';
import type { ErrorInfo, MessageText } from '../../../../main/ipc/contract';

export type Lang = 'en' | 'ko';
export type LangChoice = Lang | 'system';

const catalogues = { en, ko } as const;

export function systemLanguage(languages: readonly string[]): Lang {
  const first = languages.map((tag) => tag.toLowerCase()).find((tag) => tag.startsWith('ko') || tag.startsWith('en'));
  return first?.startsWith('ko') ? 'ko' : 'en';
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template: string = catalogues[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export class I18n {
  readonly system: Lang;
  /** The user's choice (settings.language), read live: switching needs no reload. */
  readonly #choice: () => LangChoice;
  lang: Lang = $derived.by(() => {
    const choice = this.#choice();
    return choice === 'system' ? this.system : choice;
  });
  #units = $derived({
    d: catalogues[this.lang]['unit.d'],
    h: catalogues[this.lang]['unit.h'],
    m: catalogues[this.lang]['unit.m'],
    s: catalogues[this.lang]['unit.s'],
  });

  constructor(choice: () => LangChoice, languages: readonly string[] = navigator.languages.length ? navigator.languages : [navigator.language]) {
    this.#choice = choice;
    this.system = systemLanguage(languages);
  }

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  /** The app's own sentence for a failure, in the UI language (the provider's words are shown apart). */
  error = (error: ErrorInfo): string => this.t(errorKey(error), { status: error.status ?? '' });

  /**
   * A message main sent as a code with parameters, in the UI language (its `main.<code>` entry;
   * parameters that are messages themselves are translated too). Null for a code the catalogue
   * does not know: the caller then falls back to main's English.
   */
  main = (text: MessageText | undefined): string | null => {
    if (!text) return null;
    const key = `main.${text.code}`;
    if (!(key in catalogues[this.lang])) return null;
    const params = Object.fromEntries(
      Object.entries(text.params).map(([name, value]) => [name, typeof value === 'object' ? (this.main(value) ?? format(value)) : value]),
    );
    return this.t(key as MessageKey, params);
  };

  message = (message: Message): string => ('error' in message ? this.error(message.error) : this.t(message.key, message.params));

  duration = (ms: number): string => formatDuration(ms, this.lang, this.#units);

  /**
   * Loads Intl's duration and date data for the system language ahead of use: the first
   * Intl.DurationFormat of a page costs about 70 ms, which would otherwise land in the first render
   * of the list. Called while the renderer waits for main's first answer.
   */
  prepare = (): void => {
    formatDuration(61_000, this.system);
    formatDateTime(0, this.system);
  };

  date = (ms: number): string => formatDateTime(ms, this.lang);
}
