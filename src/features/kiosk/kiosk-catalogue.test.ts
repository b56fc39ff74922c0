import { describe, expect, it } from 'vitest';
import type { ItemSyncState } from '../../data/item-sync-state.ts';
import { en } from '../../i18n/messages-en.ts';
import { hi } from '../../i18n/messages-hi.ts';
import { type KioskMessageKey, kioskEn } from '../../i18n/messages-kiosk-en.ts';
import { formsOf, LANGS, placeholders } from '../../i18n/translate.ts';
import { KIOSK_CATALOGUES, kioskSyncLabel, translateKiosk } from './kiosk-i18n.ts';

describe('kiosk catalogues', () => {
  const keys = Object.keys(kioskEn).sort() as KioskMessageKey[];

  it('are apart from the main catalogue, which the first screen loads', () => {
    for (const main of [en, hi]) expect(Object.keys(main).filter((k) => k.startsWith('kiosk.'))).toEqual([]);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith('kiosk.'), key).toBe(true);
  });

  it('have the same keys, forms and placeholders in every language, none empty', () => {
    for (const lang of LANGS) {
      expect(Object.keys(KIOSK_CATALOGUES[lang]).sort()).toEqual(keys);
      for (const key of keys) {
        const message = KIOSK_CATALOGUES[lang][key];
        expect(typeof message, `${lang} ${key}`).toBe(typeof kioskEn[key]);
        for (const text of formsOf(message)) {
          expect(text.trim(), `${lang} ${key}`).not.toBe('');
          expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(formsOf(kioskEn[key])[0] ?? ''));
          expect(text, `${lang} ${key}`).not.toMatch(/\(s\)|\(es\)/);
        }
      }
    }
  });

  it('translates Hindi strings into Devanagari (not English left in place)', () => {
    for (const key of keys) expect(KIOSK_CATALOGUES.hi[key], key).not.toEqual(kioskEn[key]);
  });

  it('translate kiosk keys from the kiosk catalogue and shared keys from the main one', () => {
    expect(translateKiosk('en', 'kiosk.done')).toBe('Done');
    expect(translateKiosk('hi', 'kiosk.done')).toBe('हो गया');
    expect(translateKiosk('en', 'kiosk.signIn.credentials', { message: 'bad password' })).toBe(
      'Could not sign in: bad password',
    );
    expect(translateKiosk('en', 'app.loading')).toBe('Loading…');
    expect(translateKiosk('hi', 'app.loading')).toBe('लोड हो रहा है…');
  });

  it('pick the plural form by the language rules', () => {
    expect(translateKiosk('en', 'kiosk.left.unsent', { count: 1 })).toMatch(
      /except 1 change not sent yet\. It /,
    );
    expect(translateKiosk('en', 'kiosk.left.unsent', { count: 2 })).toMatch(
      /except 2 changes not sent yet\. They /,
    );
    const hiOne = KIOSK_CATALOGUES.hi['kiosk.left.unsent'];
    if (typeof hiOne === 'string') throw new Error('kiosk.left.unsent is plural');
    expect(translateKiosk('hi', 'kiosk.left.unsent', { count: 0 })).toBe(hiOne.one.replace('{count}', '0'));
  });

  it('say a change waiting to be sent is on this tablet, not on a phone; the other states as the app says them', () => {
    const saved: ItemSyncState = { kind: 'saved', mutationIds: ['m1'] };
    const sending: ItemSyncState = { kind: 'sending', mutationIds: ['m1'] };
    expect(kioskSyncLabel(saved, (k, p) => translateKiosk('en', k, p))).toBe(
      'Saved on this tablet — will be sent when online',
    );
    expect(kioskSyncLabel(saved, (k, p) => translateKiosk('hi', k, p))).toContain('टैबलेट');
    expect(kioskSyncLabel(sending, (k, p) => translateKiosk('en', k, p))).toBe(
      translateKiosk('en', 'sync.sending'),
    );
  });
});
