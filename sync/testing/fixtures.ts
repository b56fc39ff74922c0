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
] as const;

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

export function appointmentRow(
  id: string,
  patientId: string,
  overrides: Partial<Appointment> = {},
): Appointment {
  return {
    id,
    patient_id: patientId,
    doctor_id: DOCTOR_IDS[0],
    slot_id: SLOT_IDS[0],
    starts_at: '2030-01-07T09:00:00.000Z',
    ends_at: '2030-01-07T09:15:00.000Z',
    mode: 'video',
    reason: 'cough for two weeks',
    status: 'requested',
    ...overrides,
  };
}
