import { describe, expect, it } from 'vitest';
import { en } from './messages-en.ts';
import { qaEn } from './messages-qa-en.ts';
import { QA_CATALOGUES, translateQa } from './qa-i18n.ts';
import { formsOf, LANGS, placeholders } from './translate.ts';

describe('QA catalogues', () => {
  const keys = Object.keys(qaEn).sort() as (keyof typeof qaEn)[];

  it('are apart from the main catalogue, which the first screen loads', () => {
    expect(Object.keys(en).filter((k) => k.startsWith('qa.'))).toEqual([]);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith('qa.'), key).toBe(true);
  });

  it('have the same keys, forms and placeholders in every language, none empty', () => {
    for (const lang of LANGS) {
      expect(Object.keys(QA_CATALOGUES[lang]).sort()).toEqual(keys);
      for (const key of keys) {
        const message = QA_CATALOGUES[lang][key];
        expect(typeof message, `${lang} ${key}`).toBe(typeof qaEn[key]);
        for (const text of formsOf(message)) {
          expect(text.trim(), `${lang} ${key}`).not.toBe('');
          expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(formsOf(qaEn[key])[0] ?? ''));
          expect(text, `${lang} ${key}`).not.toMatch(/\(s\)/);
        }
      }
    }
  });

  it('translate QA keys from the QA catalogue and shared keys from the main one', () => {
    expect(translateQa('en', 'qa.outbox.titleCount', { count: 2 })).toBe('Outbox (2)');
    expect(translateQa('hi', 'qa.stats.refresh')).toBe('ताज़ा करें');
    expect(translateQa('en', 'app.loading')).toBe('Loading…');
  });
});
