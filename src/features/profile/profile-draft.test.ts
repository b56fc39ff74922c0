import { describe, expect, it } from 'vitest';
import { initialValues, type ProfileField } from '../../data/profile-form-values.ts';
import { loadProfileDraft, PROFILE_DRAFT_KEY, saveProfileDraft } from './profile-draft.ts';

function memory() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('the profile draft', () => {
  it('keeps what was typed in, for the same profile, until saved', () => {
    const storage = memory();
    const values = { ...initialValues(null, 'en'), full_name: 'Geeta Kumari', phone: '98765 43210' };
    saveProfileDraft(storage, A, values, new Set<ProfileField>(['full_name']));
    expect(loadProfileDraft(storage, A)).toEqual({ full_name: 'Geeta Kumari' });
    expect(loadProfileDraft(storage, B)).toEqual({});
    saveProfileDraft(storage, A, null, new Set());
    expect(storage.items.has(PROFILE_DRAFT_KEY)).toBe(false);
  });

  it('keeps a first profile, not saved yet, under no id', () => {
    const storage = memory();
    saveProfileDraft(storage, null, initialValues(null, 'hi'), new Set<ProfileField>(['preferred_language']));
    expect(loadProfileDraft(storage, null)).toEqual({ preferred_language: 'hi' });
    expect(loadProfileDraft(storage, A)).toEqual({});
  });

  it('reads a damaged or foreign draft as none, and only fields of the form', () => {
    const storage = memory();
    storage.setItem(PROFILE_DRAFT_KEY, '{not json');
    expect(loadProfileDraft(storage, A)).toEqual({});
    storage.setItem(
      PROFILE_DRAFT_KEY,
      JSON.stringify({ patientId: A, edits: { full_name: 3, user_id: 'x', sex: 'male' } }),
    );
    expect(loadProfileDraft(storage, A)).toEqual({ sex: 'male' });
  });
});
