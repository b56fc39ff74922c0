import { describe, expect, it } from 'vitest';
import type { Patient } from '../../sync/entities.ts';
import { otherAccountRows, ownAppointments, ownPatients } from './own-rows.ts';
import { pickOwnPatient } from './use-patient.ts';

const MINE = '11111111-1111-4111-8111-111111111111';
const WALK_IN = '22222222-2222-4222-8222-222222222222';
const CLINIC = '33333333-3333-4333-8333-333333333333';
const patient = (id: string, over: Partial<Patient> = {}): Patient => ({
  id,
  full_name: id === MINE ? 'Mine' : 'Walk-in',
  date_of_birth: '1980-01-01',
  sex: 'female' as const,
  preferred_language: 'en' as const,
  ...over,
});

describe('own rows', () => {
  it("never takes a clinic's walk-in for the phone's own profile, even when it is the oldest", () => {
    const walkIn = patient(WALK_IN, { clinic_id: CLINIC, created_at: '2026-01-01T00:00:00Z' });
    const mine = patient(MINE, { clinic_id: null, created_at: '2026-06-01T00:00:00Z' });
    expect(ownPatients([walkIn, mine])).toEqual([mine]);
    expect(pickOwnPatient([walkIn, mine])?.id).toBe(MINE);
    expect(pickOwnPatient([walkIn])).toBeNull();
    // A profile made on this phone and not sent yet has no clinic_id at all.
    expect(pickOwnPatient([patient(MINE)])?.id).toBe(MINE);
  });

  it("keeps the own profile's appointments and this device's queued ones, not the clinic's others", () => {
    const rows = [
      { id: 'a1', patient_id: MINE },
      { id: 'a2', patient_id: WALK_IN },
      { id: 'a3', patient_id: 'someone else' },
    ];
    expect(ownAppointments(rows, MINE, new Set()).map((a) => a.id)).toEqual(['a1']);
    expect(ownAppointments(rows, MINE, new Set(['a3'])).map((a) => a.id)).toEqual(['a1', 'a3']);
    expect(ownAppointments(rows, null, new Set())).toEqual([]);
  });

  it("never takes a profile another account queued on this phone for the signed-in user's own", () => {
    const first = { id: 'user-1', anonymous: false };
    const second = { id: 'user-2', anonymous: false };
    const outbox = [
      { entity: 'patients' as const, key: MINE, actor: first.id },
      { entity: 'appointments' as const, key: 'a1', actor: first.id },
    ];
    const others = otherAccountRows(outbox, second);
    expect([...others]).toEqual([`patients:${MINE}`, 'appointments:a1']);
    expect(pickOwnPatient([patient(MINE)], others)).toBeNull();
    // The account that made them, and a device with no session known, still see them as their own.
    expect(otherAccountRows(outbox, first).size).toBe(0);
    expect(otherAccountRows(outbox, null).size).toBe(0);
    expect(pickOwnPatient([patient(MINE)], otherAccountRows(outbox, first))?.id).toBe(MINE);
  });
});
