import { describe, expect, it } from 'vitest';
import { type LocalMutation, localMutation } from '../../../sync/local-mutation.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { LANGS, translate } from '../../i18n/translate.ts';
import { describeUnsent } from './describe-unsent.ts';

const profile = (over: Partial<LocalMutation> = {}): LocalMutation =>
  localMutation.parse({
    id: '11111111-1111-4111-8111-111111111111',
    clientId: '33333333-3333-4333-8333-333333333333',
    entity: 'patients',
    op: 'upsert',
    key: '22222222-2222-4222-8222-222222222222',
    data: { full_name: 'Asha Firstuser' },
    deps: [],
    createdAt: '2026-11-29T10:15:00.000Z',
    state: 'pending',
    seq: 1,
    createsRow: true,
    actor: 'first-user',
    ...over,
  });

describe('describeUnsent', () => {
  for (const lang of LANGS) {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate(lang, key, params);

    it(`names the user's own profile, never another account's (${lang})`, () => {
      expect(describeUnsent(profile(), [], t, lang, { id: 'first-user', anonymous: false })).toContain(
        'Asha Firstuser',
      );
      const other = describeUnsent(profile(), [], t, lang, { id: 'second-user', anonymous: false });
      expect(other).not.toContain('Asha');
      const when = formatDateTime(lang, new Date('2026-11-29T10:15:00.000Z'));
      expect(other).toBe(t('settings.unsentByOther', { when }));
    });

    it(`says what a change of an unnamed kind is in words, not a table name (${lang})`, () => {
      const removal = profile({ op: 'delete', data: null });
      expect(describeUnsent(removal, [], t, lang, null)).toBe(t('attention.patients.delete'));
    });
  }
});
