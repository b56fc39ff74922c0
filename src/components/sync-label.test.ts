import { describe, expect, it } from 'vitest';
import { REJECT_CODES } from '../../sync/protocol.ts';
import { MADE_BY_ANOTHER_ACCOUNT } from '../data/own-writes.ts';
import { LANGS, translate } from '../i18n/translate.ts';
import { rejectReason } from './sync-label.ts';

const SERVER_MESSAGE =
  'appointment 5b0c1f7e-8d7a-4a43-9a57-7d0f2b1a3c4e: confirmed → cancelled is not allowed; date_of_birth';

describe('rejectReason', () => {
  for (const lang of LANGS) {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate(lang, key, params);

    it(`never puts the server's English message in a ${lang} sentence`, () => {
      for (const code of REJECT_CODES)
        for (const field of [null, 'phone', 'starts_at', 'slot_id', 'constructor', '__proto__']) {
          const reason = rejectReason({ code, message: SERVER_MESSAGE, field }, t);
          expect(reason).not.toContain('5b0c1f7e');
          expect(reason).not.toContain('→');
          expect(reason).not.toMatch(/\{\w+\}/);
        }
    });

    it(`names the form field to fix, as the form labels it (${lang})`, () => {
      const reason = rejectReason({ code: 'validation', message: SERVER_MESSAGE, field: 'date_of_birth' }, t);
      expect(reason).toContain(t('profile.dateOfBirth'));
      expect(reason).not.toBe(t('reject.validation'));
    });

    it(`says a change was another account's, not that this account may not make it (${lang})`, () => {
      const reason = rejectReason({ code: 'forbidden', message: MADE_BY_ANOTHER_ACCOUNT, field: null }, t);
      expect(reason).toBe(t('reject.otherAccount'));
      expect(rejectReason({ code: 'forbidden', message: SERVER_MESSAGE, field: null }, t)).toBe(
        t('reject.forbidden'),
      );
    });

    it(`tells a moved slot from other conflicts (${lang})`, () => {
      const moved = rejectReason({ code: 'conflict', message: SERVER_MESSAGE, field: 'starts_at' }, t);
      expect(moved).toBe(t('reject.timeChanged'));
      expect(rejectReason({ code: 'conflict', message: SERVER_MESSAGE, field: null }, t)).toBe(
        t('reject.conflict'),
      );
    });

    it(`says a refused profile's account already has one (${lang})`, () => {
      const error = { code: 'conflict', message: SERVER_MESSAGE, field: null } as const;
      expect(rejectReason(error, t, 'patients')).toBe(t('reject.profileExists'));
      expect(rejectReason(error, t, 'appointments')).toBe(t('reject.conflict'));
    });
  }

  it('gives no label for a field no form shows, or a name off the prototype', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate('en', key, params);
    for (const field of ['slot_id', 'seq', 'constructor', 'toString'])
      expect(rejectReason({ code: 'validation', message: 'x', field }, t)).toBe('some details are not valid');
  });

  it('waits behind an earlier refusal when it has no error of its own', () => {
    expect(rejectReason(null, (key) => translate('hi', key))).toBe(translate('hi', 'sync.blocked'));
  });
});
