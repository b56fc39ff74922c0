import { describe, expect, it } from 'vitest';
import { patientFields } from './entities.ts';

const base = {
  id: '3f0c1b7e-8a4d-4c1e-9a57-2f1f6f0c9d11',
  full_name: 'Asha Devi',
  date_of_birth: '1980-02-29',
  sex: 'female',
  preferred_language: 'hi',
};

describe('patientFields', () => {
  it('accepts a phone number written with spaces and dashes, as the server does, and strips them', () => {
    const parsed = patientFields.parse({ ...base, phone: '+91 98123-45678' });
    expect(parsed.phone).toBe('+919812345678');
  });

  it('refuses a phone number with letters, naming the rule', () => {
    const result = patientFields.safeParse({ ...base, phone: '98123 ABCDE' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['phone']);
    expect(result.error?.issues[0]?.message).toContain('7 to 15 digits');
  });

  it('refuses a birth date in the future', () => {
    const result = patientFields.safeParse({ ...base, date_of_birth: '2999-01-01' });
    expect(result.error?.issues[0]?.message).toBe('cannot be in the future');
  });
});
