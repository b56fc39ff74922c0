/** Pure message lookup and formatting, shared by the React provider and the tests. */
import { en, type Message, type MessageKey, type Messages } from './messages-en.ts';
import { hi } from './messages-hi.ts';

export const LANGS = ['en', 'hi'] as const;
export type Lang = (typeof LANGS)[number];

export const CATALOGUES: Readonly<Record<Lang, Messages>> = { en, hi };

export type MessageParams = Readonly<Record<string, string | number>>;

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'hi';
}

/** BCP 47 locale for dates and numbers; `-IN` gives Indian conventions in English too. */
export function localeOf(lang: Lang): string {
  return lang === 'hi' ? 'hi-IN' : 'en-IN';
}

const pluralRules: Partial<Record<Lang, Intl.PluralRules>> = {};

/**
 * The template for these parameters: a plural message picks its form by `{count}` with the
 * language's own rules (Hindi says "one" for 0 and 1, English for 1 only).
 */
export function templateOf(lang: Lang, message: Message, params?: MessageParams): string {
  if (typeof message === 'string') return message;
  const count = Number(params?.count);
  if (!Number.isFinite(count)) return message.other;
  pluralRules[lang] ??= new Intl.PluralRules(localeOf(lang));
  return pluralRules[lang].select(count) === 'one' ? message.one : message.other;
}

/** Fills `{name}` placeholders; a missing parameter stays visible as `{name}` so it is noticed. */
export function fill(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  return fill(templateOf(lang, CATALOGUES[lang][key], params), params);
}

/**
 * The translator of a group of screens with a catalogue of its own (QA, the kiosk), kept out of the
 * main one so that its strings load with its chunks only: its own keys, then the main catalogue's.
 */
export function groupTranslator<K extends string>(
  catalogues: Readonly<Record<Lang, Readonly<Record<K, Message>>>>,
): (lang: Lang, key: K | MessageKey, params?: MessageParams) => string {
  const own = (key: string): key is K => Object.hasOwn(catalogues.en, key);
  return (lang, key, params) =>
    own(key) ? fill(templateOf(lang, catalogues[lang][key], params), params) : translate(lang, key, params);
}

/** Every text of a message: the string itself, or each plural form. */
export function formsOf(message: Message): string[] {
  return typeof message === 'string' ? [message] : [message.one, message.other];
}

/** The placeholder names of a template, sorted: both languages must use the same ones. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
