import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { loadStoredSessionUser } from '../data/session-user.ts';
import { I18nProvider } from '../i18n/i18n-provider.tsx';
import { LANGS, translate } from '../i18n/translate.ts';
import { BookingLimitHint, liftsWithEmail } from './booking-limit-hint.tsx';

const LIMIT = { code: 'booking_limit' as const, message: 'cap reached', field: null };

describe('the booking cap of an account without an email', () => {
  it('is told with a way to add an email, only to an anonymous account and only for the cap', () => {
    expect(liftsWithEmail(LIMIT, { id: 'u', anonymous: true })).toBe(true);
    expect(liftsWithEmail(LIMIT, { id: 'u', anonymous: false })).toBe(false);
    expect(liftsWithEmail(LIMIT, null)).toBe(false);
    expect(liftsWithEmail({ ...LIMIT, code: 'slot_taken' }, { id: 'u', anonymous: true })).toBe(false);
    expect(liftsWithEmail(null, { id: 'u', anonymous: true })).toBe(false);
  });

  for (const lang of LANGS)
    it(`links to the account screen in ${lang}`, async () => {
      await loadStoredSessionUser(async () => [{ user: { id: 'anon-1', is_anonymous: true } }]);
      const html = renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <BookingLimitHint error={LIMIT} />
        </I18nProvider>,
      );
      expect(html).toContain(translate(lang, 'reject.addEmail'));
      expect(html).toContain('href="#/account?next=%2Fappointments"');
    });
});
