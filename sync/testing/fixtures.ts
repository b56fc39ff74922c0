/** Rows that pass the entity schemas, and the reference data they point at. */
import type { Appointment, Patient } from '../entities.ts';

export const CLINIC_ID = '00000000-0000-4000-8000-00000000c001';
export const DOCTOR_IDS = [
  '00000000-0000-4000-8000-00000000d001',
  '00000000-0000-4000-8000-00000000d002',
] as const;
export const SLOT_IDS = [
  '00000000-0000-4000-8000-00000000e001',
  '00000000-0000-4000-8000-00000000e002',
  '00000000-0000-4000-8000-00000000e003',
  '00000000-0000-4000-8000-00000000e004',
  '00000000-0000-4000-8000-00000000e005',
  '00000000-0000-4000-8000-00000000e006',
] as const;

export interface SlotRow extends Record<string, unknown> {
  id: string;
  doctor_id: string;
  mode: 'video' | 'in_person';
  starts_at: string;
  ends_at: string;
}

/** Far-future slots, so "a slot that already started" never happens by accident. */
export const SLOTS: readonly SlotRow[] = SLOT_IDS.map((id, i) => {
  const hour = String(9 + i).padStart(2, '0');
  return {
    id,
    doctor_id: DOCTOR_IDS[i % 2] as string,
    mode: i % 2 === 0 ? 'video' : 'in_person',
    starts_at: `2030-01-07T${hour}:00:00.000Z`,
    ends_at: `2030-01-07T${hour}:30:00.000Z`,
  };
});

export const REFERENCE_DATA = {
  clinics: [{ id: CLINIC_ID, name: 'Rampur PHC' }],
  doctors: DOCTOR_IDS.map((id, i) => ({ id, clinic_id: CLINIC_ID, name: `Dr. ${i + 1}` })),
  slots: SLOTS,
} as const;

export function patientRow(id: string, overrides: Partial<Patient> = {}): Patient {
  return {
    id,
    full_name: 'Asha Devi',
    date_of_birth: '1984-03-02',
    sex: 'female',
    phone: '+919812345678',
    address: 'Ward 4, Rampur',
    preferred_language: 'hi',
    emergency_contact_name: null,
    emergency_contact_phone: null,
    ...overrides,
  };
}

/** An appointment booking `slot` (default the first), with the slot's doctor, mode and times. */
export function appointmentRow(
  id: string,
  patientId: string,
  overrides: Partial<Appointment> = {},
  slot: SlotRow = SLOTS[0] as SlotRow,
): Appointment {
  return {
    id,
    patient_id: patientId,
    doctor_id: slot.doctor_id,
    slot_id: slot.id,
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    mode: slot.mode,
    reason: 'cough for two weeks',
    status: 'requested',
    ...overrides,
  };
}
