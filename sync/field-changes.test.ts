import { describe, expect, it } from 'vitest';
import { applyBase, changedFields, coalesceEdits, mergeBases, sameFieldValue } from './field-changes.ts';

describe('field-level writes', () => {
  it('an edit changes only the device-written fields that differ from where the user started', () => {
    const start = { id: 'p', phone: '1', address: null, version: 3 };
    expect(changedFields({ id: 'p', phone: '2', address: undefined, version: 9 }, start)).toEqual(['phone']);
  });

  it('merges bases keeping the earliest value per field; a whole-row write makes the merge whole-row', () => {
    expect(mergeBases([{ phone: '1' }, { phone: '2', address: 'a' }])).toEqual({ phone: '1', address: 'a' });
    expect(mergeBases([undefined, { phone: '2' }])).toBeUndefined();
  });

  it('coalesces edits field by field over the earlier data', () => {
    const first = { data: { id: 'p', phone: '2', address: 'a' }, base: { phone: '1' } };
    // A stale copy of the phone in the later edit's data does not undo the earlier edit.
    const later = { data: { id: 'p', phone: '1', address: 'b' }, base: { address: 'a' } };
    expect(coalesceEdits([first, later])).toEqual({
      data: { id: 'p', phone: '2', address: 'b' },
      base: { phone: '1', address: 'a' },
    });
  });

  it('applies a field still at its base or already at the new value; reports the others, first write wins', () => {
    const current = { id: 'p', phone: '9', address: 'a', full_name: 'n', version: 4 };
    const data = { id: 'p', phone: '2', address: 'b', full_name: 'n', version: 1 };
    expect(applyBase(current, data, { phone: '1', address: 'a', full_name: 'n' })).toEqual({
      row: { ...current, address: 'b' },
      conflicts: [{ field: 'phone', yours: '2', theirs: '9' }],
    });
  });

  it('compares start and end times as instants', () => {
    expect(sameFieldValue('starts_at', '2030-01-07T09:00:00.000Z', '2030-01-07T09:00:00+00:00')).toBe(true);
    expect(sameFieldValue('reason', '2030-01-07T09:00:00.000Z', '2030-01-07T09:00:00+00:00')).toBe(false);
  });
});
