/**
 * Small per-device preferences kept in localStorage, read synchronously at start-up. Nothing
 * personal goes here. The language is kept by i18n/saved-lang.ts (i18n sits below lib).
 */
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
