/**
 * Message lookup and formatting, shared by the React provider and the tests. Each language's
 * catalogue is a chunk of its own, loaded before it is used (`loadCatalogue`): the first screen
 * carries only the language it opens in (main.tsx, and the preload index.html starts for it,
 * scripts/lang-preload.ts); the other one is fetched once the app is up, or when it is chosen.
 */
import type { Message, MessageKey, Messages } from './messages-en.ts';

export const LANGS = ['en', 'hi'] as const;
export type Lang = (typeof LANGS)[number];

const LOADERS: Readonly<Record<Lang, () => Promise<Messages>>> = {
  en: () => import('./messages-en.ts').then((m) => m.en),
  hi: () => import('./messages-hi.ts').then((m) => m.hi),
};

const loaded: Partial<Record<Lang, Messages>> = {};
const loading: Partial<Record<Lang, Promise<Messages>>> = {};

/** The language's catalogue, fetched once; a failed fetch is tried again on the next call. */
export function loadCatalogue(lang: Lang): Promise<Messages> {
  const done = loaded[lang];
  if (done) return Promise.resolve(done);
  loading[lang] ??= LOADERS[lang]().then(
    (messages) => {
      loaded[lang] = messages;
      return messages;
    },
    (error: unknown) => {
      delete loading[lang];
      throw error;
    },
  );
  return loading[lang];
}

/** Both catalogues, for code that runs outside the app (tests, benchmarks). */
export async function loadCatalogues(): Promise<Readonly<Record<Lang, Messages>>> {
  const [en, hi] = await Promise.all([loadCatalogue('en'), loadCatalogue('hi')]);
  return { en, hi };
}

/** Whether the language's catalogue is in memory: switching to it can then be immediate. */
export function isCatalogueLoaded(lang: Lang): boolean {
  return loaded[lang] !== undefined;
}

/** The loaded catalogue; asking before loading it is a bug of the caller, so it throws. */
export function catalogueOf(lang: Lang): Messages {
  const messages = loaded[lang];
  if (!messages) throw new Error(`the ${lang} catalogue is used before loadCatalogue('${lang}')`);
  return messages;
}

/** Whether a key built at run time (e.g. from a server's value) names a message. */
export function isMessageKey(key: string): key is MessageKey {
  // Every catalogue has the same keys (catalogue.test.ts), so any loaded one answers.
  return Object.values(loaded).some((messages) => Object.hasOwn(messages, key));
}

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
  return fill(templateOf(lang, catalogueOf(lang)[key], params), params);
}

/** Every text of a message: the string itself, or each plural form. */
export function formsOf(message: Message): string[] {
  return typeof message === 'string' ? [message] : [message.one, message.other];
}

/** The placeholder names of a template, sorted: both languages must use the same ones. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
