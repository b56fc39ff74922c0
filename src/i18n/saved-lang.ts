/**
 * The language chosen on this device, kept in localStorage and read synchronously at start-up, so
 * the first screen appears in the right language with no flash. It lives in i18n, not beside the
 * other device preferences in lib/, because i18n sits below lib and never imports it.
 */
import { isLang, type Lang } from './translate.ts';

const LANG_KEY = 'consult.lang';

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) ?? null;
  } catch {
    // Storage can be blocked (privacy modes): the browser's language is the next best guess.
    return null;
  }
}

/** The saved language, else the browser's if it is Hindi, else English. */
export function loadLang(): Lang {
  const saved = readSaved();
  if (isLang(saved)) return saved;
  const browser = globalThis.navigator?.language ?? '';
  return browser.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_KEY, lang);
  } catch {
    // Forgetting the choice is better than failing the screen: the picker still switches this visit.
  }
}
