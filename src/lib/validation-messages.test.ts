import { describe, expect, it } from 'vitest';
import { appointmentFields, patientFields } from '../../sync/entities.ts';
import { pastDayIssue } from '../data/consult-request.ts';
import { initialValues, toCandidate } from '../data/profile-form-values.ts';
import { translate } from '../i18n/translate.ts';
import { fieldMessages, issuesText, SCHEMA_MESSAGES } from './validation-messages.ts';

const id = '11111111-1111-4111-8111-111111111111';
const valid = {
  ...initialValues(null, 'en'),
  full_name: 'Asha Devi',
  date_of_birth: '1990-04-01',
  sex: 'female',
};
const errorsOf = (values: typeof valid) => {
  const parsed = patientFields.safeParse(toCandidate(values, null, () => id));
  return parsed.success ? {} : fieldMessages(parsed.error.issues);
};

describe('profile validation messages', () => {
  it('accepts a valid form, turning empty optional fields into null and stripping phone spaces', () => {
    const candidate = toCandidate({ ...valid, phone: '+91 98765-43210', address: '  ' }, null, () => id);
    const parsed = patientFields.parse(candidate);
    expect(parsed.phone).toBe('+919876543210');
    expect(parsed.address).toBeNull();
  });

  it('says which field holds a character that cannot be stored, and a name of blanks', () => {
    const errors = errorsOf({ ...valid, full_name: '\u200b\u200b', address: 'Lane \ud800' });
    expect(errors.full_name?.key).toBe('error.noVisibleText');
    expect(errors.address?.key).toBe('error.unstorableText');
  });

  it('reports each bad field with a message key, not the schema English', () => {
    const errors = errorsOf({ ...valid, full_name: ' ', date_of_birth: '', sex: '', phone: '12ab' });
    expect(errors.full_name?.key).toBe('error.required');
    expect(errors.date_of_birth?.key).toBe('error.required');
    expect(errors.sex?.key).toBe('error.choose');
    expect(errors.phone?.key).toBe('error.phoneFormat');
    expect(Object.keys(errors).sort()).toEqual(['date_of_birth', 'full_name', 'phone', 'sex']);
  });

  it('maps the date rules', () => {
    expect(errorsOf({ ...valid, date_of_birth: '1899-12-31' }).date_of_birth?.key).toBe('error.dateTooEarly');
    expect(errorsOf({ ...valid, date_of_birth: '2999-01-01' }).date_of_birth?.key).toBe('error.dateFuture');
  });

  it('gives the limit of a too-long field, in both languages', () => {
    const e = errorsOf({ ...valid, address: 'x'.repeat(201) }).address;
    expect(e?.key).toBe('error.tooLong');
    expect(translate('en', e?.key ?? 'error.invalid', e?.params)).toBe('Use at most 200 characters.');
    expect(translate('hi', e?.key ?? 'error.invalid', e?.params)).toBe('अधिकतम 200 अक्षर लिखें।');
  });

  it('knows every custom message the shared schemas use', () => {
    // If sync/entities.ts gains a message, this list (and the catalogue) must learn it.
    const probes = [
      patientFields.safeParse({}),
      patientFields.safeParse({
        date_of_birth: 'x',
        phone: 'x',
        emergency_contact_phone: 'x',
        full_name: '',
      }),
      patientFields.safeParse({ date_of_birth: '1800-01-01' }),
      patientFields.safeParse({ date_of_birth: '2999-01-01' }),
      appointmentFields.safeParse({ reason: ' ' }),
    ];
    const custom = probes
      .flatMap((p) => (p.success ? [] : p.error.issues))
      .filter((i) => i.code === 'custom' || i.code === 'invalid_format' || i.message === 'required')
      .map((i) => i.message);
    for (const message of custom) expect(SCHEMA_MESSAGES, message).toHaveProperty([message]);
  });
});

describe('a refused save as one line', () => {
  const issuesOf = (reason: string) => {
    const parsed = appointmentFields.shape.reason.safeParse(reason);
    return parsed.success ? [] : parsed.error.issues;
  };

  it("gives zod's own checks the app's message, in the user's language", () => {
    const tooLong = issuesOf('x'.repeat(501));
    expect(issuesText(tooLong, (key, params) => translate('en', key, params))).toBe(
      'Use at most 500 characters.',
    );
    expect(issuesText(tooLong, (key, params) => translate('hi', key, params))).toBe('अधिकतम 500 अक्षर लिखें।');
  });

  it("says a message the schema or the screen wrote in the user's language, without a column name", () => {
    const past = pastDayIssue({ preferred_date: '2020-01-01' }, new Date('2026-11-29T12:00:00Z'));
    const issues = [...issuesOf(' '), ...(past ? [past] : [])];
    for (const lang of ['en', 'hi'] as const) {
      const t = (key: Parameters<typeof translate>[1]) => translate(lang, key);
      expect(issuesText(issues, t)).toBe(`${t('error.required')}; ${t('error.dayPast')}`);
      expect(issuesText(issues.slice(1), t, true)).toBe(t('error.dayPast'));
    }
  });

  it('keeps a message it does not know as written, with its field when asked', () => {
    const odd = { code: 'custom' as const, path: ['preferred_window'], message: 'odd', input: 'x' };
    expect(issuesText([odd], (key) => translate('en', key), true)).toBe('preferred_window: odd');
  });
});
