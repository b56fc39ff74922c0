/**
 * Arrangements for the appointment state machine's tests: a clinic's staff and a patient with
 * their own phone, appointments put straight into a status (as the back office could), and a
 * device's status change sent through sync_push.
 */
import { randomUUID } from 'node:crypto';
import type { PushResult } from '../../sync/protocol.ts';
import { newUser, sql, type TestUser } from './stack-clients.ts';
import {
  appointmentRow,
  patientRow,
  push,
  type Row,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

/** A signed-in user and the sync client id of their device. */
export interface Device {
  user: TestUser;
  clientId: string;
}

export function device(user: TestUser): Device {
  return { user, clientId: randomUUID() };
}

/** A patient on their own phone, with the profile already pushed. */
export async function phonePatient(label: string): Promise<Device & { patientId: string }> {
  const phone = device(await newUser(label));
  const patient = patientRow();
  const [result] = await push(phone.user.client, phone.clientId, [upsertPatient(phone.clientId, patient)]);
  if (result?.status !== 'applied') throw new Error(`profile not applied: ${JSON.stringify(result)}`);
  return { ...phone, patientId: String(patient.id) };
}

/** A walk-in registered by `kiosk`'s staff member through sync_push (so for the staff's clinic). */
export async function walkIn(kiosk: Device): Promise<string> {
  const patient = patientRow({ full_name: 'Ramvati Devi' });
  const [result] = await push(kiosk.user.client, kiosk.clientId, [upsertPatient(kiosk.clientId, patient)]);
  if (result?.status !== 'applied') throw new Error(`walk-in not applied: ${JSON.stringify(result)}`);
  return String(patient.id);
}

/** An appointment of `patientId` in `slot`, put straight into `status` by the back office. */
export async function appointmentIn(patientId: string, slot: TestSlot, status: string): Promise<Row> {
  const row = appointmentRow(patientId, slot, { status });
  await sql(
    `insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.patient_id,
      row.doctor_id,
      row.slot_id,
      row.starts_at,
      row.ends_at,
      row.mode,
      row.reason,
      status,
    ],
  );
  return row;
}

/** The device's write of `row` in status `to` (the rest as the device last saw it): the answer. */
export async function move(by: Device, row: Row, to: string): Promise<PushResult> {
  const m = upsertAppointment(by.clientId, { ...row, status: to });
  const [result] = await push(by.user.client, by.clientId, [m]);
  if (!result) throw new Error('no answer');
  return result;
}

export async function statusOf(id: unknown): Promise<string | undefined> {
  const [row] = await sql<{ status: string }>('select status from public.appointments where id = $1', [id]);
  return row?.status;
}
