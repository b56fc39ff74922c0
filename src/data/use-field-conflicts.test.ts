import { describe, expect, it } from 'vitest';
import { readableConflicts } from './use-field-conflicts.ts';

const key = '0b7c0f3e-4a8e-4d0b-9a55-0d1e2f3a4b5c';
const notice = {
  entity: 'patients',
  key,
  field: 'phone',
  yours: '9876543210',
  theirs: '9123456780',
  at: '2026-11-29T10:00:00.000Z',
};

describe('readableConflicts', () => {
  it('keeps a whole notice, an empty value included', () => {
    expect(readableConflicts([notice, { ...notice, field: 'address', yours: null }])).toHaveLength(2);
  });

  it('leaves out records an older version, a bug or a hand edit left half written or misshapen', () => {
    const { yours: _yours, theirs: _theirs, ...noValues } = notice;
    const { at: _at, ...noTime } = notice;
    expect(
      readableConflicts([
        noValues,
        noTime,
        { ...notice, entity: 'doctors' },
        { ...notice, field: 7 },
        'a string',
        null,
      ]),
    ).toEqual([]);
  });
});
