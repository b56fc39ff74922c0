import { describe, expect, it } from 'vitest';
import {
  APPOINTMENT_STATUSES,
  appointmentSchema,
  appointmentTransitionAllowed,
  PREFERRED_WINDOWS,
  patientFields,
  SPECIALTIES,
  todayIso,
} from './entities.ts';
import { HIDDEN_TEXT, isStorableText, NO_VISIBLE_TEXT, UNSTORABLE_TEXT } from './free-text.ts';

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

  it("accepts today's date on the device's calendar, even where the UTC date is still yesterday", () => {
    // 00:30 on 5 March in the device's zone: whatever that zone, the device's date is the 5th.
    const justAfterMidnight = new Date(2026, 2, 5, 0, 30);
    expect(todayIso(justAfterMidnight)).toBe('2026-03-05');
    expect(patientFields.safeParse({ ...base, date_of_birth: todayIso() }).success).toBe(true);
  });

  it.each([
    ['U+0000', 'Asha\u0000Devi'],
    ['a lone high surrogate', 'Asha \ud800'],
    ['a lone low surrogate', '\udc00Asha'],
  ])('refuses a name holding %s, on that field, before it can be queued', (_what, name) => {
    const result = patientFields.safeParse({ ...base, full_name: name });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path[0], i.message])).toContainEqual([
      'full_name',
      UNSTORABLE_TEXT,
    ]);
  });

  it('refuses unstorable text in optional fields too, naming the field', () => {
    const result = patientFields.safeParse({ ...base, address: 'Lane\u00001' });
    expect(result.error?.issues[0]?.path).toEqual(['address']);
    expect(result.error?.issues[0]?.message).toBe(UNSTORABLE_TEXT);
  });

  it('keeps real characters outside the basic plane (a surrogate pair is not lone)', () => {
    expect(isStorableText('Asha 😀 देवी')).toBe(true);
    expect(patientFields.safeParse({ ...base, full_name: 'Asha 😀' }).success).toBe(true);
  });

  it.each([
    ['a right-to-left override', 'Ra\u202ehsem'],
    ['a left-to-right mark', 'Ramesh\u200e'],
    ['a direction isolate', '\u2067Ramesh\u2069'],
    ['a zero-width space', 'Ram\u200besh'],
    ['a byte-order mark', 'Ram\ufeffesh'],
    ['a C1 control', 'Ram\u0085esh'],
    ['an escape', 'Ram\u001b[31mesh'],
    ['an Arabic letter mark', 'Ra\u061chsem'],
    ['a soft hyphen', 'Ram\u00adesh'],
    ['a tag character', 'Ramesh\u{E0041}'],
    ['only Hangul fillers (letters to Unicode, blank on screen)', '\u3164\u3164'],
    ['a deprecated format character', 'Ram\u206aesh'],
  ])('refuses a name holding %s, which would show as another name, on that field', (_what, name) => {
    const result = patientFields.safeParse({ ...base, full_name: name });
    expect(result.error?.issues.map((i) => [i.path[0], i.message])).toContainEqual([
      'full_name',
      HIDDEN_TEXT,
    ]);
  });

  it('keeps what Devanagari shapes with (ZWJ, ZWNJ), and line breaks in a reason', () => {
    expect(patientFields.safeParse({ ...base, full_name: 'क्\u200dष्\u200cणा देवी' }).success).toBe(true);
    const address = patientFields.safeParse({ ...base, address: 'Lane 1\nWard 4\tBlock C' });
    expect(address.success).toBe(true);
    const hidden = patientFields.safeParse({ ...base, emergency_contact_name: 'Suresh\u2066' });
    expect(hidden.error?.issues[0]?.path).toEqual(['emergency_contact_name']);
  });

  it.each([
    ['no-break spaces', '\u00a0\u00a0'],
    ['ideographic spaces', '\u3000\u3000'],
    ['zero-width spaces', '\u200b\u200b'],
    ['a mix of blanks', ' \u00a0\u200b\u3000 '],
  ])('refuses a name made only of %s', (_what, name) => {
    const result = patientFields.safeParse({ ...base, full_name: name });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['full_name']);
    expect(['required', NO_VISIBLE_TEXT]).toContain(result.error?.issues[0]?.message);
  });

  it('refuses a name over the limit with a message, never cutting it', () => {
    const long = 'A'.repeat(300);
    const result = patientFields.safeParse({ ...base, full_name: long });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'too_big', maximum: 120, path: ['full_name'] });
  });
});

describe('appointmentSchema: a slot or a request', () => {
  const appointment = {
    id: '3f0c1b7e-8a4d-4c1e-9a57-2f1f6f0c9d12',
    patient_id: '3f0c1b7e-8a4d-4c1e-9a57-2f1f6f0c9d11',
    mode: 'video',
    reason: 'Fever',
    status: 'requested',
  };
  const slot = {
    slot_id: '3f0c1b7e-8a4d-4c1e-9a57-2f1f6f0c9d13',
    doctor_id: '3f0c1b7e-8a4d-4c1e-9a57-2f1f6f0c9d14',
    starts_at: '2030-01-07T09:00:00Z',
    ends_at: '2030-01-07T09:30:00Z',
  };
  const noSlot = { slot_id: null, doctor_id: null, starts_at: null, ends_at: null };
  const request = {
    requested_specialty: 'general medicine',
    preferred_date: '2030-01-07',
    preferred_window: 'morning',
  };
  const firstPath = (row: Record<string, unknown>) => appointmentSchema.safeParse(row).error?.issues[0]?.path;

  it('accepts a slot, a request, and a booked request (both)', () => {
    expect(appointmentSchema.safeParse({ ...appointment, ...slot }).success).toBe(true);
    expect(appointmentSchema.safeParse({ ...appointment, ...noSlot, ...request }).success).toBe(true);
    expect(appointmentSchema.safeParse({ ...appointment, ...slot, ...request }).success).toBe(true);
  });

  it('names the missing field: of the slot, of the request, or slot_id when there is neither', () => {
    expect(firstPath({ ...appointment, ...slot, starts_at: null })).toEqual(['starts_at']);
    expect(firstPath({ ...appointment, ...noSlot, ...request, preferred_window: null })).toEqual([
      'preferred_window',
    ]);
    expect(firstPath({ ...appointment, ...noSlot })).toEqual(['slot_id']);
  });

  it('refuses an unknown specialty or window, and a day that is not on the calendar', () => {
    expect(firstPath({ ...appointment, ...noSlot, ...request, requested_specialty: 'magic' })).toEqual([
      'requested_specialty',
    ]);
    expect(firstPath({ ...appointment, ...noSlot, ...request, preferred_window: 'night' })).toEqual([
      'preferred_window',
    ]);
    expect(firstPath({ ...appointment, ...noSlot, ...request, preferred_date: '2030-02-30' })).toEqual([
      'preferred_date',
    ]);
    expect(SPECIALTIES).toContain('general medicine');
    expect(PREFERRED_WINDOWS).toEqual(['morning', 'afternoon', 'evening', 'any']);
  });
});

describe('appointmentTransitionAllowed', () => {
  it('lets the clinic move an appointment along the machine, one step or several (merged writes)', () => {
    expect(appointmentTransitionAllowed('requested', 'confirmed', 'clinic')).toBe(true);
    expect(appointmentTransitionAllowed('confirmed', 'checked_in', 'clinic')).toBe(true);
    expect(appointmentTransitionAllowed('checked_in', 'completed', 'clinic')).toBe(true);
    expect(appointmentTransitionAllowed('no_show', 'checked_in', 'clinic')).toBe(true);
    expect(appointmentTransitionAllowed('requested', 'completed', 'clinic')).toBe(true);
    expect(appointmentTransitionAllowed(null, 'checked_in', 'clinic')).toBe(true);
  });

  it('lets the patient only book and cancel', () => {
    expect(appointmentTransitionAllowed(null, 'requested', 'patient')).toBe(true);
    expect(appointmentTransitionAllowed(null, 'cancelled', 'patient')).toBe(true);
    expect(appointmentTransitionAllowed('confirmed', 'cancelled', 'patient')).toBe(true);
    expect(appointmentTransitionAllowed(null, 'confirmed', 'patient')).toBe(false);
    expect(appointmentTransitionAllowed('requested', 'confirmed', 'patient')).toBe(false);
    expect(appointmentTransitionAllowed('confirmed', 'checked_in', 'patient')).toBe(false);
  });

  it('never goes back, and never leaves a final status', () => {
    for (const actor of ['patient', 'clinic'] as const) {
      expect(appointmentTransitionAllowed('completed', 'checked_in', actor)).toBe(false);
      expect(appointmentTransitionAllowed('checked_in', 'cancelled', actor)).toBe(false);
      expect(appointmentTransitionAllowed('confirmed', 'requested', actor)).toBe(false);
      expect(appointmentTransitionAllowed('checked_in', 'no_show', actor)).toBe(false);
      for (const to of APPOINTMENT_STATUSES)
        for (const final of ['completed', 'cancelled', 'rejected'] as const)
          expect(appointmentTransitionAllowed(final, to, actor)).toBe(false);
    }
  });
});
