/**
 * Small per-device preferences kept in localStorage: read synchronously at start-up, so the first
 * screen appears in the right language with no flash. Nothing personal goes here.
 */
import { isLang, type Lang } from '../i18n/translate.ts';

const LANG_KEY = 'consult.lang';
const ONBOARDED_KEY = 'consult.onboarded';
const AUTH_CHOICE_KEY = 'consult.authChoice';

/** How the patient chose to use the app: anonymous sign-in waits until the device is online. */
export type AuthChoice = 'anonymous' | 'account' | 'none';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    // Storage can be blocked (privacy modes); the app still works, it just forgets.
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    // See read(): forgetting a preference is better than failing the screen.
  }
}

/** The saved language, else the browser's if it is Hindi, else English. */
export function loadLang(): Lang {
  const saved = read(LANG_KEY);
  if (isLang(saved)) return saved;
  const browser = globalThis.navigator?.language ?? '';
  return browser.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

export function saveLang(lang: Lang): void {
  write(LANG_KEY, lang);
}

export function loadOnboarded(): boolean {
  return read(ONBOARDED_KEY) === '1';
}

export function saveOnboarded(done: boolean): void {
  write(ONBOARDED_KEY, done ? '1' : null);
}

export function loadAuthChoice(): AuthChoice {
  const saved = read(AUTH_CHOICE_KEY);
  return saved === 'anonymous' || saved === 'account' ? saved : 'none';
}

export function saveAuthChoice(choice: AuthChoice): void {
  write(AUTH_CHOICE_KEY, choice === 'none' ? null : choice);
}
