import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '../../sync/entities.ts';
import type { ItemSyncState } from '../data/item-sync-state.ts';
import { LANGS, translate } from '../i18n/translate.ts';
import { clinicStatusKey, shownClinicStatus } from './appointment-status.ts';
import { syncLabel } from './sync-label.ts';

const WHERE: ItemSyncState[] = [
  { kind: 'saved', mutationIds: ['m'] },
  { kind: 'sending', mutationIds: ['m'] },
  { kind: 'synced' },
];

describe('appointment status words', () => {
  it('say what the clinic did apart from where the change is, in words that do not overlap', () => {
    for (const lang of LANGS) {
      const t = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) =>
        translate(lang, k, p);
      const clinic = new Set(
        APPOINTMENT_STATUSES.flatMap((s) => [clinicStatusKey(s, false), clinicStatusKey(s, true)]).map((k) =>
          t(k),
        ),
      );
      const where = new Set(WHERE.map((state) => syncLabel(state, t)));
      expect(where.size, lang).toBe(WHERE.length);
      for (const text of where) expect(clinic.has(text), `${lang}: ${text}`).toBe(false);
    }
  });

  it('never call an appointment the clinic has not confirmed "booked"', () => {
    const t = (k: Parameters<typeof translate>[1]) => translate('en', k);
    expect(t(clinicStatusKey('requested', false))).toBe('Waiting for the clinic to confirm');
    expect(t(clinicStatusKey('requested', true))).toBe('Waiting for the clinic to choose a doctor and time');
    expect(t(clinicStatusKey('confirmed', false))).toBe('Confirmed by the clinic');
    expect(syncLabel({ kind: 'synced' }, t)).toBe('Sent to the clinic');
    expect(syncLabel({ kind: 'saved', mutationIds: ['m'] }, t)).toBe(
      'Saved on this phone — will be sent when online',
    );
    expect(syncLabel({ kind: 'sending', mutationIds: ['m'] }, t)).toBe('Sending to the clinic…');
  });
});

describe("the clinic's status beside a change that needs attention", () => {
  const refused: ItemSyncState = {
    kind: 'attention',
    mutationId: 'm',
    error: { code: 'slot_taken', message: 'taken', field: null },
    blockedBy: null,
  };

  it('is not shown: the row holds what the server refused, not what the clinic has', () => {
    // Before: "Waiting for the clinic to confirm" beside "Needs attention" for a booking the clinic never took.
    for (const status of APPOINTMENT_STATUSES) expect(shownClinicStatus(status, false, refused)).toBeNull();
  });

  it('is shown otherwise, as the clinic said it', () => {
    for (const sync of WHERE)
      for (const status of APPOINTMENT_STATUSES)
        expect(shownClinicStatus(status, true, sync)).toBe(clinicStatusKey(status, true));
  });
});
