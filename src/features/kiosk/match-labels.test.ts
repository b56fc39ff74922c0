import { describe, expect, it } from 'vitest';
import type { MatchedPatient } from '../../data/kiosk-match.ts';
import { LANGS } from '../../i18n/translate.ts';
import { translateKiosk } from './kiosk-i18n.ts';
import { matchLabels } from './match-labels.ts';

const sita = (id: string, registeredAt?: string): MatchedPatient => ({
  patientId: id,
  firstName: 'Sita',
  birthYear: '1984',
  ...(registeredAt ? { registeredAt } : {}),
});

describe('"Is this you?" buttons', () => {
  for (const lang of LANGS) {
    const t = (key: Parameters<typeof translateKiosk>[1], params?: Parameters<typeof translateKiosk>[2]) =>
      translateKiosk(lang, key, params);

    it(`are told apart for two registrations of the same details, oldest first (${lang})`, () => {
      const labels = matchLabels(
        [sita('b', '2026-11-30T09:15:00Z'), sita('a', '2026-03-02T05:00:00Z')],
        t,
        lang,
      );
      expect(labels.map((l) => l.match.patientId)).toEqual(['a', 'b']);
      expect(new Set(labels.map((l) => l.label)).size).toBe(2);
      for (const l of labels) expect(l.label).toContain('Sita');
    });

    it(`number two registrations of the same minute (${lang})`, () => {
      const labels = matchLabels(
        [sita('a', '2026-11-30T05:16:10Z'), sita('b', '2026-11-30T05:16:40Z')],
        t,
        lang,
      );
      expect(new Set(labels.map((l) => l.label)).size).toBe(2);
    });

    it(`number the matches an older entry has no date for (${lang})`, () => {
      const labels = matchLabels([sita('a'), sita('b')], t, lang);
      expect(new Set(labels.map((l) => l.label)).size).toBe(2);
    });

    it(`stay as they were for one match (${lang})`, () => {
      expect(matchLabels([sita('a', '2026-03-02T05:00:00Z')], t, lang)[0]?.label).toBe(
        t('kiosk.find.match', { name: 'Sita', year: '1984' }),
      );
    });
  }
});
