import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENTITIES } from '../entities.ts';
import { patientRow } from '../testing/fixtures.ts';
import { parseEntityRow, prepareWrite } from './prepare-write.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('prepareWrite', () => {
  it('does not parse again a row parseEntityRow checked with the same schema, and parses anything else', () => {
    const parse = vi.spyOn(ENTITIES.patients.schema, 'safeParse');
    const parsed = parseEntityRow('patients', { ...patientRow(crypto.randomUUID()), full_name: ' Asha ' });
    if (!parsed.success) throw new Error('the fixture is valid');
    const row = parsed.data as Record<string, unknown>;
    expect(parse).toHaveBeenCalledTimes(1);
    const prepared = prepareWrite({ entity: 'patients', op: 'upsert', row });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(prepared.data).toEqual({ ...row, full_name: 'Asha' });
    // A copy may have been changed since: parsed (and refused) as usual.
    expect(() =>
      prepareWrite({ entity: 'patients', op: 'upsert', row: { ...row, full_name: '' } }),
    ).toThrow();
    expect(parse).toHaveBeenCalledTimes(2);
    // The row itself cannot be changed.
    expect(() => {
      row.full_name = '';
    }).toThrow(TypeError);
  });

  it('parses a row checked as another entity', () => {
    const parsed = parseEntityRow('patients', patientRow(crypto.randomUUID()));
    if (!parsed.success) throw new Error('the fixture is valid');
    const parse = vi.spyOn(ENTITIES.appointments.schema, 'safeParse');
    expect(() =>
      prepareWrite({ entity: 'appointments', op: 'upsert', row: parsed.data as Record<string, unknown> }),
    ).toThrow();
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
