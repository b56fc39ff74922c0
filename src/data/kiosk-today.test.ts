import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../sync/entities.ts';
import {
  checkInCandidate,
  clinicDayBounds,
  findTodayAppointment,
  loadToday,
  namesOf,
  todayItem,
} from './kiosk-today.ts';

const P = '00000000-0000-4000-8000-0000000000aa';

describe("today's bounds at the clinic", () => {
  it('is midnight to midnight in India, whatever the UTC date', () => {
    // 20:00 UTC on the 1st is 01:30 on the 2nd in India.
    expect(clinicDayBounds(new Date('2026-12-01T20:00:00Z'))).toEqual({
      from: '2026-12-01T18:30:00.000Z',
      to: '2026-12-02T18:30:00.000Z',
    });
    expect(clinicDayBounds(new Date('2026-12-01T10:00:00Z')).from).toBe('2026-11-30T18:30:00.000Z');
  });
});

describe("a returning patient's appointment to check in to", () => {
  const now = new Date('2026-12-01T06:00:00Z');
  const row = (over: Partial<Appointment>): Appointment => ({
    id: '00000000-0000-4000-8000-000000000001',
    patient_id: P,
    doctor_id: null,
    slot_id: null,
    starts_at: '2026-12-01T08:00:00Z',
    ends_at: '2026-12-01T08:15:00Z',
    mode: 'in_person',
    reason: 'fever',
    status: 'confirmed',
    ...over,
  });

  it('is found when it was stored under older rules (a reason with a zero-width space), on the device or from the server', async () => {
    // Before: read with today's write rules, it was no appointment, and the patient was sent to book again.
    const old = row({ reason: 'fe\u200Bver' });
    const services = {
      store: { listRows: async () => [old] },
      supabase: async () => ({
        from: () => ({
          select: () => ({ eq: () => ({ gte: () => ({ lt: async () => ({ data: [old], error: null }) }) }) }),
        }),
      }),
    } as unknown as Parameters<typeof findTodayAppointment>[0];
    await expect(findTodayAppointment(services, P, now, () => false)).resolves.toMatchObject({ id: old.id });
    const fromServer = { ...services, store: { listRows: async () => [] } } as unknown as typeof services;
    await expect(findTodayAppointment(fromServer, P, now, () => true)).resolves.toMatchObject({ id: old.id });
    expect(todayItem(old, new Map()).row).toMatchObject({ id: old.id });
  });

  it("is the patient's confirmed appointment today", () => {
    const other = row({ patient_id: '00000000-0000-4000-8000-000000000009' });
    expect(checkInCandidate([other, row({})], P, now)?.patient_id).toBe(P);
  });

  it('is none on another day, or in a status that cannot be checked in', () => {
    expect(checkInCandidate([row({ starts_at: '2026-12-02T08:00:00Z' })], P, now)).toBeNull();
    expect(checkInCandidate([row({ status: 'cancelled' })], P, now)).toBeNull();
    expect(checkInCandidate([row({ status: 'checked_in' })], P, now)).toBeNull();
  });

  it('is one still waiting for the clinic when none can be checked in, so the patient is not sent to book again', () => {
    const waiting = row({ id: '00000000-0000-4000-8000-000000000002', status: 'requested' });
    expect(checkInCandidate([waiting], P, now)?.status).toBe('requested');
    // One staff may check in to comes first, even when later in the day.
    const later = row({ starts_at: '2026-12-01T11:00:00Z' });
    expect(checkInCandidate([waiting, later], P, now)?.status).toBe('confirmed');
  });

  it("counts the server's own time format: midnight in India is the next day's", () => {
    // 18:30 UTC is 00:00 the next day in India; written as the server writes it.
    expect(checkInCandidate([row({ starts_at: '2026-12-01T18:30:00+00:00' })], P, now)).toBeNull();
    expect(checkInCandidate([row({ starts_at: '2026-12-01T18:29:00+00:00' })], P, now)).not.toBeNull();
  });
});

describe("today's items, named by clinic_day_names", () => {
  const row = {
    id: '00000000-0000-4000-8000-000000000001',
    patient_id: P,
    doctor_id: null,
    slot_id: null,
    starts_at: '2026-12-01T08:00:00Z',
    ends_at: '2026-12-01T08:15:00Z',
    mode: 'in_person',
    reason: 'fever',
    status: 'confirmed',
  };

  it("shows the name the server gave for the appointment's patient, and a dash when it gave none", () => {
    const names = namesOf([
      { patient_id: P, full_name: 'Devika Rawat' },
      { patient_id: 'not a row of this shape' },
    ]);
    expect(todayItem(row, names).patientName).toBe('Devika Rawat');
    expect(todayItem({ ...row, patient_id: '00000000-0000-4000-8000-0000000000bb' }, names).patientName).toBe(
      '—',
    );
    expect(namesOf(null).size).toBe(0);
  });

  it('shows a name stored before the hidden-character rules as its characters are, not as they pose', () => {
    // The server kept such rows (its checks are NOT VALID); "Ra<U+202E>hsem" would show as "Ramesh".
    const names = namesOf([{ patient_id: P, full_name: 'Ra\u202ehsem \u2067Kumar\u2069\u00ad' }]);
    expect(todayItem(row, names).patientName).toBe('Rahsem Kumar');
    // What Devanagari shapes with stays.
    const hindi = namesOf([{ patient_id: P, full_name: 'क्\u200dष्\u200cणा' }]);
    expect(todayItem(row, hindi).patientName).toBe('क्\u200dष्\u200cणा');
  });
});

describe('offline, the server is not asked (supabase-js would retry for seven seconds)', () => {
  const now = new Date('2026-12-01T06:00:00Z');
  const asked = { count: 0 };
  const services = {
    store: { listRows: async () => [] },
    supabase: async () => {
      asked.count += 1;
      throw new Error('the server was asked');
    },
  } as unknown as Parameters<typeof findTodayAppointment>[0];

  it("answers a returning patient's check-in from the device alone", async () => {
    await expect(findTodayAppointment(services, P, now, () => false)).resolves.toBeNull();
    expect(asked.count).toBe(0);
  });

  it("fails Today's read at once, so the sealed list shows", async () => {
    await expect(
      loadToday(services, ['00000000-0000-4000-8000-0000000000d1'], now, () => false),
    ).rejects.toThrow('offline');
    expect(asked.count).toBe(0);
  });
});
