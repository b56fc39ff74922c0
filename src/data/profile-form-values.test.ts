import { describe, expect, it } from 'vitest';
import { patientRow } from '../../sync/testing/fixtures.ts';
import {
  followRow,
  followValues,
  initialValues,
  type ProfileField,
  toCandidate,
} from './profile-form-values.ts';

describe('a profile form open while the stored row changes', () => {
  const shown = { ...patientRow('00000000-0000-4000-8000-000000000001'), version: 1 };
  // Another tab saved a new phone and address meanwhile.
  const stored = { ...shown, phone: '+919800000001', address: 'Ward 9', version: 2 };

  it("shows the new values of the fields the user did not touch, and keeps the user's own edits", () => {
    const touched = new Set<ProfileField>(['address']);
    const typed = { ...initialValues(shown, 'en'), address: 'Ward 2, by the well' };
    const values = followValues(typed, stored, touched);
    expect(values.phone).toBe('+919800000001');
    expect(values.address).toBe('Ward 2, by the well');
    // The address edit is still sent against what the user saw before typing.
    const base = followRow(shown, stored, touched);
    expect(base).toMatchObject({ phone: '+919800000001', address: shown.address, version: 2 });
  });

  it('saves a candidate whose untouched fields are the stored ones, not the stale copy', () => {
    const touched = new Set<ProfileField>(['address']);
    const base = followRow(shown, stored, touched);
    const values = followValues({ ...initialValues(shown, 'en'), address: 'Ward 2' }, stored, touched);
    expect(toCandidate(values, base, () => 'unused')).toMatchObject({
      phone: '+919800000001',
      address: 'Ward 2',
    });
  });
});
