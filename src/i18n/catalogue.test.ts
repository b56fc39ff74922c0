import { describe, expect, it } from 'vitest';
import { en } from './messages-en.ts';
import { hi } from './messages-hi.ts';
import { CATALOGUES, LANGS, placeholders, translate } from './translate.ts';

describe('message catalogues', () => {
  const keys = Object.keys(en).sort();

  it('have the same keys in every language', () => {
    for (const lang of LANGS) expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(keys);
  });

  it('have no empty message', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(CATALOGUES[lang]))
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in every language', () => {
    for (const key of keys) {
      const k = key as keyof typeof en;
      expect(placeholders(hi[k]), key).toEqual(placeholders(en[k]));
    }
  });

  it('translates Hindi strings into Devanagari (not English left in place)', () => {
    // Brand names and language names may match; everything else must be translated.
    const sameAllowed = new Set(['app.name']);
    for (const key of keys) {
      const k = key as keyof typeof en;
      if (!sameAllowed.has(key)) expect(hi[k], key).not.toBe(en[k]);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'status.waiting', { count: 3 })).toBe('3 waiting to send');
    expect(translate('hi', 'status.waiting', { count: 3 })).toBe('3 भेजे जाने की प्रतीक्षा में');
    expect(translate('en', 'status.waiting')).toBe('{count} waiting to send');
  });
});
