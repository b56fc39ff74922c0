/** Pure message lookup and formatting, shared by the React provider and the tests. */
import { en, type MessageKey, type Messages } from './messages-en.ts';
import { hi } from './messages-hi.ts';

export const LANGS = ['en', 'hi'] as const;
export type Lang = (typeof LANGS)[number];

export const CATALOGUES: Readonly<Record<Lang, Messages>> = { en, hi };

export type MessageParams = Readonly<Record<string, string | number>>;

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'hi';
}

/** Fills `{name}` placeholders; a missing parameter stays visible as `{name}` so it is noticed. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = CATALOGUES[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The placeholder names of a template, sorted: both languages must use the same ones. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** BCP 47 locale for dates and numbers; `-IN` gives Indian conventions in English too. */
export function localeOf(lang: Lang): string {
  return lang === 'hi' ? 'hi-IN' : 'en-IN';
}
