import { describe, expect, it } from 'vitest';
import { patientFields } from './entities.ts';
import { fieldIssues, issueLine, ZOD_DEFAULT_MESSAGE } from './issue-text.ts';
import { prepareWrite } from './stores/prepare-write.ts';

const id = '11111111-1111-4111-8111-111111111111';
const patient = {
  id,
  full_name: 'Asha Devi',
  date_of_birth: '1990-04-01',
  sex: 'female',
  preferred_language: 'en',
};
const issuesOf = (row: unknown) => {
  const parsed = patientFields.safeParse(row);
  return parsed.success ? [] : parsed.error.issues;
};

describe('issue lines', () => {
  it("reads zod's own checks, which say only the default, as their code and what they wanted", () => {
    const issues = issuesOf({ ...patient, id: 'nope', full_name: 'x'.repeat(121), sex: 'f', version: 'one' });
    // No locale is loaded: each says only the default.
    expect(issues.map((i) => i.message)).toEqual(Array(4).fill(ZOD_DEFAULT_MESSAGE));
    expect(fieldIssues(issues)).toEqual([
      { path: 'id', message: 'invalid_format, format uuid' },
      { path: 'full_name', message: 'too_big, maximum 120' },
      { path: 'sex', message: 'invalid_value, values ["female","male","other","undisclosed"]' },
      { path: 'version', message: 'invalid_type, expected number' },
    ]);
  });

  it('keeps a message a schema wrote as it is', () => {
    const [issue] = issuesOf({ ...patient, full_name: ' ' });
    expect(issue && issueLine(issue)).toBe('required');
  });

  it('is what a refused save says', () => {
    const write = {
      entity: 'patients',
      op: 'upsert',
      row: { ...patient, full_name: 'x'.repeat(121) },
    } as const;
    expect(() => prepareWrite(write)).toThrow('patients: full_name: too_big, maximum 120');
  });
});
