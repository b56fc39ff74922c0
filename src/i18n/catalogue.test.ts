import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './messages-en.ts';
import { hi } from './messages-hi.ts';
import { CATALOGUES, formsOf, LANGS, placeholders, translate } from './translate.ts';

describe('message catalogues', () => {
  const keys = Object.keys(en).sort() as MessageKey[];

  it('have the same keys in every language', () => {
    for (const lang of LANGS) expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(keys);
  });

  it('have no empty message', () => {
    for (const lang of LANGS) {
      for (const [key, message] of Object.entries(CATALOGUES[lang]))
        for (const text of formsOf(message)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in every language and every plural form', () => {
    for (const key of keys) {
      const expected = placeholders(formsOf(en[key])[0] ?? '');
      for (const lang of LANGS)
        for (const text of formsOf(CATALOGUES[lang][key])) expect(placeholders(text), key).toEqual(expected);
    }
  });

  it('make a message plural in every language or in none', () => {
    for (const key of keys) expect(typeof hi[key], key).toBe(typeof en[key]);
  });

  it('write real plurals, never "(s)"', () => {
    for (const lang of LANGS) {
      for (const [key, message] of Object.entries(CATALOGUES[lang]))
        for (const text of formsOf(message)) expect(text, `${lang} ${key}`).not.toMatch(/\(s\)|\(es\)/);
    }
  });

  it('translates Hindi strings into Devanagari (not English left in place)', () => {
    // Brand names and language names may match; everything else must be translated.
    const sameAllowed = new Set(['app.name']);
    for (const key of keys) {
      if (!sameAllowed.has(key)) expect(hi[key], key).not.toEqual(en[key]);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'status.waiting', { count: 3 })).toBe('3 waiting to send');
    expect(translate('hi', 'status.waiting', { count: 3 })).toBe('3 भेजे जाने की प्रतीक्षा में');
    expect(translate('en', 'status.waiting')).toBe('{count} waiting to send');
  });

  it('picks the plural form by the language rules', () => {
    expect(translate('en', 'profile.errorsSummary', { count: 1 })).toBe('Please correct 1 field below.');
    expect(translate('en', 'profile.errorsSummary', { count: 3 })).toBe('Please correct 3 fields below.');
    expect(translate('en', 'settings.signOutConfirm', { count: 1 })).toBe(
      'Delete 1 unsent change and sign out',
    );
    expect(translate('en', 'settings.signOutConfirm', { count: 2 })).toBe(
      'Delete 2 unsent changes and sign out',
    );
    expect(translate('hi', 'settings.signOutConfirm', { count: 1 })).toBe(
      '1 न भेजा गया बदलाव मिटाएँ और साइन आउट करें',
    );
    expect(translate('hi', 'settings.signOutConfirm', { count: 2 })).toBe(
      '2 न भेजे गए बदलाव मिटाएँ और साइन आउट करें',
    );
    expect(translate('hi', 'account.switchUnsent', { count: 1 })).toMatch(/^इस फ़ोन पर 1 बदलाव .* पहुँचा है।/);
  });
});
